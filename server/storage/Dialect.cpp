#include "Dialect.h"

#include "Database.h"
#include "common/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>
#include <libpq-fe.h>
#include <mutex>
#include <sqlite3.h>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStorage;
using clinicflow::domain::ErrorCode;
using clinicflow::domain::makeError;
using clinicflow::domain::Result;

namespace clinicflow::server {
namespace {

Result<bool> execAll(Database &db, std::initializer_list<QString> statements)
{
    for (const QString &sql : statements) {
        if (auto done = execSql(db.connection(), sql); !done)
            return done.error();
    }
    return true;
}

class SqliteDialect final : public Dialect
{
public:
    QString describe(const DatabaseSettings &s) const override { return u"SQLite "_s + s.sqlitePath; }

    Result<QSqlDatabase> addConnection(const DatabaseSettings &s, const QString &name) const override
    {
        configureOnce();
        QDir().mkpath(QFileInfo(s.sqlitePath).absolutePath());
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(s.sqlitePath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(s.busyTimeoutMs));
        return db;
    }

    // WAL lets readers work beside the writer; FULL makes a returned commit survive power loss (§10).
    Result<bool> configure(Database &db) const override
    {
        return execAll(db, {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s, u"PRAGMA foreign_keys=ON"_s,
                            u"PRAGMA temp_store=MEMORY"_s});
    }

    // Every module's writes go through this connection, and the indexes on UUIDs (command ids, visits) touch pages
    // all over their B-trees where the ids are random (a store from before version 7 ids, Ids.h, or another maker's
    // station): SQLite's default 2 MiB cache reads them back from the file on nearly every insert, and spills dirty
    // pages to the log before the commit. The checkpoint thread copies and rewinds the log
    // (Checkpointer.h); SQLite's own checkpoint inside a commit stays only as a backstop for writers in other
    // processes, at 80 MiB of log instead of 4.
    Result<bool> configureWriter(Database &db) const override
    {
        return execAll(db, {u"PRAGMA cache_size=-65536"_s, u"PRAGMA wal_autocheckpoint=20000"_s});
    }

    Result<bool> relaxDurability(Database &db) const override { return execAll(db, {u"PRAGMA synchronous=NORMAL"_s}); }

    QString beginWrite() const override { return u"BEGIN IMMEDIATE"_s; }
    QString lockSchema() const override { return {}; }
    bool preparesTransactionControl() const override { return true; }
    QString serialKey() const override { return u"INTEGER PRIMARY KEY AUTOINCREMENT"_s; }
    QString blobType() const override { return u"BLOB"_s; }
    bool isSqlite() const override { return true; }
    bool reservesSequences() const override { return false; }
    bool viewHasItsOwnStore() const override { return true; }
    bool needsCheckpointer() const override { return true; }
    bool notifiesAcrossProcesses() const override { return false; }
    bool transactionOpen(const QSqlDatabase &connection) const override
    {
        const QVariant handle = connection.driver()->handle();
        if (qstrcmp(handle.typeName(), "sqlite3*") != 0)
            return true;
        sqlite3 *db = *static_cast<sqlite3 *const *>(handle.data());
        return db && sqlite3_get_autocommit(db) == 0;
    }
    bool sendsStatementsTogether() const override { return false; }
    QString tryLockModule(int) const override { return {}; }

