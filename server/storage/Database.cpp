#include "Database.h"

#include "common/Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <mutex>
#include <sqlite3.h>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStorage;
using clinicflow::domain::ErrorCode;
using clinicflow::domain::makeError;

namespace clinicflow::server {
namespace {

// One writer lock per SQLite file in this process.
QMutex *writerLockFor(const QString &path)
{
    static QMutex registryLock;
    // Never destroyed: a Database may outlive static destruction on some thread, and the registry stays reachable
    // (LeakSanitizer counts it as in use, not lost).
    static auto *locks = new QHash<QString, QMutex *>;
    QMutexLocker guard(&registryLock);
    QMutex *&lock = (*locks)[QFileInfo(path).absoluteFilePath()];
    if (!lock)
        lock = new QMutex;
    return lock;
}

// Process-wide SQLite settings, before the first connection opens. Memory statistics put one global mutex around
// every allocation SQLite makes; with the writer, the view and the readers on threads of their own, they contended
// for it on every statement. Nothing here reads those statistics.
void configureSqliteOnce()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
            qCWarning(lcStorage) << "SQLite was initialised before the server configured it: memory statistics stay on";
    });
}

} // namespace

DatabaseSettings DatabaseSettings::fromConfig(const QString &dataFolder, const QString &databaseUrl)
{
    DatabaseSettings s;
    s.postgresUrl = databaseUrl;
    if (databaseUrl.isEmpty())
        s.sqlitePath = QDir(dataFolder).filePath(u"clinicflow.sqlite"_s);
    return s;
}

DatabaseSettings DatabaseSettings::viewSettings() const
{
    DatabaseSettings s = *this;
    if (isSqlite())
        s.sqlitePath = QFileInfo(sqlitePath).dir().filePath(u"clinicflow-view.sqlite"_s);
    return s;
}

void DatabaseSettings::restrictToOwner() const
{
    if (!isSqlite())
        return;
    for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
        if (QFile file(sqlitePath + suffix); file.exists())
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
}

Database::Database(const DatabaseSettings &settings, QSqlDatabase db)
    : m_settings(settings)
    , m_db(std::move(db))
    , m_name(m_db.connectionName())
{
    if (settings.isSqlite())
        m_writerLock = writerLockFor(settings.sqlitePath);
}

Database::~Database()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

domain::Result<std::unique_ptr<Database>> Database::open(const DatabaseSettings &settings, const QString &name)
{
    QSqlDatabase db;
    if (settings.isSqlite()) {
        configureSqliteOnce();
        QDir().mkpath(QFileInfo(settings.sqlitePath).absolutePath());
        db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(settings.sqlitePath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(settings.busyTimeoutMs));
    } else {
        const QUrl url(settings.postgresUrl);
        if (!url.isValid() || (url.scheme() != u"postgresql"_s && url.scheme() != u"postgres"_s)) {
            return makeError(ErrorCode::InternalError, u"--database: not a postgresql:// URL"_s);
        }
        db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        db.setPassword(url.password());
        db.setDatabaseName(url.path().mid(1));
    }
    if (!db.open()) {
        const QString why = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        return makeError(ErrorCode::InternalError, u"cannot open the database: "_s + why);
    }
    std::unique_ptr<Database> database(new Database(settings, db));
    db = QSqlDatabase(); // the connection is database's alone: removed without a warning if a pragma fails below
    if (settings.isSqlite()) {
        // WAL lets readers work beside the writer; FULL makes a returned commit survive power loss (§10).
        for (const auto &pragma : {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s,
                                   u"PRAGMA foreign_keys=ON"_s, u"PRAGMA temp_store=MEMORY"_s}) {
            if (auto ok = execSql(database->connection(), pragma); !ok)
                return ok.error();
        }
    }
    return database;
}

WriteTransaction::WriteTransaction(Database &db)
    : m_db(db)
{
    if (QMutex *lock = db.writerLock())
        m_lock = std::unique_lock<QMutex>(*lock);
    auto begun = execSql(db.connection(), db.isSqlite() ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s);
    m_active = begun.ok();
    if (!begun)
        m_error = begun.error();
}

WriteTransaction::~WriteTransaction()
{
    if (m_active)
        rollback();
}

domain::Result<bool> WriteTransaction::commit()
{
    if (!m_active)
        return m_error.code == ErrorCode::None ? makeError(ErrorCode::InternalError, u"no transaction"_s) : m_error;
    auto done = execSql(m_db.connection(), u"COMMIT"_s);
    if (!done) {
        rollback();
        return done.error();
    }
    m_active = false;
    if (m_lock.owns_lock())
        m_lock.unlock();
    return true;
}

void WriteTransaction::rollback()
{
    if (m_active) {
        QSqlQuery q(m_db.connection());
        if (!q.exec(u"ROLLBACK"_s))
            qCWarning(lcStorage) << "rollback failed:" << q.lastError().text();
        m_active = false;
    }
    if (m_lock.owns_lock())
        m_lock.unlock();
}

domain::Result<bool> execSql(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        return makeError(ErrorCode::InternalError, sql.left(40) + u": "_s + q.lastError().text());
    return true;
}

void bindAll(QSqlQuery &query, const QVariantList &values)
{
    static const QString empty = u""_s;
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QVariant &v = values.at(i);
        if (v.typeId() == QMetaType::QString && v.toString().isNull())
            query.bindValue(int(i), empty);
        else
            query.bindValue(int(i), v);
    }
}

domain::Error sqlError(const QSqlQuery &query, const char *what)
{
    return makeError(ErrorCode::InternalError, QString::fromUtf8(what) + u": "_s + query.lastError().text());
}

} // namespace clinicflow::server
