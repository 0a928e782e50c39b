#include "AdminCommandsBackup.h"

#include "storage/Backup.h"
#include "storage/Schema.h"

#include <QDir>
#include <QFileInfo>
#include <QTextStream>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace clinicflow::server::admin {
namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int refuse(const QString &command, const domain::Error &error)
{
    QTextStream(stderr) << "clinicflow-server: " << command << ": "
                        << (error.detail.isEmpty() ? error.message() : error.detail) << Qt::endl;
    return 1;
}

common::Option extra(const QString &name, const QString &help, const QString &valueName,
                     common::OptionKind kind = common::OptionKind::String)
{
    common::Option option;
    option.name = name;
    option.help = help;
    option.valueName = valueName;
    option.kind = kind;
    return option;
}

QString size(qint64 bytes)
{
    if (bytes < 1024 * 1024)
        return u"%1 KiB"_s.arg(double(bytes) / 1024, 0, 'f', 1);
    return u"%1 MiB"_s.arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}

QString contents(const DatabaseSummary &s)
{
    return u"schema version %1, event log head %2, %3 visits, %4 stations, %5 commands not yet applied, %6"_s
        .arg(s.schemaVersion)
        .arg(s.head)
        .arg(s.visits)
        .arg(s.stations < 0 ? u"no"_s : QString::number(s.stations))
        .arg(s.pending)
        .arg(size(s.bytes));
}

// PostgreSQL is not ours to copy: its own tools do it, consistently, while the server runs.
int postgresAnswer(const QString &command, const common::ServerConfig &config)
{
    const QString url = QUrl(config.database).toDisplayString(QUrl::RemovePassword);
    QTextStream(stderr)
        << "clinicflow-server: " << command << ": the database is PostgreSQL (" << url << "): "
        << (command == u"backup"_s
                ? u"back it up with pg_dump (pg_dump --format=custom --file clinicflow.dump '%1'), "
                  "which takes a consistent snapshot while the server runs; restore with pg_restore"_s.arg(url)
                : u"restore a pg_dump backup with pg_restore (pg_restore --clean --dbname '%1' "
                  "clinicflow.dump) while no server uses the database"_s.arg(url))
        << ". The server's key pair and HTTP token in " << config.keysDir << " are files: back them up too."
        << Qt::endl;
    return 2;
}

} // namespace

void addBackupOptions(const QString &command, common::OptionSet &set)
{
    if (command == u"backup"_s) {
        set.add(extra(u"to"_s,
                      u"The backup file (mode 0600): written under a temporary name beside it, synced, checked, "
                      "then renamed."_s,
                      u"file"_s));
        set.add(extra(u"with-keys"_s,
                      u"Also copy the server's key pair and HTTP token (<keys>/server.key, http.token) into this "
                      "folder (mode 0700, files 0600): a database restored without its server key means enrolling "
                      "every station again."_s,
                      u"dir"_s));
        set.add(extra(u"force"_s, u"Replace an existing --to file (and key files in --with-keys)."_s, {},
                      common::OptionKind::Bool));
    } else {
        set.add(extra(u"from"_s, u"The backup file to put in place."_s, u"file"_s));
        set.add(extra(u"with-keys"_s,
                      u"Also put the server's key pair and HTTP token from this folder (a backup's --with-keys) into "
                      "<keys>; the files they replace are set aside, like the database."_s,
                      u"dir"_s));
    }
}

common::OptionSet backupOptionSet(const QString &command)
{
    if (command == u"backup"_s) {
        return common::OptionSet(
            u"clinicflow-server backup"_s, common::clinicflowVersion(),
            u"Copies the SQLite database while the server runs and writes, without stopping it: SQLite's VACUUM "
            "INTO, one read transaction, so the copy is the state of one instant with every commit of the "
            "write-ahead log up to it. The copy is checked (integrity_check, its schema version) and what it holds "
            "is printed. The status view is not copied: the server rebuilds it from the log. On PostgreSQL, use "
            "pg_dump."_s);
    }
    return common::OptionSet(
        u"clinicflow-server restore"_s, common::clinicflowVersion(),
        u"Puts a backup in place of the data folder's database; only while no server runs on the folder. Checks the "
        "file (integrity_check, a schema version this server knows), sets the current database aside as "
        "clinicflow.sqlite.before-restore-<UTC time> with its -wal and -shm, and puts the copy in place (mode "
        "0600). The server migrates an older schema at its next start. On PostgreSQL, use pg_restore."_s);
}

