// Everything that differs between the two databases the server runs on, in one place: SQLite (the default, one
// file in the data folder) and PostgreSQL (--database postgresql://…, for a hospital group whose modules run on
// several hosts). The rest of the server asks its Database's dialect what to do, never which database it is.
#pragma once

#include "domain/Result.h"

#include <QByteArrayView>
#include <QString>
#include <chrono>

class QSqlDatabase;
class QSqlError;

namespace clinicflow::server {

class Database;
struct DatabaseSettings;

class Dialect
{
public:
    virtual ~Dialect() = default;

    static const Dialect &of(const DatabaseSettings &settings);

    // "SQLite /srv/clinicflow/clinicflow.sqlite", "PostgreSQL db.example:5432/clinicflow", "PostgreSQL clinicflow
    // through the Unix socket of port 5432 in /run/postgresql": for the log, no password.
    virtual QString describe(const DatabaseSettings &settings) const = 0;

    // A connection named `name`, configured but not yet open.
    virtual domain::Result<QSqlDatabase> addConnection(const DatabaseSettings &settings, const QString &name) const = 0;
    // After opening: durability and session settings every connection needs.
    virtual domain::Result<bool> configure(Database &db) const = 0;
    // The one connection a process writes through (GroupCommit): settings for heavy writing.
    virtual domain::Result<bool> configureWriter(Database &db) const = 0;
    // A connection writing derived data only (the status view, rebuilt from the log if lost): a commit need not
    // wait for the disk.
    virtual domain::Result<bool> relaxDurability(Database &db) const = 0;

    // Opens a write transaction that no other writer interleaves with in a way this database cannot order.
    virtual QString beginWrite() const = 0;
    // Locks the schema for one migration step across every process on the database (already held on SQLite by
    // BEGIN IMMEDIATE); empty when nothing is needed.
    virtual QString lockSchema() const = 0;
    // Whether transaction control (SAVEPOINT, RELEASE) may be prepared: PostgreSQL prepares only plain statements.
    virtual bool preparesTransactionControl() const = 0;

    // Schema vocabulary (Schema.cpp's %SERIAL% and %BLOB%), and whether a %SQLITE% or %PG% statement applies.
    virtual QString serialKey() const = 0;
    virtual QString blobType() const = 0;
    virtual bool isSqlite() const = 0;

    // Event sequences. SQLite takes one writer at a time, so a row id is both gap-free and committed in order.
    // PostgreSQL has concurrent writers: a transaction reserves its numbers from one counter row (log_head), which it
    // then holds until it commits. A later number therefore never commits before an earlier one (a reader never
    // skips a sequence that commits later), and a rollback gives its numbers back (no gap stalls a station).
    virtual bool reservesSequences() const = 0;

    // The status view: its own file on SQLite (see DatabaseSettings::viewSettings), the same database on PostgreSQL.
    virtual bool viewHasItsOwnStore() const = 0;
    // Whether the file must be checked and checkpointed by the server itself (SQLite's WAL).
    virtual bool needsCheckpointer() const = 0;
    // A store-level integrity check: what is wrong, or nothing (always nothing where the database server guards its
    // own pages).
    virtual QString integrityProblem(Database &db) const = 0;

    // A query answering true when this session now holds the lock on module `key` (released when the session ends,
    // kill -9 included), or empty where the data folder's file lock is the whole story (one host: SQLite).
    virtual QString tryLockModule(int key) const = 0;

    // Whether a statement's error is the database system's (its disk full or failing, its connection lost, a lock or
    // serialization conflict, an operator's cancel, a privilege missing), which the same statement may not meet
    // later, rather than the statement's own data's (a constraint it breaks, a value out of range). Qt gives
    // SQLite's result code (a number) or PostgreSQL's SQLSTATE (five characters) as the native code.
    static bool isSystemFault(const QSqlError &error);
    static bool isSystemSqlState(QByteArrayView sqlState);

    // Whether `connection` is inside a transaction now, asked of the driver without a round trip: after a failed COMMIT
    // the database may have ended the transaction itself (SQLite does, its disk full), and a ROLLBACK then has
    // nothing to undo.
    virtual bool transactionOpen(const QSqlDatabase &connection) const = 0;

    // Whether processes on other hosts can share the database and tell each other of new rows (LISTEN/NOTIFY).
    virtual bool notifiesAcrossProcesses() const = 0;

    // Whether statements may travel to the database together, their values bound (Database::pipeline, PgPipeline.h):
    // a round trip to a database server costs more than most of the statements it carries (PostgreSQL); SQLite, in
    // the process, has no round trips to save.
    virtual bool sendsStatementsTogether() const = 0;
};

} // namespace clinicflow::server
