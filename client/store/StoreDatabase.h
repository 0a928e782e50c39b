// The local store's SQLite file: created owner-only, opened with WAL + synchronous=FULL (a returned commit survives
// kill -9 and power loss), its schema migrated to the current version, and one connection name per store so two
// stores in one process (tests, a station switching servers) never share a connection.
#pragma once

#include "domain/Result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <memory>

namespace clinicflow::client {

class StoreDatabase
{
public:
    // The schema version this build writes. A file with a newer version is refused, never downgraded.
    static constexpr int kSchemaVersion = 1;

    // Creates the folder (0700) and the file (0600) when missing, then opens and migrates.
    static domain::Result<std::unique_ptr<StoreDatabase>> open(const QString &path);
    ~StoreDatabase();
    Q_DISABLE_COPY_MOVE(StoreDatabase)

    const QString &path() const { return m_path; }
    QSqlDatabase database() const;

    // A statement prepared once and kept: the hot paths (events, visits, outbox) reuse theirs.
    domain::Result<QSqlQuery> prepare(const QString &sql) const;
    // Runs a prepared statement; a failure is an InternalError naming the statement's purpose.
    static domain::Result<bool> run(QSqlQuery &query, const char *what);
    domain::Result<bool> exec(const QString &sql, const char *what) const;

    // How much a commit must survive. Synced (synchronous=FULL): a power cut, for the station's own actions and
    // settings. Replayable (synchronous=NORMAL): only a crash of the app, for what the server can send again (its
    // events and answers); WAL keeps commits in order, so a later Synced commit makes these durable too, and a
    // power cut can only lose a tail of them, which the engine fetches again from the last sequence kept.
    enum class Durability
    {
        Synced,
        Replayable
    };
    domain::Result<bool> begin(Durability durability = Durability::Synced);
    domain::Result<bool> commit();
    void rollback();

private:
    StoreDatabase(QString path, QString connectionName);
    domain::Result<bool> configure();
    domain::Result<bool> migrate();

    QString m_path;
    QString m_connectionName;
    Durability m_durability = Durability::Synced; // the connection's synchronous setting now
};

// Rolls back on scope exit unless committed, so an early error return never leaves a transaction open.
class Transaction
{
public:
    explicit Transaction(StoreDatabase &db, StoreDatabase::Durability durability = StoreDatabase::Durability::Synced);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    bool ok() const { return m_open; }
    const domain::Error &error() const { return m_error; }
    domain::Result<bool> commit();

private:
    StoreDatabase &m_db;
    bool m_open = false;
    domain::Error m_error;
};

} // namespace clinicflow::client
