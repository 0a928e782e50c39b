// Backing up and restoring the SQLite database (the operators' `backup` and `restore` commands, security/
// AdminCommands.h).
//
// A backup is `VACUUM INTO` through Qt Sql, taken beside a running server: one read transaction, so the copy is the
// consistent state of one instant, every commit in the write-ahead log up to it included, and the server's writers
// go on meanwhile (in WAL mode a reader blocks no writer). SQLite's online backup API would copy the same pages, but
// needs the raw sqlite3 handle of Qt's driver, and a copy in steps restarts whenever another process writes; `VACUUM
// INTO` is one statement on an ordinary connection, and its copy is compact. The copy is written to a temporary name
// beside the target (made empty, mode 0600, before SQLite writes into it), synced, checked, then renamed.
//
// A restore runs only while no server uses the data folder: it takes every module's lock (ModuleLocks' files) and
// checks that no process has the database open. It checks the file, sets the current database aside with its logs
// (clinicflow.sqlite.before-restore-<UTC time>, -wal, -shm) and puts a checked copy in its place. The server
// migrates an older schema at its next start, and rebuilds the status view if it is ahead of the restored log.
#pragma once

#include "domain/Result.h"

#include <QString>
#include <QStringList>

namespace clinicflow::server {

// What a database holds, read from a copy.
struct DatabaseSummary
{
    int schemaVersion = 0;
    qint64 head = 0;     // the event log's highest sequence
    qint64 visits = 0;   // receptions
    qint64 stations = 0; // enrolled stations, revoked ones included; -1 before schema 6
    qint64 pending = 0;  // commands stored and not yet applied (their inboxes' pending rows)
    qint64 bytes = 0;    // the file's size
};

struct BackupReport
{
    QString database; // the source
    QString target;
    DatabaseSummary copy;
    qint64 elapsedMs = 0; // VACUUM INTO, sync and check
};

// Copies the SQLite database at `sqlitePath` to `target`, consistently, while a server may be running on it.
// Refuses an existing target unless `force`. The copy is checked (integrity_check, schema version equal to the
// source's) before it takes the target's name.
domain::Result<BackupReport> backupDatabase(const QString &sqlitePath, const QString &target, bool force);

// Copies the server's key pair and HTTP token (server.key, http.token) from `keysDir` to `toDir`, mode 0600 in a
// folder of mode 0700; refuses to replace a file there unless `force`. The names of the files copied.
domain::Result<QStringList> copyKeys(const QString &keysDir, const QString &toDir, bool force);
// Whether copyKeys(keysDir, toDir, false) would refuse: the error, before anything is written.
domain::Result<bool> checkKeysTarget(const QString &toDir);

struct RestoreReport
{
    QString database; // <data>/clinicflow.sqlite
    DatabaseSummary restored;
    QStringList setAside;   // the previous database's files, as renamed
    QStringList keysCopied; // into <keys>, with --with-keys
    QStringList keysSetAside;
};

// Puts the database in `from` in place of <dataDir>/clinicflow.sqlite; with `keysFrom`, the key files there into
// `keysDir` too (the ones they replace set aside). Refuses while a server runs on the folder (naming its process),
// while any process has the database open, and a file that fails integrity_check or has a schema version newer than
// this build's.
domain::Result<RestoreReport> restoreDatabase(const QString &dataDir, const QString &from, const QString &keysDir,
                                              const QString &keysFrom);

} // namespace clinicflow::server
