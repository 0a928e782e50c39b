#include "Checkpointer.h"

#include "common/Logging.h"

#include <QSqlDriver>
#include <QSqlQuery>
#include <future>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStorage;

namespace clinicflow::server {
using Pass = Checkpointer::Pass;

namespace {
// A log this long (frames of a page each) means checkpoints cannot keep up, usually a reader holding an old
// snapshot: worth an operator's look, as the file only shrinks once they catch up.
constexpr qint64 kLongLogFrames = 200000;

Pass runPass(const QSqlDatabase &connection, const QString &mode)
{
    QSqlQuery q(connection);
    if (!q.exec(u"PRAGMA wal_checkpoint(%1)"_s.arg(mode)) || !q.next()) {
        Pass failed;
        failed.error = sqlError(q, "checkpoint").message();
        return failed;
    }
    const qint64 logFrames = q.value(1).toLongLong();
    const qint64 copied = q.value(2).toLongLong();
    return {true, q.value(0).toInt() == 0 && copied == logFrames, logFrames, copied, {}};
}

// Readers of the log hold it for well under a millisecond: poll for them in short steps rather than SQLite's
// default schedule (1, 2, 5, 10 ms...), as the writer is held off meanwhile. Gives up after 400 tries (20-40 ms):
// the log is then rewound at a later pass.
int waitBriefly(void *, int attempts)
{
    if (attempts >= 400)
        return 0;
    usleep(50);
    return 1;
}
} // namespace

Checkpointer::Checkpointer(DatabaseSettings settings, std::chrono::milliseconds interval, qint64 rewindFrames)
    : m_settings(std::move(settings))
    , m_interval(interval)
    , m_rewindFrames(rewindFrames)
{
}

Checkpointer::~Checkpointer()
{
    stop();
}

domain::Result<bool> Checkpointer::start()
{
    std::promise<domain::Result<bool>> opened;
    auto ready = opened.get_future();
    m_thread = std::thread([this, &opened] {
        pthread_setname_np(pthread_self(), "cf-checkpoint");
        auto db = Database::open(m_settings, u"checkpoint"_s);
        if (!db) {
            opened.set_value(db.error());
            return;
        }
        m_db = std::move(db).value();
        const QVariant handle = m_db->connection().driver()->handle();
        if (qstrcmp(handle.typeName(), "sqlite3*") == 0)
            sqlite3_busy_handler(*static_cast<sqlite3 *const *>(handle.data()), waitBriefly, nullptr);
        opened.set_value(true);
        loop();
        m_db.reset();
    });
    auto result = ready.get();
    if (!result && m_thread.joinable())
        m_thread.join();
    return result;
}

void Checkpointer::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void Checkpointer::loop()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        // Failing passes (the disk full, say) are tried again less and less often, up to every 5 s.
        m_wake.wait_for(lock, std::max(m_interval, m_failures.pause()), [this] { return m_stopping; });
        lock.unlock();
        checkpoint();
        lock.lock();
    }
}

// SQLite's WAL-reset bug (https://sqlite.org/wal.html#walresetbug; 3.7.0 to 3.51.2, and Debian 12 ships 3.40.1): a
// checkpoint that starts on a log already copied whole, while another connection's commit rewinds it, notes progress
// it did not make, and a later checkpoint then skips committed pages: readers no longer see them, and the next rewind
// loses them. A commit rewinds the log only when it is the first after a complete checkpoint. So a pass that may
// start on a log copied whole (the last pass was complete, and no connection has committed since, which PRAGMA
// data_version tells) holds this process's writer off: it has nothing to copy, and costs a writer at most the wait
// for it. A pass after a commit, with frames to copy, runs beside the writer as before.
bool Checkpointer::sqliteHasWalResetBug()
{
    return sqlite3_libversion_number() < 3051003;
}

bool Checkpointer::mayStartOnACopiedLog()
{
    if (!sqliteHasWalResetBug())
        return false;
    if (!m_state.known)
        return true;
    if (!m_state.copiedWholeAt)
        return false;
    const std::optional<qint64> version = dataVersion();
    return !version || *version == *m_state.copiedWholeAt;
}

std::optional<qint64> Checkpointer::dataVersion()
{
    QSqlQuery q(m_db->connection());
    if (!q.exec(u"PRAGMA data_version"_s) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

Checkpointer::Pass Checkpointer::guardedPass(const QString &mode)
{
    std::unique_lock<QMutex> held;
    if (QMutex *writer = m_db->writerLock(); writer && mayStartOnACopiedLog()) {
        // Asked again once the writer is held: a round that committed while this thread waited for it put frames in
        // the log, which is then no longer copied whole, and the pass (with those frames to copy) needs no guard.
        held = std::unique_lock<QMutex>(*writer);
        if (mayStartOnACopiedLog())
            ++m_guardedPasses;
        else
            held.unlock();
    }
    const Pass pass = runPass(m_db->connection(), mode);
    // Read after the pass: a commit meanwhile counts as none since, so the next pass is held: the safe side.
    m_state = pass.ok ? State{true, pass.complete ? dataVersion() : std::nullopt} : State{};
    return pass;
}

void Checkpointer::checkpoint()
{
    // The copying and the database file's fsync, beside the writer: PASSIVE blocks no writer and no reader.
    Pass pass = guardedPass(u"PASSIVE"_s);
    if (!pass.ok)
        return failed(pass);
    // Only a writer that starts after a complete checkpoint, with no reader left in the log, rewinds it; a writer
    // that keeps committing, and readers that follow its every commit, never let that happen by chance (seen: 460
    // MB of log in 8 s). So a long log is finished with this process's writer held off: a second pass first, which
    // leaves only the frames committed meanwhile, then RESTART, which copies those and waits for the readers.
    if (pass.logFrames >= m_rewindFrames) {
        if (QMutex *writer = m_db->writerLock()) {
            guardedPass(u"PASSIVE"_s);
            QMutexLocker held(writer);
            pass = runPass(m_db->connection(), u"RESTART"_s);
            // Read with the writer still held, the data version is exact: the next pass is held only if no round has
            // committed since, as after any complete pass (the first commit after a rewind starts the log afresh).
            m_state = pass.ok ? State{true, pass.complete ? dataVersion() : std::nullopt} : State{};
            if (!pass.ok)
                return failed(pass);
            if (pass.complete)
                ++m_rewinds;
        }
    }
    ++m_checkpoints;
    if (const auto ended = m_failures.succeeded())
        qCInfo(lcStorage).noquote() << "checkpoints succeed again," << ended->text();
    if (pass.logFrames - pass.copied > kLongLogFrames)
        qCWarning(lcStorage) << "the write-ahead log holds" << pass.logFrames - pass.copied
                             << "pages not yet in the database file; a long-running reader may hold them";
}

void Checkpointer::failed(const Pass &pass)
{
    if (const auto report = m_failures.failed(pass.error); report.write)
        qCWarning(lcStorage).noquote() << "checkpoint failed:" << pass.error + report.suffix();
}

} // namespace clinicflow::server
