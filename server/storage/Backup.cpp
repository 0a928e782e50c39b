#include "Backup.h"

#include "Database.h"
#include "Schema.h"
#include "common/Config.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;
using clinicflow::domain::ErrorCode;
using clinicflow::domain::makeError;
using clinicflow::domain::Result;

namespace clinicflow::server {
namespace {

const QStringList kKeyFiles{u"server.key"_s, u"http.token"_s};

domain::Error failure(const QString &text)
{
    return makeError(ErrorCode::InternalError, text);
}

QString systemError(int error = errno)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// "process 1234 (clinicflow-server)", from /proc when it tells.
QString describeProcess(qint64 pid)
{
    if (pid <= 0)
        return u"another process"_s;
    QFile comm(u"/proc/%1/comm"_s.arg(pid));
    const QString name = comm.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(comm.readAll()).trimmed() : QString();
    return name.isEmpty() ? u"process %1"_s.arg(pid) : u"process %1 (%2)"_s.arg(pid).arg(name);
}

// Which process has the SQLite database open, or 0 (-1 when the kernel cannot say). Every connection to a database in
// WAL mode holds a read lock on the "dead man switch" byte of its -shm file for as long as it is open (SQLite's unix
// VFS: byte 128, after the eight WAL locks); a write lock we could take would conflict with it, and the kernel names
// the holder.
qint64 processWithDatabaseOpen(const QString &sqlitePath)
{
    const QByteArray shm = (sqlitePath + u"-shm"_s).toLocal8Bit();
    const int fd = ::open(shm.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct flock probe = {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 128;
    probe.l_len = 1;
    const bool held = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    ::close(fd); // we held no lock on the file, so closing releases none
    if (!held)
        return 0;
    return probe.l_pid > 0 ? probe.l_pid : -1; // -1: a holder in another PID namespace (a container)
}

Result<bool> syncPath(const QString &path, bool folder)
{
    const int fd = ::open(path.toLocal8Bit().constData(), (folder ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return failure(u"cannot open %1 to sync it: %2"_s.arg(path, systemError()));
    const bool synced = ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!synced)
        return failure(u"cannot sync %1: %2"_s.arg(path, systemError(error)));
    return true;
}

// A new empty file only this account can read, failing if the name is taken.
Result<int> createPrivate(const QString &path)
{
    const int fd = ::open(path.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return failure(u"cannot create %1: %2"_s.arg(path, systemError()));
    return fd;
}

// Copies `from` to `to` (a new name), mode 0600, synced.
Result<bool> copyPrivate(const QString &from, const QString &to)
{
    QFile source(from);
    if (!source.open(QIODevice::ReadOnly))
        return failure(u"cannot read %1: %2"_s.arg(from, source.errorString()));
    auto fd = createPrivate(to);
    if (!fd)
        return fd.error();
    QFile target;
    if (!target.open(fd.value(), QIODevice::WriteOnly, QFileDevice::AutoCloseHandle))
        return failure(u"cannot write %1"_s.arg(to));
    QByteArray chunk;
    while (!(chunk = source.read(1 << 20)).isEmpty()) {
        if (target.write(chunk) != chunk.size())
            return failure(u"cannot write %1: %2"_s.arg(to, target.errorString()));
    }
    if (source.error() != QFileDevice::NoError)
        return failure(u"cannot read %1: %2"_s.arg(from, source.errorString()));
    if (!target.flush() || ::fsync(target.handle()) != 0)
        return failure(u"cannot write %1: %2"_s.arg(to, systemError()));
    return true;
}

void removeWithLogs(const QString &path)
{
    for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s, u"-journal"_s})
        QFile::remove(path + suffix);
}

// A plain connection to a file this process alone uses (a copy being made), closed and removed on destruction.
class Connection
{
    Q_DISABLE_COPY_MOVE(Connection)
public:
    explicit Connection(const QString &path)
        : m_name(u"copy-%1"_s.arg(path))
    {
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        m_db.setDatabaseName(path);
    }
    ~Connection()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    Result<bool> open()
    {
        if (!m_db.open())
            return failure(u"cannot open it: "_s + m_db.lastError().text());
        return true;
    }
    // The first column of the first row.
    Result<QVariant> value(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql) || !q.next())
            return failure(u"%1: %2"_s.arg(sql.left(60), q.lastError().text()));
        return q.value(0);
    }
    Result<QStringList> rows(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql))
            return failure(u"%1: %2"_s.arg(sql.left(60), q.lastError().text()));
        QStringList rows;
        while (q.next())
            rows << q.value(0).toString();
        return rows;
    }

private:
    QString m_name;
    QSqlDatabase m_db;
};