    QString integrityProblem(Database &db) const override
    {
        QSqlQuery check(db.connection());
        check.setForwardOnly(true);
        if (!check.exec(u"PRAGMA quick_check"_s))
            return u"cannot be read (%1)"_s.arg(check.lastError().text());
        QStringList found;
        while (check.next())
            found.append(check.value(0).toString());
        if (found == QStringList{u"ok"_s})
            return {};
        return u"fails SQLite's quick_check (%1)"_s.arg(found.join(u"; "_s).simplified().left(200));
    }

private:
    // Process-wide settings, before the first connection opens. Memory statistics put one global mutex around
    // every allocation SQLite makes; with the writer, the view and the readers on threads of their own, they
    // contended for it on every statement. Nothing here reads those statistics.
    static void configureOnce()
    {
        static std::once_flag once;
        std::call_once(once, [] {
            if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
                qCWarning(lcStorage) << "SQLite was initialised before the server configured it: memory statistics "
                                        "stay on";
        });
    }
};

// A connection's name as part of libpq's application_name: letters, digits and dashes (the options string is split
// on ';' and '='), and short enough for PostgreSQL's 63 bytes.
QString applicationName(const QString &connection)
{
    QString name;
    for (const QChar c : connection)
        name.append(c.isLetterOrNumber() && c.unicode() < 128 ? c : u'-');
    return name.left(40);
}

class PostgresDialect final : public Dialect
{
public:
    // Where the connection goes, as libpq reads it: the URL's query items come last and win (?host=, ?port=). A host
    // that is a folder, or none, is the Unix socket of a database on this host.
    QString describe(const DatabaseSettings &s) const override
    {
        const QUrl url(s.postgresUrl);
        const QUrlQuery query(url);
        const QString host =
            query.hasQueryItem(u"host"_s) ? query.queryItemValue(u"host"_s, QUrl::FullyDecoded) : url.host();
        const QString port = query.hasQueryItem(u"port"_s) ? query.queryItemValue(u"port"_s, QUrl::FullyDecoded)
                                                           : QString::number(url.port(5432));
        if (host.isEmpty() || host.startsWith(u'/'))
            return u"PostgreSQL %1 through the Unix socket of port %2 in %3"_s.arg(
                url.path().mid(1), port, host.isEmpty() ? u"libpq's default folder"_s : host);
        return u"PostgreSQL %1:%2%3"_s.arg(host, port, url.path());
    }

    // The URL's query items are libpq's connection parameters (sslmode=verify-full, sslrootcert=…). The password
    // is DatabaseSettings::password (a file or the environment), else libpq's own PGPASSWORD or ~/.pgpass.
    Result<QSqlDatabase> addConnection(const DatabaseSettings &s, const QString &name) const override
    {
        const QUrl url(s.postgresUrl);
        if (!url.isValid() || (url.scheme() != u"postgresql"_s && url.scheme() != u"postgres"_s))
            return makeError(ErrorCode::InternalError, u"--database: not a postgresql:// URL"_s);
        // Each connection says what it is for in pg_stat_activity (clinicflow-server/group-commit,
        // clinicflow-server/change-feed, ...): what an operator sees waiting or busy is named.
        // A database that falls silent (its host gone, a failover to another address) ends the connection within
        // about 30 s, whether it was idle (keepalives_*) or waiting for its data to be acknowledged (tcp_user_timeout;
        // else the system retransmits for some 15 minutes): the server then stops its modules and starts them again
        // when the database answers (main.cpp), on whatever address its name then has.
        QStringList options{u"connect_timeout=5"_s,  u"application_name=clinicflow-server/"_s + applicationName(name),
                            u"keepalives_idle=10"_s, u"keepalives_interval=5"_s,
                            u"keepalives_count=3"_s, u"tcp_user_timeout=30000"_s};
        for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
            options.append(key + u'=' + value);
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName(QUrl::FullyDecoded));
        db.setPassword(!s.password.isEmpty() ? s.password : url.password(QUrl::FullyDecoded));
        db.setDatabaseName(url.path().mid(1));
        db.setConnectOptions(options.join(u';'));
        return db;
    }

    // A commit returns once it is on the database server's disk (ARCHITECTURE §10), whatever the server's default.
    // The database server probes an idle connection after 10 s and drops it after 3 unanswered probes 5 s apart, or
    // once what it sent has gone unacknowledged for 30 s (notifications to a listener, say): a module's host that
    // vanished (power lost, network cut: no reset ever arrives) has its sessions ended within about 25-30 s, and with
    // them its module's lock (ModuleLocks), so that the module can start on another host. With the system's defaults
    // that takes over two hours. (Our side does the same: keepalives_* and tcp_user_timeout in the options.)
    Result<bool> configure(Database &db) const override
    {
        return execAll(db, {u"SET synchronous_commit = on"_s, u"SET client_min_messages = warning"_s,
                            u"SET tcp_keepalives_idle = 10"_s, u"SET tcp_keepalives_interval = 5"_s,
                            u"SET tcp_keepalives_count = 3"_s, u"SET tcp_user_timeout = 30000"_s});
    }

