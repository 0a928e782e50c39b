#include "Probes.h"

#include "clinicflow/v1/commands.pb.h"
#include "domain/Commands.h"
#include "domain/Ids.h"
#include "proto/Convert.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>
#include <chrono>

using namespace Qt::StringLiterals;

namespace clinicflow::hostile {

long statusKiB(qint64 pid, const char *field)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLong();
    }
    return 0;
}

MemorySampler::MemorySampler(qint64 pid)
    : m_thread([this, pid] {
        while (!m_stop) {
            m_peak = std::max(m_peak.load(), statusKiB(pid, "VmRSS"));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    })
{
}

MemorySampler::~MemorySampler()
{
    peakKiB();
}

long MemorySampler::peakKiB()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
    return m_peak;
}

namespace {

bool isCanonicalId(const QString &text)
{
    return text.size() == 36 && !QUuid::fromString(text).isNull();
}

// The first inbox row that breaks the rules, as a sentence; empty when none does.
QString checkInbox(QSqlDatabase &db, const QString &table, const QStringList &silentStations)
{
    QSqlQuery q(db);
    if (!q.exec(u"SELECT command_id, station, payload FROM %1"_s.arg(table)))
        return u"cannot read %1: %2"_s.arg(table, q.lastError().text());
    while (q.next()) {
        const QString id = q.value(0).toString();
        const QString station = q.value(1).toString();
        const QByteArray payload = q.value(2).toByteArray();
        const QString row = u"%1 row of station %2 (id %3 characters, payload %4 bytes)"_s.arg(
            table, station.left(16), QString::number(id.size()), QString::number(payload.size()));
        if (!isCanonicalId(id) || !domain::isValidStationCode(station))
            return row + u": not a command id or station code"_s;
        if (silentStations.contains(station))
            return row + u": stored, although every command of that station breaks the rules"_s;
        v1::Command wire;
        if (!wire.ParseFromArray(payload.constData(), int(payload.size())))
            return row + u": the payload is no command"_s;
        const auto command = proto::fromProto(wire);
        if (!command)
            return row + u": the payload does not convert: "_s + command.error().message();
        if (const auto shape = domain::validateShape(command.value()); !shape)
            return row + u": breaks the shared rules: "_s + shape.error().message();
    }
    return {};
}

} // namespace

QString checkStored(const QString &dataDir, const QStringList &silentStations)
{
    const QString name = u"hostile-check"_s;
    QString problem;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dataDir + u"/clinicflow.sqlite"_s);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            problem = u"cannot open the database: "_s + db.lastError().text();
        } else {
            for (const QString &context : {u"reception"_s, u"diagnosis"_s, u"examination"_s}) {
                if (problem.isEmpty())
                    problem = checkInbox(db, context + u"_inbox"_s, silentStations);
            }
            QSqlQuery q(db);
            if (problem.isEmpty() &&
                q.exec(u"SELECT command_id, station, LENGTH(result_message) FROM refused_commands"_s)) {
                while (problem.isEmpty() && q.next()) {
                    if (!isCanonicalId(q.value(0).toString()) || !domain::isValidStationCode(q.value(1).toString()) ||
                        q.value(2).toInt() > 2000)
                        problem = u"refused_commands keeps a row with an id of %1 characters, station \"%2\" or a "
                                  "%3-character message"_s.arg(QString::number(q.value(0).toString().size()),
                                                               q.value(1).toString().left(16), q.value(2).toString());
                }
            }
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return problem;
}

} // namespace clinicflow::hostile