int backup(const common::ConfigValues &values, const common::ServerConfig &config)
{
    if (!config.usesSqlite())
        return postgresAnswer(u"backup"_s, config);
    const QString target = values.text(u"to"_s);
    if (target.isEmpty())
        return refuse(u"backup"_s, domain::makeError(domain::ErrorCode::InternalError, u"--to FILE is required"_s));
    const QString keysTo = values.text(u"with-keys"_s);
    const bool force = values.flag(u"force"_s);
    if (!keysTo.isEmpty() && !force) {
        if (auto free = checkKeysTarget(keysTo); !free)
            return refuse(u"backup"_s, free.error());
    }
    auto done = backupDatabase(config.sqlitePath(), target, force);
    if (!done)
        return refuse(u"backup"_s, done.error());
    out() << "backup of " << done->database << " written to " << done->target << " (mode 0600) in " << done->elapsedMs
          << " ms\n"
          << "  " << contents(done->copy) << "\n"
          << "  integrity_check ok, schema version equal to the database's; a consistent copy of one instant, the "
             "write-ahead log's commits included\n"
          << "  not in it: the status view (the server rebuilds it from the log)\n";
    if (keysTo.isEmpty()) {
        out() << "keys: NOT copied. Back up " << config.keysDir
              << " (server.key, http.token) with it, or give --with-keys DIR: a database restored without its "
                 "server key means enrolling every station again"
              << Qt::endl;
        return 0;
    }
    auto keys = copyKeys(config.keysDir, keysTo, force);
    if (!keys)
        return refuse(u"backup"_s, keys.error());
    QStringList names;
    for (const QString &path : keys.value())
        names << QFileInfo(path).fileName();
    out() << "keys: copied " << names.join(u", "_s) << " from " << config.keysDir << " to "
          << QFileInfo(keysTo).absoluteFilePath() << " (mode 0600): keep them with the backup, and as secret"
          << Qt::endl;
    return 0;
}

int restore(const common::ConfigValues &values, const common::ServerConfig &config)
{
    if (!config.usesSqlite())
        return postgresAnswer(u"restore"_s, config);
    const QString from = values.text(u"from"_s);
    if (from.isEmpty())
        return refuse(u"restore"_s, domain::makeError(domain::ErrorCode::InternalError, u"--from FILE is required"_s));
    const QString keysFrom = values.text(u"with-keys"_s);
    auto done = restoreDatabase(config.dataDir, from, config.keysDir, keysFrom);
    if (!done)
        return refuse(u"restore"_s, done.error());
    const DatabaseSummary &r = done->restored;
    out() << "restored " << QFileInfo(from).absoluteFilePath() << " into " << done->database << " (mode 0600)\n"
          << "  " << contents(r) << "; integrity_check ok\n";
    if (done->setAside.isEmpty()) {
        out() << "  there was no database there before\n";
    } else {
        out() << "  the previous database is set aside: " << done->setAside.join(u", "_s) << "\n";
    }
    if (!done->keysCopied.isEmpty()) {
        out() << "  keys: put " << done->keysCopied.join(u", "_s) << " in place (mode 0600)"
              << (done->keysSetAside.isEmpty()
                      ? QString()
                      : u"; the previous ones are set aside: "_s + done->keysSetAside.join(u", "_s))
              << "\n";
    } else if (QFileInfo(QDir(config.keysDir).filePath(u"server.key"_s)).isFile()) {
        out() << "  keys: " << config.keysDir
              << "/server.key is kept: it must be the key of the server the backup came from, or every station "
                 "must be enrolled again (--with-keys DIR puts the backed-up keys in place)\n";
    } else {
        out() << "  keys: there is no server key in " << config.keysDir
              << ": the server makes a new one at its start, and every station must then be enrolled again; give "
                 "--with-keys DIR with the keys backed up with the database\n";
    }
    if (r.schemaVersion < currentSchemaVersion())
        out() << "  the server migrates it from schema version " << r.schemaVersion << " to " << currentSchemaVersion()
              << " at its next start\n";
    out() << "start the server: "
          << (r.pending > 0 ? u"it applies the %1 stored commands not yet applied, and "_s.arg(r.pending) : QString())
          << "it rebuilds the status view from the log if the view is ahead of it or from another log" << Qt::endl;
    return 0;
}

} // namespace clinicflow::server::admin
