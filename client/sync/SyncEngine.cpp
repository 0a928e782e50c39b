// The GUI-thread side of the sync engine: starts and stops its thread, hands commands over through the Mailbox, and
// turns the loop's reports into signals on this object's thread (see SyncEngine.h).
#include "SyncEngine.h"

#include "SyncLoop.h"
#include "common/Logging.h"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using clinicflow::common::lcSync;

namespace clinicflow::client {

namespace sync {

Mailbox::Mailbox()
    : wakeFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
}

Mailbox::~Mailbox()
{
    if (wakeFd >= 0)
        ::close(wakeFd);
}

void Mailbox::post(std::vector<OutgoingCommand> more)
{
    {
        std::lock_guard lock(m_mutex);
        for (OutgoingCommand &c : more)
            m_commands.push_back(std::move(c));
    }
    wake();
}

void Mailbox::requestStop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    wake();
}

std::vector<OutgoingCommand> Mailbox::take(bool &stop)
{
    std::lock_guard lock(m_mutex);
    stop = m_stop;
    return std::exchange(m_commands, {});
}

void Mailbox::wake()
{
    const quint64 one = 1;
    // EAGAIN only when the counter is saturated: the loop is awake already.
    [[maybe_unused]] const auto written = ::write(wakeFd, &one, sizeof one);
}

void Mailbox::clearWake()
{
    quint64 count = 0;
    [[maybe_unused]] const auto read = ::read(wakeFd, &count, sizeof count);
}

} // namespace sync

// Posts each report to the engine's thread, in the order the loop made them. A report of an earlier run (the
// engine was stopped and maybe started again since) is dropped on arrival.
class SyncEngine::Sink final : public sync::Sink
{
public:
    Sink(SyncEngine *engine, quint64 generation)
        : m_engine(engine)
        , m_generation(generation)
    {
    }

    void stateChanged(ConnectionState state) override
    {
        post([state](SyncEngine *e) {
            e->m_state = state;
            emit e->stateChanged(state);
        });
    }
    void progress(quint64 last, quint64 head) override
    {
        post([last, head](SyncEngine *e) { emit e->progress(last, head); });
    }
    void welcomed(const QString &serverId, const domain::Catalogue &catalogue) override
    {
        post([serverId, catalogue](SyncEngine *e) {
            e->m_settings.serverId = serverId; // a later start() says Hello as a station of this server
            emit e->welcomed(serverId, catalogue);
        });
    }
    void serverChanged(const QString &serverId) override
    {
        post([serverId](SyncEngine *e) { emit e->serverChanged(serverId); });
    }
    void events(QList<domain::Event> events) override
    {
        post([events = std::move(events)](SyncEngine *e) { emit e->eventsReceived(events); });
    }
    void snapshot(QList<domain::VisitStatus> rows, quint64 sequence) override
    {
        post([rows = std::move(rows), sequence](SyncEngine *e) { emit e->snapshotReceived(rows, sequence); });
    }
    void queued(const QUuid &commandId) override
    {
        post([commandId](SyncEngine *e) { emit e->commandQueued(commandId); });
    }
    void answered(const CommandOutcome &outcome) override
    {
        post([outcome](SyncEngine *e) { emit e->commandAnswered(outcome); });
    }
    void lastContact(const QDateTime &at) override
    {
        post([at](SyncEngine *e) { emit e->lastContact(at); });
    }
    void error(const QString &message) override
    {
        post([message](SyncEngine *e) { emit e->error(message); });
    }

private:
    template<typename F>
    void post(F f)
    {
        // Queued to the engine's own object: Qt delivers posted calls of one sender thread in order, and drops them
        // if the engine is destroyed first (its destructor joins this thread before that).
        QMetaObject::invokeMethod(
            m_engine,
            [engine = m_engine, generation = m_generation, f = std::move(f)] {
                if (engine->m_generation == generation)
                    f(engine);
            },
            Qt::QueuedConnection);
    }

    SyncEngine *m_engine;
    quint64 m_generation;
};

SyncEngine::SyncEngine(SyncSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_feed(std::make_shared<sync::FeedCounters>())
{
}

SyncEngine::~SyncEngine()
{
    if (m_thread.joinable()) {
        m_mailbox->requestStop();
        m_thread.join();
    }
}

void SyncEngine::start(quint64 lastAppliedSequence, QList<OutgoingCommand> unanswered)
{
    if (m_thread.joinable())
        return;
    auto mailbox = std::make_shared<sync::Mailbox>();
    if (!mailbox->valid()) {
        const QString message = u"cannot start the sync engine: no eventfd (%1)"_s.arg(errno);
        qCCritical(lcSync).noquote() << message;
        emit error(message);
        return;
    }
    m_mailbox = std::move(mailbox);
    unanswered.append(std::exchange(m_early, {}));
    ++m_generation;
    m_thread =
        std::thread([settings = m_settings, mailbox = m_mailbox, sink = std::make_unique<Sink>(this, m_generation),
                     feed = m_feed, lastAppliedSequence, unanswered = std::move(unanswered)] {
            pthread_setname_np(pthread_self(), "cf-sync");
            sync::SyncLoop loop(settings, *mailbox, *sink, *feed);
            loop.run(lastAppliedSequence, unanswered);
        });
}

SyncEngine::FeedCounts SyncEngine::feedCounts() const
{
    return {m_feed->live.load(), m_feed->fetched.load()};
}

void SyncEngine::submit(const OutgoingCommand &command)
{
    if (!m_thread.joinable()) {
        m_early.append(command);
        return;
    }
    m_mailbox->post({command});
}

void SyncEngine::stop()
{
    if (!m_thread.joinable())
        return;
    m_mailbox->requestStop();
    m_thread.join();
    m_mailbox.reset();
    ++m_generation; // whatever the loop posted and this thread has not handled yet is dropped
    if (m_state != ConnectionState::Offline) {
        m_state = ConnectionState::Offline;
        emit stateChanged(m_state);
    }
}

} // namespace clinicflow::client
