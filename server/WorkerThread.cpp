#include "WorkerThread.h"

#include <pthread.h>

using namespace Qt::StringLiterals;

namespace clinicflow::server {
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
    // A step that fails is tried again after a pause that grows with the failures (0.5 s to 5 s, sooner when the
    // doorbell rings), and said once, then once a minute (FailureStreak): a database whose disk is full makes every
    // step fail until space is freed, and must not fill the log as well.
    const auto failed = [this](const QString &why, bool threw) {
        ++m_failures;
        if (const auto report = m_streak.failed(why); report.write) {
            if (threw)
                qCCritical(m_log).noquote() << m_name << "worker step threw, retrying:" << why + report.suffix();
            else
                qCWarning(m_log).noquote() << m_name << "worker step failed, retrying:" << why + report.suffix();
        }
        m_doorbell.wait(m_streak.pause());
    };
    while (!m_stop) {
        bool more = false;
        try {
            auto stepped = step();
            if (!stepped) {
                failed(stepped.error().message(), false);
                continue;
            }
            more = stepped.value();
        } catch (const std::exception &e) {
            failed(QString::fromLocal8Bit(e.what()), true);
            continue;
        }
        if (const auto ended = m_streak.succeeded())
            qCInfo(m_log).noquote() << m_name << "worker steps succeed again," << ended->text();
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
