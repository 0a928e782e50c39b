// Opening, configuring and migrating the local store's SQLite file (see StoreDatabase.h).
#include "StoreDatabase.h"

#include "common/Logging.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStore;

namespace clinicflow::client {

using namespace domain;

namespace {

constexpr QFileDevice::Permissions kOwnerFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions kOwnerFolder = kOwnerFile | QFileDevice::ExeOwner;

// Version n's statements turn a version n-1 file into a version n file. Append only: a shipped step never changes.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps{
        // 1: the first schema.
        {
            u"CREATE TABLE settings(key TEXT PRIMARY KEY NOT NULL, value TEXT)"_s,
            // No index on visit_id: its keys are UUIDs, random in a store from before version 7 ids (Ids.h), and
            // an index on them would dirty pages all over the file on every catch-up batch. A visit's sequences are
            // kept in memory for its history instead.
            u"CREATE TABLE events(sequence INTEGER PRIMARY KEY, visit_id TEXT NOT NULL, type TEXT NOT NULL,"
            " at_ms INTEGER, body BLOB NOT NULL)"_s,
            // max_sequence keeps "applied, but its events have not arrived" a cheap query at open.
            u"CREATE TABLE outbox(position INTEGER PRIMARY KEY AUTOINCREMENT, command_id TEXT NOT NULL UNIQUE,"
            " name TEXT NOT NULL, target TEXT, visit_id TEXT, at_ms INTEGER, body BLOB NOT NULL,"
            " state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','queued','applied','rejected')),"
            " sequences TEXT, max_sequence INTEGER NOT NULL DEFAULT 0, error_code INTEGER, error_message TEXT,"
            " answered_at_ms INTEGER)"_s,
            u"CREATE INDEX outbox_by_state ON outbox(state)"_s,
            u"CREATE TABLE conflicts(id INTEGER PRIMARY KEY AUTOINCREMENT, command_id TEXT NOT NULL,"
            " command_name TEXT, visit_id TEXT, ticket TEXT, code INTEGER NOT NULL, message TEXT, detail TEXT,"
            " at_ms INTEGER, acknowledged INTEGER NOT NULL DEFAULT 0)"_s,
            // Rows keyed by arrival (row), not by the random visit id, so the visits a batch touches, which are
            // mostly today's, sit on a few neighbouring pages. visit_id is unique by construction (one row per
            // visit in memory); it is only read back at open.
            u"CREATE TABLE visits(row INTEGER PRIMARY KEY, visit_id TEXT NOT NULL, ticket TEXT, patient_number TEXT,"
            " patient_name TEXT, department TEXT, doctor TEXT, priority TEXT, reception_status TEXT NOT NULL,"
            " diagnosis_status TEXT, diagnosis_id TEXT, exams_prescribed INTEGER, exams_performed INTEGER,"
            " exams_cancelled INTEGER, exams_withdrawn INTEGER, received_at_ms INTEGER, seen_at_ms INTEGER,"
            " finished_at_ms INTEGER, updated_at_ms INTEGER, last_sequence INTEGER)"_s,
        },
    };
    return steps;
}

Error sqlError(const char *what, const QSqlError &error)
{
    const QString detail = QString::fromLatin1(what) + u": "_s + error.text();
    qCWarning(lcStore).noquote() << "local store:" << detail;
    return makeError(ErrorCode::InternalError, detail);
}

// The file is made before SQLite opens it, so it is never readable by others even for an instant; SQLite gives
// its -wal and -shm files the same permissions as the database file.
Result<bool> prepareFile(const QString &path)
{
    const QFileInfo info(path);
    QDir folder = info.absoluteDir();
    if (!folder.exists()) {
        if (!folder.mkpath(u"."_s))
            return makeError(ErrorCode::InternalError, u"cannot create folder %1"_s.arg(folder.path()));
        QFile::setPermissions(folder.path(), kOwnerFolder);
    }
    if (!info.exists()) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return makeError(ErrorCode::InternalError, u"cannot create %1: %2"_s.arg(path, file.errorString()));
    }
    if (!QFile::setPermissions(path, kOwnerFile))
        return makeError(ErrorCode::InternalError, u"cannot make %1 owner-only"_s.arg(path));
    return true;
}

} // namespace

StoreDatabase::StoreDatabase(QString path, QString connectionName)
    : m_path(std::move(path))
    , m_connectionName(std::move(connectionName))
{
}

