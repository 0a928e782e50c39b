#include "WorkerThread.h"

#include <pthread.h>

using namespace Qt::StringLiterals;

namespace clinicflow::server {
namespace {
constexpr std::chrono::milliseconds kRetryPause{500};
} // namespace

WorkerThread::WorkerThread(QString name, GroupCommit &commit, Doorbell &doorbell, LogCategory category)
    : m_name(std::move(name))
    , m_commit(&commit)
    , m_participant(commit.registerParticipant())
    , m_doorbell(doorbell)
    , m_log(category)
{
}

WorkerThread::WorkerThread(QString name, DatabaseSettings ownConnection, Doorbell &doorbell, LogCategory category)
    : m_name(std::move(name))
    , m_ownConnection(std::move(ownConnection))
    , m_doorbell(doorbell)
    , m_log(category)
{
}

WorkerThread::~WorkerThread()
{
    stop();
}

void WorkerThread::start()
{
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void WorkerThread::stop()
{
    m_stop = true;
    m_doorbell.ring();
    if (m_thread.joinable())
        m_thread.join();
}

void WorkerThread::run()
{
    // Named for `top -H` and debuggers: "cf-reception", "cf-view", ... (15 characters at most).
    pthread_setname_np(pthread_self(), (u"cf-"_s + m_name).left(15).toLatin1().constData());
    std::unique_ptr<Database> own;
    domain::Result<bool> opened = true;
    if (m_commit) {
        m_commit->call([this, &opened](Database &db) { opened = open(db); });
    } else if (auto db = Database::open(m_ownConnection, u"worker-"_s + m_name); db) {
        own = std::move(db).value();
        opened = open(*own);
    } else {
        opened = db.error();
    }
    const auto closeAll = [this] {
        if (m_commit)
            m_commit->call([this](Database &) { close(); });
        else
            close();
    };
    if (!opened) {
        qCCritical(m_log).noquote() << m_name << "worker cannot start:" << opened.error().message();
        closeAll();
        return;
    }
    m_running = true;
    qCInfo(m_log).noquote() << m_name << "worker started";
    while (!m_stop) {
        bool more = false;
        try {
            auto stepped = step();
            if (stepped) {
                more = stepped.value();
            } else {
                ++m_failures;
                qCWarning(m_log).noquote() << m_name << "worker step failed, retrying:" << stepped.error().message();
                m_doorbell.wait(kRetryPause);
                continue;
            }
        } catch (const std::exception &e) {
            ++m_failures;
            qCCritical(m_log).noquote() << m_name << "worker step threw, retrying:" << e.what();
            m_doorbell.wait(kRetryPause);
            continue;
        }
        if (!more) {
            if (m_commit)
                m_commit->pause(m_participant);
            m_doorbell.waitIdle(); // other processes ring it through the change feed, where there is one
            if (m_gather.count() > 0 && !m_stop)
                std::this_thread::sleep_for(m_gather);
        }
    }
    closeAll();
    m_running = false;
    qCInfo(m_log).noquote() << m_name << "worker stopped";
}

} // namespace clinicflow::server