// Reads what a copy holds, after SQLite's integrity_check says it is whole.
Result<DatabaseSummary> inspect(const QString &path)
{
    Connection copy(path);
    if (auto opened = copy.open(); !opened)
        return opened.error();
    auto integrity = copy.rows(u"PRAGMA integrity_check(20)"_s);
    if (!integrity)
        return failure(u"integrity_check failed: "_s + integrity.error().detail);
    if (integrity.value() != QStringList{u"ok"_s})
        return failure(u"integrity_check failed: "_s + integrity.value().join(u"; "_s).left(600));
    DatabaseSummary summary;
    auto version = copy.value(u"SELECT MAX(version) FROM schema_version"_s);
    if (!version || version->toInt() < 1)
        return failure(u"not a ClinicFlow database (it has no schema version)"_s);
    summary.schemaVersion = version->toInt();
    auto head = copy.value(u"SELECT COALESCE(MAX(sequence), 0) FROM event_log"_s);
    auto visits = copy.value(u"SELECT COUNT(*) FROM receptions"_s);
    auto pending = copy.value(u"SELECT (SELECT COUNT(*) FROM reception_inbox WHERE status = 0) + (SELECT COUNT(*) "
                              "FROM diagnosis_inbox WHERE status = 0) + (SELECT COUNT(*) FROM examination_inbox "
                              "WHERE status = 0)"_s);
    for (const auto *read : {&head, &visits, &pending}) {
        if (!*read)
            return failure(u"not a ClinicFlow database: "_s + read->error().detail);
    }
    summary.head = head->toLongLong();
    summary.visits = visits->toLongLong();
    summary.pending = pending->toLongLong();
    auto stations = copy.value(u"SELECT COUNT(*) FROM stations"_s);
    summary.stations = stations ? stations->toLongLong() : -1;
    summary.bytes = QFileInfo(path).size();
    return summary;
}

QString utcStamp()
{
    return QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
}

// Every module's lock in the data folder (ModuleLocks' files), held for the life of this object: a running server
// holds them, and a server started meanwhile fails on them.
class FolderLocks
{
    Q_DISABLE_COPY_MOVE(FolderLocks)
public:
    FolderLocks() = default;
    ~FolderLocks()
    {
        for (int fd : m_fds)
            ::close(fd);
    }

    Result<bool> take(const QString &dataDir)
    {
        for (const QString &module : common::serverModules()) {
            const QString path = QDir(dataDir).filePath(module + u".lock"_s);
            const int fd = ::open(path.toLocal8Bit().constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
            if (fd < 0)
                return failure(u"cannot open %1: %2"_s.arg(path, systemError()));
            if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
                const int error = errno;
                char buffer[32] = {};
                const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
                const qint64 pid = n > 0 ? QByteArray(buffer, qsizetype(n)).trimmed().toLongLong() : 0;
                ::close(fd);
                if (error != EWOULDBLOCK)
                    return failure(u"cannot lock %1: %2"_s.arg(path, systemError(error)));
                return failure(u"a server runs on the data folder %1 (%2 holds the %3 module's lock): stop it first "
                               "(SIGTERM: systemctl stop clinicflow-server, podman stop, or kill -TERM %4), then "
                               "restore"_s.arg(dataDir, describeProcess(pid), module)
                                   .arg(pid > 0 ? QString::number(pid) : u"<pid>"_s));
            }
            m_fds.push_back(fd);
            const QByteArray note = QByteArray::number(QCoreApplication::applicationPid()) + '\n';
            if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, note.constData(), std::size_t(note.size()), 0) < 0) {
                // The lock holds without the note; only another process's message is vaguer.
            }
        }
        return true;
    }

