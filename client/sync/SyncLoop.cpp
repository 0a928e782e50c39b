// The sync engine's thread: the poll loop, its timers, what it sends and the state it reports (see SyncLoop.h).
// Replies and publications are handled in SyncLoopReplies.cpp.
#include "SyncLoop.h"

#include "common/Logging.h"
#include "domain/Ids.h"
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <thread>

using namespace Qt::StringLiterals;
using clinicflow::common::lcSync;

namespace clinicflow::client::sync {

namespace {
// Short enough for the gap wait (200 ms) and the offline deadline; the loop wakes at once for any message.
constexpr std::chrono::milliseconds kTick{25};
// Per turn, so a flood on one socket cannot starve the other or the timers.
constexpr int kRepliesPerTurn = 64;
constexpr int kPublishedPerTurn = 5000;
constexpr std::chrono::seconds kContactEvery{1};
constexpr std::chrono::seconds kSameErrorQuiet{5};
// A Submit window this wide is no window: every due command goes out at once again.
constexpr int kUnlimitedWindow = 1024;
} // namespace

SyncLoop::SyncLoop(const SyncSettings &settings, Mailbox &mailbox, Sink &sink, FeedCounters &feed)
    : m_settings(settings)
    , m_mailbox(mailbox)
    , m_sink(sink)
    , m_feed(feed)
    , m_sockets(settings)
    , m_sequencer(settings.gapWait, settings.fetchPageLimit)
    , m_knownServerId(settings.serverId)
{
}

void SyncLoop::run(quint64 lastSequence, const QList<OutgoingCommand> &unanswered)
{
    m_sequencer.reset(lastSequence);
    for (const OutgoingCommand &command : unanswered)
        admit(command);
    const QString failure = m_sockets.open();
    if (!failure.isEmpty()) {
        reportError(failure);
        idleUntilStopped();
        return;
    }
    const auto start = Clock::now();
    m_lastHeard = m_lastHeardDealer = m_lastRecreate = m_lastPrune = start;
    m_lastPing = start - m_settings.pingInterval;
    qCInfo(lcSync).noquote() << "station" << m_settings.station << "syncing with" << m_settings.requestEndpoint
                             << "from sequence" << lastSequence << "with" << m_commands.size() << "unanswered";
    while (!m_stop) {
        try {
            turn();
        } catch (const zmq::error_t &e) {
            // Nothing here should throw; if libzmq does (e.g. out of file descriptors), pause rather than spin.
            qCCritical(lcSync) << "sync loop error:" << e.what();
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }
    flushEvents();
    qCInfo(lcSync).noquote() << "station" << m_settings.station << "stopped at sequence" << m_sequencer.lastDelivered()
                             << "with" << m_commands.size() << "unanswered";
}

void SyncLoop::idleUntilStopped()
{
    m_sink.stateChanged(ConnectionState::Offline);
    while (!m_stop) {
        zmq::pollitem_t item{nullptr, m_mailbox.wakeFd, ZMQ_POLLIN, 0};
        try {
            zmq::poll(&item, 1, std::chrono::milliseconds(1000));
        } catch (const zmq::error_t &) {
        }
        m_mailbox.clearWake();
        takeMail();
    }
}

void SyncLoop::turn()
{
    zmq::pollitem_t items[] = {{m_sockets.dealer().handle(), 0, ZMQ_POLLIN, 0},
                               {m_sockets.sub().handle(), 0, ZMQ_POLLIN, 0},
                               {m_sockets.monitor().handle(), 0, ZMQ_POLLIN, 0},
                               {nullptr, m_mailbox.wakeFd, ZMQ_POLLIN, 0}};
    try {
        zmq::poll(items, 4, kTick);
    } catch (const zmq::error_t &e) {
        if (e.num() != EINTR)
            qCWarning(lcSync) << "poll failed:" << e.what();
    }
    const auto now = Clock::now();
    if (items[3].revents & ZMQ_POLLIN)
        m_mailbox.clearWake();
    takeMail();
    // Replies first: an answer that arrived just before the link dropped still counts. Then the monitor, before
    // PUB: once the DEALER lost its server, nothing on PUB is trusted until a new Welcome says whose it is.
    if (items[0].revents & ZMQ_POLLIN)
        readDealer(now);
    if ((items[2].revents & ZMQ_POLLIN) && m_sockets.takeDisconnect())
        sessionLost("the connection to the server dropped", now);
    if (items[1].revents & ZMQ_POLLIN)
        readSub(now);
    onTimers(now);
    finishTurn(now);
}

void SyncLoop::takeMail()
{
    bool stop = false;
    for (OutgoingCommand &command : m_mailbox.take(stop))
        admit(std::move(command));
    m_stop = m_stop || stop;
}

void SyncLoop::admit(OutgoingCommand command)
{
    // The gateway refuses a command naming another station; resending it would never help.
    if (command.meta.station != m_settings.station) {
        const auto error = domain::makeError(
            domain::ErrorCode::UnknownStation,
            u"command %1 names station %2, this is %3"_s.arg(domain::idString(command.meta.commandId),
                                                             command.meta.station.left(8), m_settings.station));
        reportError(error.message());
        answer(CommandOutcome{command.meta.commandId, false, {}, error});
        return;
    }
    m_commands.add(std::move(command));
}

void SyncLoop::readDealer(Clock::time_point now)
{
    for (int i = 0; i < kRepliesPerTurn; ++i) {
        zmq::message_t message;
        const auto read = m_sockets.receive(m_sockets.dealer(), message);
        if (read == SyncSockets::Read::None)
            return;
        m_lastHeard = m_lastHeardDealer = now;
        if (read == SyncSockets::Read::Malformed) {
            qCWarning(lcSync) << "the server sent a message of several frames; dropped";
            continue;
        }
        auto envelope = proto::decode(std::string_view(message.data<char>(), message.size()));
        if (!envelope) {
            qCWarning(lcSync).noquote() << "unreadable reply of" << message.size()
                                        << "bytes dropped:" << envelope.error().message();
            continue;
        }
        handleReply(envelope.value(), now);
    }
}

void SyncLoop::readSub(Clock::time_point now)
{
    for (int i = 0; i < kPublishedPerTurn; ++i) {
        zmq::message_t message;
        const auto read = m_sockets.receivePublished(message);
        if (read == SyncSockets::Read::None)
            return;
        m_lastHeard = now;
        if (read == SyncSockets::Read::Malformed) {
            qCWarning(lcSync) << "a publication that is not a topic and an envelope dropped";
            continue;
        }
        auto envelope = proto::decode(std::string_view(message.data<char>(), message.size()));
        if (!envelope) {
            qCWarning(lcSync).noquote() << "unreadable publication of" << message.size()
                                        << "bytes dropped:" << envelope.error().message();
            continue;
        }
        handlePublished(envelope.value());
    }
}

void SyncLoop::onTimers(Clock::time_point now)
{
    const auto silence = now - m_lastHeard;
    if (silence >= m_settings.recreateAfterSilence && now - m_lastRecreate >= m_settings.recreateAfterSilence)
        sessionLost("nothing heard from the server", now);
    if (m_heldUntil && now >= *m_heldUntil)
        m_heldUntil.reset();
    if (!m_welcomed) {
        if (!m_heldUntil && (!m_helloSentAt || now - *m_helloSentAt >= m_settings.requestTimeout))
            sendHello(now);
    } else if (!m_heldUntil) {
        if (m_snapshot.active) {
            if (m_snapshot.requestId == 0 || now - m_snapshot.sentAt >= m_settings.requestTimeout)
                requestSnapshotPage(now);
        } else {
            m_sequencer.expireFetches(now, m_settings.requestTimeout);
            sendFetches(now);
        }
        // The refused page is on its way again, or no longer needed (PUB filled the hole).
        if (m_pageRefused && !m_snapshot.active && m_sequencer.fetchesInFlight() == 0)
            m_pageRefused = false;
        if (!m_pageRefused)
            sendCommands(now);
    }
    if (now - m_lastHeardDealer >= m_settings.pingInterval && now - m_lastPing >= m_settings.pingInterval)
        sendPing(now);
    if (now - m_lastPrune >= m_settings.requestTimeout) {
        // Requests never answered (Pings to a dead server, pages that expired) are forgotten.
        m_lastPrune = now;
        const auto horizon = m_settings.requestTimeout * 4;
        for (auto it = m_requests.begin(); it != m_requests.end();)
            it = now - it->sentAt >= horizon ? m_requests.erase(it) : std::next(it);
    }
}

void SyncLoop::heldOff(const Request &request, const v1::Error &error, Clock::time_point now)
{
    const auto wait = std::chrono::milliseconds(std::max<quint32>(error.retry_after_ms(), 100));
    m_heldUntil = std::max(m_heldUntil.value_or(now), now + wait);
    switch (request.kind) {
    case Kind::Submit:
        m_commands.markRetryLater(request.commandId, now + wait);
        m_windowed.remove(request.id);
        m_submitWindow = 1;
        return;
    case Kind::Fetch:
        m_sequencer.fetchRefused(request.id);
        m_pageRefused = true;
        return;
    case Kind::Snapshot:
        if (m_snapshot.requestId == request.id)
            m_snapshot.requestId = 0;
        m_pageRefused = true;
        return;
    case Kind::Hello:
        m_helloSentAt.reset(); // again as soon as the wait is over
        return;
    case Kind::Ping:
        return;
    }
}

void SyncLoop::submitAnswered(quint64 requestId, bool taken)
{
    if (!m_windowed.remove(requestId) || !taken || m_submitWindow == 0)
        return;
    if (++m_submitWindow >= kUnlimitedWindow) {
        m_submitWindow = 0;
        m_windowed.clear();
    }
}

quint64 SyncLoop::sendRequest(v1::Envelope &envelope, Kind kind, Clock::time_point now, const QUuid &commandId)
{
    const quint64 id = ++m_nextRequestId;
    envelope.set_request_id(id);
    if (!m_sockets.send(proto::encode(envelope)))
        return 0;
    m_requests.insert(id, Request{kind, commandId, now, id});
    return id;
}

void SyncLoop::sendHello(Clock::time_point now)
{
    v1::Envelope envelope;
    v1::Hello *hello = envelope.mutable_hello();
    hello->set_protocol_version(proto::kProtocolVersion);
    hello->set_station(m_settings.station.toStdString());
    hello->set_role(proto::toProto(m_settings.role));
    hello->set_last_sequence(m_sequencer.lastDelivered());
    hello->set_client_version(m_settings.clientVersion.toStdString());
    if (sendRequest(envelope, Kind::Hello, now) != 0)
        m_helloSentAt = now;
}

void SyncLoop::sendPing(Clock::time_point now)
{
    v1::Envelope envelope;
    envelope.mutable_ping()->set_nonce(m_nextRequestId + 1);
    sendRequest(envelope, Kind::Ping, now);
    m_lastPing = now; // also when it could not go: the next try is a ping interval away
}

void SyncLoop::sendFetches(Clock::time_point now)
{
    while (m_sequencer.fetchesInFlight() < std::max(m_settings.fetchesInFlight, 1)) {
        const auto range = m_sequencer.nextFetch(now);
        if (!range)
            return;
        v1::Envelope envelope;
        envelope.mutable_fetch_events()->set_after_sequence(range->after);
        envelope.mutable_fetch_events()->set_limit(range->limit);
        const quint64 id = sendRequest(envelope, Kind::Fetch, now);
        if (id == 0)
            return;
        m_sequencer.fetchSent(id, *range, now);
    }
}

void SyncLoop::sendCommands(Clock::time_point now)
{
    // A Submit whose reply never came frees its place in the window when it is due to be sent again.
    for (auto it = m_windowed.begin(); it != m_windowed.end();)
        it = now - it.value() >= m_settings.requestTimeout ? m_windowed.erase(it) : std::next(it);
    for (const QUuid &id : m_commands.due(now, m_settings.requestTimeout, m_settings.queuedRecheck)) {
        if (m_submitWindow > 0 && m_windowed.size() >= m_submitWindow)
            return;
        const CommandTracker::Entry *entry = m_commands.find(id);
        v1::Envelope envelope;
        *envelope.mutable_submit() = proto::toSubmit(entry->command.meta, entry->command.command);
        const quint64 requestId = sendRequest(envelope, Kind::Submit, now, id);
        if (requestId == 0)
            return; // the link or the queue is not ready: the rest keep their order for the next turn
        m_commands.markSent(id, requestId, now);
        if (m_submitWindow > 0)
            m_windowed.insert(requestId, now);
    }
}

void SyncLoop::requestSnapshotPage(Clock::time_point now)
{
    v1::Envelope envelope;
    envelope.mutable_fetch_snapshot()->set_after_visit_id(m_snapshot.after);
    envelope.mutable_fetch_snapshot()->set_limit(m_settings.snapshotPageLimit);
    m_snapshot.requestId = sendRequest(envelope, Kind::Snapshot, now);
    m_snapshot.sentAt = now;
}

void SyncLoop::sessionLost(const char *why, Clock::time_point now)
{
    qCInfo(lcSync).noquote() << u"station %1: %2; reconnecting with a new session"_s.arg(m_settings.station,
                                                                                         QString::fromLatin1(why));
    m_sockets.recreateDealer();
    m_lastRecreate = now;
    m_welcomed = false;
    m_helloSentAt.reset();
    m_requests.clear();
    m_windowed.clear();
    m_pageRefused = false;
    m_sequencer.forgetFetches();
    if (m_snapshot.active) {
        // Rows of a half-read snapshot are dropped; events seen meanwhile will be fetched again.
        m_snapshot = SnapshotState{};
    }
    m_commands.resetSession();
}

void SyncLoop::answer(CommandOutcome outcome)
{
    // An Applied is reported after the events it made, so the outbox entry and its effects leave together.
    if (outcome.applied && !outcome.sequences.isEmpty() && outcome.sequences.last() > m_sequencer.lastDelivered()) {
        m_held.push_back(std::move(outcome));
        return;
    }
    flushEvents();
    m_sink.answered(outcome);
}

void SyncLoop::releaseHeld(bool all)
{
    if (m_held.empty())
        return;
    flushEvents();
    const quint64 delivered = m_sequencer.lastDelivered();
    std::erase_if(m_held, [&](const CommandOutcome &o) {
        if (!all && o.sequences.last() > delivered)
            return false;
        m_sink.answered(o);
        return true;
    });
}

void SyncLoop::flushEvents()
{
    const qsizetype chunk = std::max(m_settings.eventsPerSignal, 1);
    if (m_out.size() <= chunk) {
        if (!m_out.isEmpty())
            m_sink.events(std::exchange(m_out, {}));
        return;
    }
    for (qsizetype from = 0; from < m_out.size(); from += chunk)
        m_sink.events(m_out.mid(from, chunk));
    m_out.clear();
}

void SyncLoop::finishTurn(Clock::time_point now)
{
    flushEvents();
    releaseHeld();
    const std::pair progress{m_sequencer.lastDelivered(), m_sequencer.knownHead()};
    if (progress != m_reportedProgress) {
        m_reportedProgress = progress;
        m_sink.progress(progress.first, progress.second);
    }
    if (m_lastHeard != m_contactHeard && (!m_contactReported || now - *m_contactReported >= kContactEvery)) {
        m_contactReported = now;
        m_contactHeard = m_lastHeard;
        const auto ago = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_lastHeard);
        m_sink.lastContact(QDateTime::currentDateTimeUtc().addMSecs(-ago.count()));
    }
    updateState(now);
}

void SyncLoop::updateState(Clock::time_point now)
{
    ConnectionState state = ConnectionState::Online;
    if (now - m_lastHeard > m_settings.offlineTimeout)
        state = ConnectionState::Offline;
    else if (!m_welcomed)
        state = ConnectionState::Connecting;
    else if (m_snapshot.active || m_sequencer.catchingUp() || !m_commands.isEmpty())
        state = ConnectionState::Syncing;
    if (m_state == state)
        return;
    static const char *const names[] = {"offline", "connecting", "syncing", "online"};
    qCInfo(lcSync).noquote() << "station" << m_settings.station << "is" << names[int(state)] << "at sequence"
                             << m_sequencer.lastDelivered();
    m_state = state;
    m_sink.stateChanged(state);
}

void SyncLoop::reportError(const QString &message, const char *kind)
{
    qCWarning(lcSync).noquote() << message;
    const QString key = kind ? QString::fromLatin1(kind) : message;
    const auto now = Clock::now();
    if (key == m_lastErrorKind && now - m_lastErrorAt < kSameErrorQuiet)
        return;
    m_lastErrorKind = key;
    m_lastErrorAt = now;
    flushEvents();
    m_sink.error(message);
}

} // namespace clinicflow::client::sync