StoreDatabase::~StoreDatabase()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<StoreDatabase>> StoreDatabase::open(const QString &path)
{
    if (auto file = prepareFile(path); !file)
        return file.error();
    static QAtomicInteger<quint64> counter;
    const QString name = u"clinicflow-store-%1"_s.arg(counter.fetchAndAddRelaxed(1) + 1);
    std::unique_ptr<StoreDatabase> store(new StoreDatabase(path, name));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open())
            return sqlError("open", db.lastError());
    }
    if (auto configured = store->configure(); !configured)
        return configured.error();
    if (auto migrated = store->migrate(); !migrated)
        return migrated.error();
    return store;
}

QSqlDatabase StoreDatabase::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Result<QSqlQuery> StoreDatabase::prepare(const QString &sql) const
{
    QSqlQuery query(database());
    if (!query.prepare(sql))
        return sqlError("prepare", query.lastError());
    return query;
}

Result<bool> StoreDatabase::run(QSqlQuery &query, const char *what)
{
    if (!query.exec())
        return sqlError(what, query.lastError());
    return true;
}

Result<bool> StoreDatabase::exec(const QString &sql, const char *what) const
{
    QSqlQuery query(database());
    if (!query.exec(sql))
        return sqlError(what, query.lastError());
    return true;
}

Result<bool> StoreDatabase::begin(Durability durability)
{
    QSqlDatabase db = database();
    if (durability != m_durability) {
        // Only outside a transaction: SQLite applies synchronous to the commits that follow.
        const QString pragma =
            durability == Durability::Synced ? u"PRAGMA synchronous=FULL"_s : u"PRAGMA synchronous=NORMAL"_s;
        if (auto set = exec(pragma, "set synchronous"); !set)
            return set.error();
        m_durability = durability;
    }
    if (!db.transaction())
        return sqlError("begin", db.lastError());
    return true;
}

Result<bool> StoreDatabase::commit()
{
    QSqlDatabase db = database();
    if (!db.commit()) {
        Error error = sqlError("commit", db.lastError());
        db.rollback();
        return error;
    }
    return true;
}

void StoreDatabase::rollback()
{
    database().rollback();
}

Result<bool> StoreDatabase::configure()
{
    // FULL: WAL's NORMAL may lose the last commits on power loss, and the outbox must not (ARCHITECTURE §10).
    // A 32 MB page cache keeps the events index in memory while catching up on a long log.
    for (const QString &pragma : {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s,
                                  u"PRAGMA busy_timeout=5000"_s, u"PRAGMA cache_size=-32000"_s}) {
        if (auto done = exec(pragma, "configure"); !done)
            return done;
    }
    QSqlQuery mode(database());
    if (!mode.exec(u"PRAGMA journal_mode"_s) || !mode.next() ||
        mode.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0)
        return makeError(ErrorCode::InternalError, u"the local store could not switch to WAL"_s);
    return true;
}

Result<bool> StoreDatabase::migrate()
{
    if (auto made = exec(u"CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)"_s, "schema"); !made)
        return made;
    QSqlQuery read(database());
    if (!read.exec(u"SELECT max(version) FROM schema_version"_s) || !read.next())
        return sqlError("schema version", read.lastError());
    const int current = read.value(0).isNull() ? 0 : read.value(0).toInt();
    read.finish();
    if (current > kSchemaVersion)
        return makeError(
            ErrorCode::InternalError,
            u"%1 has schema version %2; this build knows up to %3 (a newer ClinicFlow wrote it)"_s.arg(m_path)
                .arg(current)
                .arg(kSchemaVersion));
    for (int version = current + 1; version <= kSchemaVersion; ++version) {
        Transaction tx(*this);
        if (!tx.ok())
            return tx.error();
        for (const QString &sql : migrations().at(version - 1)) {
            if (auto done = exec(sql, "migrate"); !done)
                return done;
        }
        if (auto done = exec(u"DELETE FROM schema_version"_s, "migrate"); !done)
            return done;
        if (auto done = exec(u"INSERT INTO schema_version(version) VALUES (%1)"_s.arg(version), "migrate"); !done)
            return done;
        if (auto done = tx.commit(); !done)
            return done;
        qCInfo(lcStore) << "local store schema migrated to version" << version;
    }
    return true;
}

Transaction::Transaction(StoreDatabase &db, StoreDatabase::Durability durability)
    : m_db(db)
{
    auto begun = m_db.begin(durability);
    m_open = begun.ok();
    if (!begun)
        m_error = begun.error();
}

Transaction::~Transaction()
{
    if (m_open)
        m_db.rollback();
}

Result<bool> Transaction::commit()
{
    if (!m_open)
        return m_error;
    m_open = false;
    return m_db.commit();
}

} // namespace clinicflow::client