    Result<bool> configureWriter(Database &) const override { return true; }

    Result<bool> relaxDurability(Database &db) const override
    {
        return execAll(db, {u"SET synchronous_commit = off"_s});
    }

    QString beginWrite() const override { return u"BEGIN"_s; }
    // A transaction-scoped advisory lock: released by the commit or the rollback, or when the process dies.
    QString lockSchema() const override { return u"SELECT pg_advisory_xact_lock(7470, 0)"_s; }
    bool preparesTransactionControl() const override { return false; }
    QString serialKey() const override { return u"BIGSERIAL PRIMARY KEY"_s; }
    QString blobType() const override { return u"BYTEA"_s; }
    bool isSqlite() const override { return false; }
    bool reservesSequences() const override { return true; }
    bool viewHasItsOwnStore() const override { return false; }
    bool needsCheckpointer() const override { return false; }
    bool notifiesAcrossProcesses() const override { return true; }
    bool transactionOpen(const QSqlDatabase &connection) const override
    {
        const QVariant handle = connection.driver()->handle();
        // Registered by the driver as PGconn*, the name Qt may normalise to the struct's (PgPipeline.cpp).
        if (qstrcmp(handle.typeName(), "PGconn*") != 0 && qstrcmp(handle.typeName(), "pg_conn*") != 0)
            return true;
        PGconn *conn = *static_cast<PGconn *const *>(handle.data());
        return conn && PQtransactionStatus(conn) != PQTRANS_IDLE;
    }
    bool sendsStatementsTogether() const override { return true; }
    QString tryLockModule(int key) const override { return u"SELECT pg_try_advisory_lock(7470, %1)"_s.arg(key); }

    QString integrityProblem(Database &) const override { return {}; }
};

} // namespace

bool Dialect::isSystemSqlState(QByteArrayView sqlState)
{
    // Classes 22 (data exception) and 23 (integrity constraint violation) are the statement's data; the others that a
    // running server can meet are the system's: 08 connection, 25 invalid transaction state (after an earlier
    // failure), 40 rollback (serialization, deadlock), 42 syntax or access (a privilege revoked), 53 insufficient
    // resources (disk full, out of memory), 54 program limit, 55 object not in prerequisite state (a lock not
    // available), 57 operator intervention (a cancel, a shutdown), 58 system error (I/O), XX internal error.
    if (sqlState.size() != 5)
        return true; // no SQLSTATE: the connection failed before any answer
    const QByteArrayView errorClass = sqlState.first(2);
    return errorClass != "22" && errorClass != "23";
}

bool Dialect::isSystemFault(const QSqlError &error)
{
    // No code: the driver's own failure, not a statement's (no connection, or a transaction it could not begin or
    // commit: SQLite's driver gives no code for those).
    const QString code = error.nativeErrorCode();
    if (code.isEmpty())
        return true;
    if (code.size() == 5) // PostgreSQL's SQLSTATE; SQLite's codes have at most four digits
        return isSystemSqlState(code.toLatin1());
    // SQLite: the statement's data breaks a constraint (SQLITE_CONSTRAINT), has a mismatched type (SQLITE_MISMATCH)
    // or is too big (SQLITE_TOOBIG); anything else is the database's (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY,
    // SQLITE_READONLY, SQLITE_NOMEM, SQLITE_CORRUPT…), extended codes included.
    const int primary = code.toInt() & 0xff;
    return primary != SQLITE_CONSTRAINT && primary != SQLITE_MISMATCH && primary != SQLITE_TOOBIG;
}

const Dialect &Dialect::of(const DatabaseSettings &settings)
{
    static const SqliteDialect sqlite;
    static const PostgresDialect postgres;
    if (settings.isSqlite())
        return sqlite;
    return postgres;
}

} // namespace clinicflow::server
