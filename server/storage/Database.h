// Opening the server's database on the calling thread, and the write transaction every module commits through.
// Qt Sql connections belong to the thread that opened them (ARCHITECTURE §10): each worker opens its own.
#pragma once

#include "Dialect.h"
#include "domain/Result.h"
#include "domain/Types.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <memory>
#include <mutex>
#include <utility>

namespace clinicflow::server {

class PgPipeline;

struct DatabaseSettings
{
    QString sqlitePath;  // the SQLite file, when url is empty
    QString postgresUrl; // postgresql://user@host:port/dbname?libpq-parameter=value
    int busyTimeoutMs = 10000;
    QString passwordFile; // PostgreSQL: read at every connection, so a rotated secret is taken at the next one
    QString password;     // PostgreSQL, for tests and tools that hold it already; passwordFile wins

    bool isSqlite() const { return postgresUrl.isEmpty(); }
    // The SQLite file at `path`.
    static DatabaseSettings sqliteFile(const QString &path, int busyTimeoutMs = 10000)
    {
        DatabaseSettings s;
        s.sqlitePath = path;
        s.busyTimeoutMs = busyTimeoutMs;
        return s;
    }
    // From the --data folder, the --database URL and --database-password-file.
    static DatabaseSettings fromConfig(const QString &dataFolder, const QString &databaseUrl,
                                       const QString &passwordFile = {});
    // Where the status view lives. On SQLite, a file of its own beside the main one: the view's commits then never
    // invalidate the page cache of the connection every other module writes through (SQLite drops a connection's
    // whole cache when another connection has written to the file), and the view is derived data that can be
    // rebuilt from the log. On PostgreSQL, the same database.
    DatabaseSettings viewSettings() const;
    // SQLite: the file and its logs become readable by this account only. The server's umask covers the files it
    // creates; this tightens those an older version left open. Call once at start-up, after opening.
    void restrictToOwner() const;
};

// What a transaction changed, as the other processes on the database need to know it (ChangeFeed.h): new events
// (the view and the gateway read every one), work for a context's worker (a command stored in its inbox, or an event
// it reacts to: only that worker is woken, not every consumer of the log), and commands resolved (the gateway
// answers them). Bits of a quint8.
namespace Change {
constexpr quint8 Log = 1;
constexpr quint8 ReceptionWork = 2;
constexpr quint8 DiagnosisWork = 4;
constexpr quint8 ExaminationWork = 8;
constexpr quint8 Resolved = 16;
constexpr quint8 Everything = 0xff;

constexpr quint8 workFor(domain::BoundedContext context)
{
    switch (context) {
    case domain::BoundedContext::Reception:
        return ReceptionWork;
    case domain::BoundedContext::Diagnosis:
        return DiagnosisWork;
    case domain::BoundedContext::Examination:
        break;
    }
    return ExaminationWork;
}
} // namespace Change

// One named connection, owned by the thread that opened it, closed and removed on destruction.
class Database
{
    Q_DISABLE_COPY_MOVE(Database)
public:
    ~Database();

    // Opens a connection named `name` (unique per thread and purpose), configured as its dialect says (durable
    // commits on both databases).
    static domain::Result<std::unique_ptr<Database>> open(const DatabaseSettings &settings, const QString &name);

    QSqlDatabase &connection() { return m_db; }
    const Dialect &dialect() const { return *m_dialect; }
    const DatabaseSettings &settings() const { return m_settings; }

    // Serialises this process's writers on one SQLite file, so they queue on a mutex instead of sleeping in
    // SQLite's busy handler; other processes still meet the busy timeout.
    QMutex *writerLock() const { return m_writerLock; }

    // Noted by the storage classes as they write; GroupCommit takes them once per round and tells the other
    // processes after its COMMIT (WriteTransaction::commit).
    void noteChange(quint8 change) { m_changes |= change; }
    // What was noted; noting starts again.
    quint8 takeChanges() { return std::exchange(m_changes, quint8(0)); }

    // PostgreSQL: the statements sent together with their values bound (PgPipeline.h), on this connection; none on
    // SQLite, which is in the process and has no round trips to save.
    PgPipeline *pipeline() { return m_pipeline.get(); }
    // Deferred statements, where there is a pipeline: between startDeferring() and finishDeferring(), writes whose
    // results nobody reads (BatchStatement::run without a check) are queued and travel in one message with the next
    // statement that needs its answer (the event log's reservation), at the latest the COMMIT (WriteTransaction), or
    // the release of the unit's savepoint where it shares its round (GroupCommit), instead of a round trip each.
    // Every statement in the message is answered: the first to fail is the error, with its own, and the transaction
    // is undone. Nothing that runs meanwhile through the driver may read what they write. Elsewhere every statement
    // runs at once.
    bool isDeferring() const { return m_deferring; }
    void startDeferring() { m_deferring = m_pipeline != nullptr; }
    // Runs each statement at once again; what is queued still waits for the next answer.
    void finishDeferring() { m_deferring = false; }
    // Sends what is queued now, if anything (one round trip).
    domain::Result<bool> sendQueued();
    // Forgets what is queued (the unit failed and is undone), and runs each statement at once again.
    void dropDeferred();

private:
    Database(const DatabaseSettings &settings, QSqlDatabase db);

    DatabaseSettings m_settings;
    const Dialect *m_dialect;
    QSqlDatabase m_db;
    QString m_name;
    QMutex *m_writerLock = nullptr;
    quint8 m_changes = 0;
    bool m_deferring = false;
    std::unique_ptr<PgPipeline> m_pipeline;
};

// The dialect's write transaction (BEGIN IMMEDIATE on SQLite); rolls back unless commit() succeeded.
class WriteTransaction
{
    Q_DISABLE_COPY_MOVE(WriteTransaction)
public:
    // When the transaction's first statement goes to the database. WithFirstPipelined, on PostgreSQL: the BEGIN is
    // queued in the pipeline and travels with the first statements sent through it (the round trip a BEGIN alone
    // costs, saved on every round of a worker). The caller's first statement must then go through the pipeline: one
    // run through the driver before it would run outside the transaction. Elsewhere the same as Now.
    enum class Begin
    {
        Now,
        WithFirstPipelined
    };
    explicit WriteTransaction(Database &db, Begin begin = Begin::Now);
    ~WriteTransaction();

    bool isActive() const { return m_active; }
    const domain::Error &beginError() const { return m_error; }
    // `thenNotify`, a NOTIFY, runs right after the COMMIT (in the same message on PostgreSQL), in a transaction of
    // its own: the other processes are told once the changes are there, and no commit waits behind another for
    // PostgreSQL's notification lock, which a NOTIFY inside a transaction holds from before its commit until its
    // WAL is flushed. A NOTIFY that fails is logged; the commit stands.
    domain::Result<bool> commit(const QString &thenNotify = {});
    void rollback();

private:
    Database &m_db;
    std::unique_lock<QMutex> m_lock;
    bool m_active = false;
    domain::Error m_error;
};

// Runs a statement with no result rows; the error names the statement's first words and the driver's text.
domain::Result<bool> execSql(QSqlDatabase &db, const QString &sql);

// Binds values in order, from place `first`. A null QString is bound as '' (not NULL): the schema's text columns
// are NOT NULL and an absent text is empty in the domain.
void bindAll(QSqlQuery &query, const QVariantList &values, int first = 0);

// An error value for a failed query.
domain::Error sqlError(const class QSqlQuery &query, const char *what);

} // namespace clinicflow::server
