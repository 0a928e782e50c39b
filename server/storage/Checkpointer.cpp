#include "Checkpointer.h"

#include "common/Logging.h"

#include <QSqlQuery>
#include <future>
#include <pthread.h>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStorage;

namespace clinicflow::server {
namespace {
// A log this long (frames of a page each) means checkpoints cannot keep up, usually a reader holding an old
// snapshot: worth an operator's look, as the file only shrinks once they catch up.
constexpr qint64 kLongLogFrames = 200000;
} // namespace

Checkpointer::Checkpointer(DatabaseSettings settings, std::chrono::milliseconds interval)
    : m_settings(std::move(settings))
    , m_interval(interval)
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
        m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
        lock.unlock();
        checkpoint();
        lock.lock();
    }
}

void Checkpointer::checkpoint()
{
    QSqlQuery q(m_db->connection());
    if (!q.exec(u"PRAGMA wal_checkpoint(PASSIVE)"_s) || !q.next()) {
        qCWarning(lcStorage).noquote() << "checkpoint failed:" << sqlError(q, "checkpoint").message();
        return;
    }
    ++m_checkpoints;
    const qint64 logFrames = q.value(1).toLongLong();
    const qint64 copied = q.value(2).toLongLong();
    if (logFrames - copied > kLongLogFrames)
        qCWarning(lcStorage) << "the write-ahead log holds" << logFrames - copied
                             << "pages not yet in the database file; a long-running reader may hold them";
}

} // namespace clinicflow::server
