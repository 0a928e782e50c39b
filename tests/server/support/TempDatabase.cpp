#include "TempDatabase.h"

#include "clinicflow/v1/envelope.pb.h"
#include "proto/Convert.h"
#include "storage/EventLog.h"
#include "storage/Schema.h"

using namespace Qt::StringLiterals;

namespace clinicflow::testsupport {

bool TempDatabase::open(int schemaVersion)
{
    m_settings = server::DatabaseSettings{};
    m_settings.busyTimeoutMs = 5000;
    if (testPostgresRequested()) {
        if (!m_postgres)
            m_postgres = std::make_unique<ThrowawayPostgresDatabase>();
        if (!m_postgres->isValid()) {
            m_error = m_postgres->error();
            return false;
        }
        m_settings.postgresUrl = m_postgres->url();
    } else {
        m_settings.sqlitePath = m_dir.filePath(u"clinicflow.sqlite"_s);
    }
    auto db = server::Database::open(m_settings, u"test-main"_s);
    if (!db) {
        m_error = db.error().message();
        return false;
    }
    m_db = std::move(db).value();
    auto migrated = schemaVersion < 0 ? server::migrate(*m_db) : server::migrateTo(*m_db, schemaVersion);
    if (!migrated) {
        m_error = migrated.error().message();
        return false;
    }
    auto viewDb = server::Database::open(m_settings.viewSettings(), u"test-view"_s);
    if (!viewDb) {
        m_error = viewDb.error().message();
        return false;
    }
    m_viewDb = std::move(viewDb).value();
    if (auto view = server::migrateView(*m_viewDb); !view) {
        m_error = view.error().message();
        return false;
    }
    return true;
}

bool TempDatabase::append(domain::Events &events)
{
    server::WriteTransaction tx(*m_db);
    server::EventLog log(*m_db);
    if (auto appended = log.append(events); !appended) {
        m_error = appended.error().message();
        return false;
    }
    return tx.commit().ok();
}

bool TempDatabase::exec(const QString &sql)
{
    server::WriteTransaction tx(*m_db);
    if (auto done = server::execSql(m_db->connection(), sql); !done) {
        m_error = done.error().message();
        return false;
    }
    return tx.commit().ok();
}

domain::Events someEvents(int n)
{
    domain::Events events;
    for (int i = 0; i < n; ++i)
        events.push_back(eventOf(domain::VisitClosed{domain::newId()}));
    return events;
}

domain::Event eventOf(domain::EventPayload payload, const QUuid &visitId)
{
    domain::Event e;
    e.id = domain::newId();
    e.visitId = visitId.isNull() ? domain::newId() : visitId;
    e.causationId = domain::newId();
    e.at = QDateTime::currentDateTimeUtc();
    e.station = u"A"_s;
    e.payload = std::move(payload);
    e.aggregateId = domain::eventAggregateId(e.payload);
    if (e.aggregateId.isNull())
        e.aggregateId = e.visitId;
    return e;
}

server::IntakeRequest intakeRequestFor(const QUuid &id, const QString &station, const domain::Command &command)
{
    const v1::Submit submit = proto::toSubmit({id, station, QDateTime::currentDateTimeUtc()}, command);
    const std::string bytes = submit.command().SerializeAsString();
    return server::IntakeRequest{id,
                                 station,
                                 domain::commandContext(command),
                                 domain::commandName(command),
                                 QByteArray(bytes.data(), qsizetype(bytes.size())),
                                 server::commandFingerprint(submit, domain::Result<domain::Command>(command)),
                                 0,
                                 {},
                                 {}};
}

} // namespace clinicflow::testsupport