private:
    std::vector<int> m_fds;
};

QString canonical(const QString &path)
{
    const QFileInfo info(path);
    const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
    return (folder.isEmpty() ? info.absolutePath() : folder) + u'/' + info.fileName();
}

} // namespace

Result<BackupReport> backupDatabase(const QString &sqlitePath, const QString &target, bool force)
{
    QElapsedTimer timer;
    timer.start();
    BackupReport report;
    report.database = QFileInfo(sqlitePath).absoluteFilePath();
    report.target = QFileInfo(target).absoluteFilePath();
    if (!QFileInfo(sqlitePath).isFile())
        return failure(u"there is no database at %1 (is --data right?)"_s.arg(report.database));
    const QFileInfo targetInfo(report.target);
    if (!targetInfo.dir().exists())
        return failure(u"the folder %1 does not exist"_s.arg(targetInfo.absolutePath()));
    DatabaseSettings settings;
    settings.sqlitePath = report.database;
    const QString view = settings.viewSettings().sqlitePath;
    for (const QString &live : {report.database, view}) {
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
            if (canonical(report.target) == canonical(live + suffix))
                return failure(u"%1 is one of the server's own files: back up to another name"_s.arg(report.target));
        }
    }
    if (targetInfo.exists() || targetInfo.isSymLink()) {
        if (targetInfo.isDir())
            return failure(u"%1 is a folder: give the backup file's name"_s.arg(report.target));
        if (!force)
            return failure(u"%1 exists already: give another name, or --force to replace it"_s.arg(report.target));
    }

    auto source = Database::open(settings, u"backup-source"_s);
    if (!source)
        return source.error();
    int sourceVersion = 0;
    {
        QSqlQuery q(source.value()->connection());
        if (!q.exec(u"SELECT MAX(version) FROM schema_version"_s) || !q.next() || q.value(0).toInt() < 1)
            return failure(u"%1 is not a ClinicFlow database (it has no schema version)"_s.arg(report.database));
        sourceVersion = q.value(0).toInt();
    }

    // Made empty first, so the copy is never readable by others, not even while SQLite writes it.
    const QString partial = targetInfo.dir().filePath(
        u".%1.partial-%2"_s.arg(targetInfo.fileName()).arg(QCoreApplication::applicationPid()));
    removeWithLogs(partial);
    auto fd = createPrivate(partial);
    if (!fd)
        return fd.error();
    ::close(fd.value());
    const auto fail = [&](const domain::Error &error) {
        removeWithLogs(partial);
        return error;
    };
    {
        // One read transaction: the state of one instant, the write-ahead log's commits included; writers go on.
        QSqlQuery vacuum(source.value()->connection());
        vacuum.prepare(u"VACUUM INTO ?"_s);
        vacuum.addBindValue(partial);
        if (!vacuum.exec())
            return fail(failure(u"VACUUM INTO %1: %2"_s.arg(partial, vacuum.lastError().text())));
    }
    source.value().reset();
    if (auto synced = syncPath(partial, false); !synced)
        return fail(synced.error());
    auto copy = inspect(partial);
    if (!copy)
        return fail(failure(u"the copy is not sound: "_s + copy.error().detail));
    if (copy->schemaVersion != sourceVersion)
        return fail(
            failure(u"the copy has schema version %1, the database %2"_s.arg(copy->schemaVersion).arg(sourceVersion)));
    if (!QFile::setPermissions(partial, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return fail(failure(u"cannot make %1 mode 0600"_s.arg(partial)));
    if (::rename(partial.toLocal8Bit().constData(), report.target.toLocal8Bit().constData()) != 0)
        return fail(failure(u"cannot rename %1 to %2: %3"_s.arg(partial, report.target, systemError())));
    if (auto synced = syncPath(targetInfo.absolutePath(), true); !synced)
        return synced.error();
    report.copy = copy.value();
    report.copy.bytes = QFileInfo(report.target).size();
    report.elapsedMs = timer.elapsed();
    return report;
}

Result<bool> checkKeysTarget(const QString &toDir)
{
    for (const QString &name : kKeyFiles) {
        if (const QString path = QDir(toDir).filePath(name); QFileInfo::exists(path))
            return failure(u"%1 exists already: give another folder, or --force to replace it"_s.arg(path));
    }
    return true;
}

Result<QStringList> copyKeys(const QString &keysDir, const QString &toDir, bool force)
{
    if (!QFileInfo(QDir(keysDir).filePath(kKeyFiles.first())).isFile())
        return failure(u"there is no server key in %1 (no server has started with this data folder, or --keys "
                       "names another folder)"_s.arg(keysDir));
    if (!force) {
        if (auto free = checkKeysTarget(toDir); !free)
            return free.error();
    }
    if (!QDir().mkpath(toDir) ||
        !QFile::setPermissions(toDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
        return failure(u"cannot make the folder %1 (mode 0700)"_s.arg(toDir));
    QStringList copied;
    for (const QString &name : kKeyFiles) {
        const QString from = QDir(keysDir).filePath(name);
        if (!QFileInfo(from).isFile())
            continue; // no http.token when the server reads --http-token-file
        const QString to = QDir(toDir).filePath(name);
        const QString partial =
            QDir(toDir).filePath(u".%1.partial-%2"_s.arg(name).arg(QCoreApplication::applicationPid()));
        QFile::remove(partial);
        if (auto done = copyPrivate(from, partial); !done) {
            QFile::remove(partial);
            return done.error();
        }
        if (::rename(partial.toLocal8Bit().constData(), to.toLocal8Bit().constData()) != 0) {
            QFile::remove(partial);
            return failure(u"cannot rename %1 to %2: %3"_s.arg(partial, to, systemError()));
        }
        copied << to;
    }
    if (auto synced = syncPath(toDir, true); !synced)
        return synced.error();
    return copied;
}

Result<RestoreReport> restoreDatabase(const QString &dataDir, const QString &from, const QString &keysDir,
                                      const QString &keysFrom)
{
    RestoreReport report;
    report.database = QFileInfo(QDir(dataDir).filePath(u"clinicflow.sqlite"_s)).absoluteFilePath();
    const QString source = QFileInfo(from).absoluteFilePath();
    if (!QFileInfo(source).isFile())
        return failure(u"there is no file %1"_s.arg(source));
    if (!keysFrom.isEmpty() && !QFileInfo(QDir(keysFrom).filePath(kKeyFiles.first())).isFile())
        return failure(u"--with-keys: there is no server.key in %1"_s.arg(keysFrom));
    if (!QDir().mkpath(dataDir))
        return failure(u"cannot create the data folder %1"_s.arg(dataDir));

    FolderLocks locks;
    if (auto taken = locks.take(dataDir); !taken)
        return taken.error();
    if (const qint64 pid = processWithDatabaseOpen(report.database))
        return failure(u"%1 has the database %2 open (a read replica, --only http, or an admin command): stop it "
                       "first, then restore"_s.arg(describeProcess(pid), report.database));
    if (canonical(source) == canonical(report.database))
        return failure(u"%1 is the database itself: restore from a backup (clinicflow-server backup)"_s.arg(source));
    if (const qint64 pid = processWithDatabaseOpen(source))
        return failure(u"%1 has %2 open: a database in use is no backup; take one with clinicflow-server "
                       "backup"_s.arg(describeProcess(pid), source));

    // A copy of the file beside the database, with its write-ahead log when it has one (a database set aside by an
    // earlier restore, say), made whole and checked before anything is moved.
    const QString partial =
        QDir(dataDir).filePath(u".clinicflow.sqlite.restoring-%1"_s.arg(QCoreApplication::applicationPid()));
    removeWithLogs(partial);
    const auto fail = [&](const domain::Error &error) {
        removeWithLogs(partial);
        return error;
    };
    if (auto copied = copyPrivate(source, partial); !copied)
        return fail(copied.error());
    if (QFileInfo(source + u"-wal"_s).size() > 0) {
        if (auto copied = copyPrivate(source + u"-wal"_s, partial + u"-wal"_s); !copied)
            return fail(copied.error());
    }
    {
        // Into rollback-journal mode: the log's commits are copied into the file and the log removed. The server
        // sets WAL again when it opens the database.
        Connection copy(partial);
        if (auto opened = copy.open(); !opened)
            return fail(failure(u"%1: %2"_s.arg(source, opened.error().detail)));
        if (auto mode = copy.value(u"PRAGMA journal_mode=DELETE"_s); !mode)
            return fail(failure(u"%1 is not a database SQLite can read: %2"_s.arg(source, mode.error().detail)));
    }
    QFile::remove(partial + u"-shm"_s); // the log is in the file now
    auto restored = inspect(partial);
    if (!restored)
        return fail(failure(u"%1: %2"_s.arg(source, restored.error().detail)));
    if (restored->schemaVersion > currentSchemaVersion())
        return fail(failure(u"%1 has schema version %2, newer than this server's %3: restore it with the server "
                            "version that made it, or a newer one"_s.arg(source)
                                .arg(restored->schemaVersion)
                                .arg(currentSchemaVersion())));
    report.restored = restored.value();

    // The current database aside, its logs first, so no old log is ever beside the restored file.
    const QString stamp = utcStamp();
    QString aside = report.database + u".before-restore-"_s + stamp;
    for (int n = 2; QFileInfo::exists(aside) || QFileInfo::exists(aside + u"-wal"_s); ++n)
        aside = report.database + u".before-restore-%1-%2"_s.arg(stamp).arg(n);
    for (const QString &suffix : {u"-wal"_s, u"-shm"_s, u"-journal"_s, u""_s}) {
        const QString path = report.database + suffix;
        if (!QFileInfo::exists(path))
            continue;
        if (::rename(path.toLocal8Bit().constData(), (aside + suffix).toLocal8Bit().constData()) != 0)
            return fail(failure(u"cannot move %1 aside: %2 (nothing restored; what was moved aside so far is in "
                                "%3*)"_s.arg(path, systemError(), aside)));
        report.setAside << aside + suffix;
    }
    if (::rename(partial.toLocal8Bit().constData(), report.database.toLocal8Bit().constData()) != 0)
        return fail(
            failure(u"cannot put the copy in place: %1 (the previous database is in %2)"_s.arg(systemError(), aside)));
    QFile::setPermissions(report.database, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (auto synced = syncPath(dataDir, true); !synced)
        return synced.error();

    if (!keysFrom.isEmpty()) {
        if (!QDir().mkpath(keysDir))
            return failure(u"cannot create the keys folder %1"_s.arg(keysDir));
        for (const QString &name : kKeyFiles) {
            const QString current = QDir(keysDir).filePath(name);
            if (!QFileInfo(QDir(keysFrom).filePath(name)).isFile() || !QFileInfo::exists(current))
                continue;
            const QString keyAside = current + u".before-restore-"_s + stamp;
            if (::rename(current.toLocal8Bit().constData(), keyAside.toLocal8Bit().constData()) != 0)
                return failure(u"cannot move %1 aside: %2"_s.arg(current, systemError()));
            report.keysSetAside << keyAside;
        }
        auto copied = copyKeys(keysFrom, keysDir, false);
        if (!copied)
            return copied.error();
        report.keysCopied = copied.value();
    }
    return report;
}

} // namespace clinicflow::server
