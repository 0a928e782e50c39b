#include "ModuleLocks.h"

#include "common/Config.h"

#include <QCoreApplication>
#include <QDir>
#include <QSqlQuery>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {
namespace {

QString holderOf(int fd)
{
    char buffer[32] = {};
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    const QByteArray pid = QByteArray(buffer, n > 0 ? qsizetype(n) : 0).trimmed();
    return pid.isEmpty() ? u"another process"_s : u"process %1"_s.arg(QString::fromLatin1(pid));
}

} // namespace

ModuleLocks::~ModuleLocks()
{
    for (int fd : m_fds)
        ::close(fd); // releases the lock
}

Result<bool> ModuleLocks::lockInDatabase(const DatabaseSettings &database, const QStringList &modules)
{
    const Dialect &dialect = Dialect::of(database);
    if (dialect.tryLockModule(0).isEmpty())
        return true;
    static std::atomic<int> instances{0};
    auto db = Database::open(database, u"module-locks-%1"_s.arg(++instances));
    if (!db)
        return db.error();
    m_db = std::move(db).value();
    const QStringList all = common::serverModules(); // a module's key is its place in this list
    for (const QString &module : modules) {
        const auto key = all.indexOf(module);
        if (key < 0)
            continue; // http: read replicas, as many as wanted
        QSqlQuery q(m_db->connection());
        if (!q.exec(dialect.tryLockModule(int(key) + 1)) || !q.next())
            return sqlError(q, "locking a module in the database");
        if (!q.value(0).toBool())
            return makeError(ErrorCode::InternalError,
                             u"the %1 module already runs on %2 (in another process, maybe on another host): stop "
                             "it first, or give each process modules of its own with --only"_s.arg(
                                 module, dialect.describe(database)));
    }
    return true;
}

Result<std::unique_ptr<ModuleLocks>> ModuleLocks::acquire(const QString &dataFolder, const QStringList &modules,
                                                          const DatabaseSettings *database)
{
    if (!QDir().mkpath(dataFolder))
        return makeError(ErrorCode::InternalError, u"cannot create the data folder %1"_s.arg(dataFolder));
    std::unique_ptr<ModuleLocks> locks(new ModuleLocks);
    for (const QString &module : modules) {
        if (module == u"http"_s)
            continue; // read replicas: as many as wanted, each with its own --http-port
        const QByteArray path = QDir(dataFolder).filePath(module + u".lock"_s).toLocal8Bit();
        const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
            return makeError(ErrorCode::InternalError,
                             u"cannot open %1: %2"_s.arg(QString::fromLocal8Bit(path),
                                                         QString::fromLocal8Bit(std::strerror(errno))));
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            const QString holder = holderOf(fd);
            ::close(fd);
            if (error == EWOULDBLOCK) {
                return makeError(ErrorCode::InternalError,
                                 u"the %1 module already runs on the data folder %2 (%3): stop that server first, or "
                                 "give each process sharing the folder modules of its own with --only"_s.arg(
                                     module, dataFolder, holder));
            }
            return makeError(ErrorCode::InternalError,
                             u"cannot lock %1: %2"_s.arg(QString::fromLocal8Bit(path),
                                                         QString::fromLocal8Bit(std::strerror(error))));
        }
        locks->m_fds.push_back(fd);
        // Who holds it, for the message another process gives.
        const QByteArray pid = QByteArray::number(QCoreApplication::applicationPid()) + '\n';
        if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.constData(), std::size_t(pid.size()), 0) < 0) {
            // The lock holds without the note; only the other process's message is vaguer.
        }
    }
    if (database) {
        if (auto locked = locks->lockInDatabase(*database, modules); !locked)
            return locked.error();
    }
    return locks;
}

} // namespace clinicflow::server
