// What the sync engine does with each message from the server: replies on the DEALER (matched to their request by
// the echoed request id) and publications on the SUB. Bodies the server should not send here are logged and
// dropped; nothing a server sends can make the engine throw.
#include "SyncLoop.h"
#include "common/Logging.h"
#include "domain/Ids.h"
#include "proto/Codec.h"
#include "proto/Convert.h"
#include "proto/ConvertView.h"

using namespace Qt::StringLiterals;
using clinicflow::common::lcSync;

namespace clinicflow::client::sync {

namespace {
// How often one command may meet a server that forgot our Hello before that answer is taken as final.
constexpr int kSessionRefusalsTolerated = 3;

QUuid commandIdOf(const std::string &text)
{
    return domain::idFromString(QString::fromStdString(text));
}

bool isStationProblem(domain::ErrorCode code)
{
    // 6xx: the station's identity, role or protocol; the user cannot fix these by editing the command.
    return int(code) >= 600 && int(code) < 700;
}
} // namespace

void SyncLoop::handleReply(const v1::Envelope &envelope, Clock::time_point now)
{
    std::optional<Request> request;
    if (envelope.request_id() != 0) {
        if (auto it = m_requests.find(envelope.request_id()); it != m_requests.end()) {
            request = *it;
            m_requests.erase(it);
        }
    }
    if (request && request->kind == Kind::Submit) {
        const auto body = envelope.body_case();
        submitAnswered(request->id, body == v1::Envelope::kQueued || body == v1::Envelope::kApplied ||
                                        body == v1::Envelope::kRejected);
    }
    switch (envelope.body_case()) {
    case v1::Envelope::kWelcome:
        if (request && request->kind == Kind::Hello)
            onWelcome(envelope.welcome(), now);
        return;
    case v1::Envelope::kPong:
        if (m_welcomed)
            m_sequencer.noteHead(envelope.pong().head_sequence(), false);
        return;
    case v1::Envelope::kEventBatch:
        onEventBatch(envelope.request_id(), envelope.event_batch(), now);
        return;
    case v1::Envelope::kSnapshot:
        onSnapshot(envelope.request_id(), envelope.snapshot(), now);
        return;
    case v1::Envelope::kQueued: {
        const QUuid id = commandIdOf(envelope.queued().command_id());
        if (m_commands.markQueued(id)) {
            flushEvents();
            m_sink.queued(id);
        }
        return;
    }
    case v1::Envelope::kApplied:
        onApplied(envelope.applied());
        return;
    case v1::Envelope::kRejected:
        onRejected(request, envelope.rejected(), now);
        return;
    case v1::Envelope::kError:
        onError(request, envelope.error(), now);
        return;
    default:
        qCWarning(lcSync, "the server replied with %s; dropped", proto::bodyName(envelope));
    }
}

void SyncLoop::handlePublished(const v1::Envelope &envelope)
{
    switch (envelope.body_case()) {
    case v1::Envelope::kEvent: {
        // Before Welcome the server may not be the replica's: its events are fetched once that is settled.
        if (!m_welcomed)
            return;
        const quint64 sequence = envelope.event().sequence();
        if (m_settings.testOnlyDropLiveEvent && m_settings.testOnlyDropLiveEvent(sequence))
            return;
        addEvent(envelope.event(), true);
        return;
    }
    case v1::Envelope::kEventBatch:
        // The events of the station's role's topic, a run of the log per message.
        if (!m_welcomed)
            return;
        for (const v1::Event &event : envelope.event_batch().events()) {
            if (m_settings.testOnlyDropLiveEvent && m_settings.testOnlyDropLiveEvent(event.sequence()))
                continue;
            addEvent(event, true);
        }
        return;
    case v1::Envelope::kHeartbeat:
        // PUB keeps its order: every event before this heartbeat has arrived, or never will.
        if (m_welcomed)
            m_sequencer.noteHead(envelope.heartbeat().head_sequence(), true);
        return;
    case v1::Envelope::kApplied:
        onApplied(envelope.applied());
        return;
    case v1::Envelope::kRejected:
        onRejected(std::nullopt, envelope.rejected(), Clock::now());
        return;
    default:
        qCWarning(lcSync, "the server published %s; dropped", proto::bodyName(envelope));
    }
}

void SyncLoop::onWelcome(const v1::Welcome &welcome, Clock::time_point now)
{
    if (m_welcomed)
        return; // the answer to a resent Hello
    if (welcome.protocol_version() != proto::kProtocolVersion) {
        qCWarning(lcSync) << "the server speaks protocol" << welcome.protocol_version() << "and this station"
                          << proto::kProtocolVersion;
    }
    domain::Catalogue catalogue;
    if (auto read = proto::fromProto(welcome.catalogue()))
        catalogue = std::move(read).value();
    else
        reportError(u"the server's catalogue is unusable: %1"_s.arg(read.error().message()));

    const QString serverId = QString::fromStdString(welcome.server_id());
    const quint64 head = welcome.head_sequence();
    const bool otherServer = !m_knownServerId.isEmpty() && serverId != m_knownServerId;
    const bool changed = otherServer || head < m_sequencer.lastDelivered();
    if (changed) {
        qCWarning(lcSync).noquote() << "station" << m_settings.station << "at sequence" << m_sequencer.lastDelivered()
                                    << "meets server" << serverId << "at head" << head
                                    << "(known:" << (m_knownServerId.isEmpty() ? u"none"_s : m_knownServerId)
                                    << "): the replica starts again";
        // Answers of the old server first: the events they wait for will not come.
        releaseHeld(true);
        m_sink.serverChanged(serverId);
        m_sequencer.reset(0);
        m_reportedProgress = {~quint64(0), ~quint64(0)};
    }
    m_knownServerId = serverId;
    m_welcomed = true;
    m_helloSentAt.reset();
    m_sink.welcomed(serverId, catalogue);
    m_sequencer.noteHead(head, true);
    qCInfo(lcSync).noquote() << "station" << m_settings.station << "welcomed by server" << serverId << "at head" << head
                             << (welcome.snapshot_advised() ? "(snapshot advised)" : "");
    if (m_settings.useSnapshots && (welcome.snapshot_advised() || changed)) {
        m_snapshot = SnapshotState{};
        m_snapshot.active = true;
        requestSnapshotPage(now);
    } else {
        sendFetches(now);
    }
    m_commands.resetSession();
    sendCommands(now);
}

void SyncLoop::addEvent(const v1::Event &wire, bool live)
{
    const quint64 sequence = wire.sequence();
    if (sequence <= m_sequencer.lastDelivered())
        return; // a repeat: not worth converting
    if (!m_sequencer.isBuffered(sequence))
        ++(live ? m_feed.live : m_feed.fetched);
    std::optional<domain::Event> event;
    if (auto converted = proto::fromProto(wire)) {
        event = std::move(converted).value();
    } else {
        reportError(u"event %1 cannot be read by this station and is skipped: %2"_s.arg(sequence).arg(
                        converted.error().message()),
                    "unreadable event");
    }
    if (m_snapshot.active) {
        m_snapshot.parked.emplace_back(sequence, std::move(event));
        return;
    }
    m_sequencer.add(sequence, std::move(event), m_out);
    if (m_out.size() >= m_settings.eventsPerSignal)
        flushEvents();
}

void SyncLoop::onEventBatch(quint64 requestId, const v1::EventBatch &batch, Clock::time_point now)
{
    if (!m_welcomed || m_snapshot.active)
        return; // from before the current session or catch-up plan
    for (const v1::Event &event : batch.events())
        addEvent(event, false);
    m_sequencer.noteHead(batch.head_sequence(), true);
    m_sequencer.fetchAnswered(requestId, batch.events_size(), batch.more());
    sendFetches(now); // the next page goes out before this one's events are even posted
}

void SyncLoop::onSnapshot(quint64 requestId, const v1::Snapshot &page, Clock::time_point now)
{
    if (!m_snapshot.active || requestId != m_snapshot.requestId)
        return; // an old page, answered after it was asked again
    m_pageRefused = false;
    m_snapshot.sequence = std::min(m_snapshot.sequence.value_or(page.sequence()), quint64(page.sequence()));
    m_snapshot.rows.reserve(m_snapshot.rows.size() + page.visits_size());
    int unreadable = 0;
    for (const v1::VisitStatus &wire : page.visits()) {
        if (auto row = proto::fromProto(wire))
            m_snapshot.rows.append(std::move(row).value());
        else
            ++unreadable;
    }
    if (unreadable > 0)
        reportError(u"%1 rows of the status view cannot be read by this station and are skipped"_s.arg(unreadable));
    if (page.more()) {
        if (!page.next_visit_id().empty() && page.next_visit_id() != m_snapshot.after) {
            m_snapshot.after = page.next_visit_id();
            requestSnapshotPage(now);
            return;
        }
        reportError(u"the server's snapshot cursor does not move; using the rows read so far"_s);
    }
    finishSnapshot();
    sendFetches(now);
}

void SyncLoop::finishSnapshot()
{
    const quint64 sequence = m_snapshot.sequence.value_or(0);
    qCInfo(lcSync).noquote() << "station" << m_settings.station << "took a snapshot of" << m_snapshot.rows.size()
                             << "visits at sequence" << sequence;
    flushEvents();
    m_sink.snapshot(std::exchange(m_snapshot.rows, {}), sequence);
    auto parked = std::exchange(m_snapshot.parked, {});
    m_snapshot = SnapshotState{};
    m_sequencer.rebase(sequence, m_out);
    for (auto &[seq, event] : parked)
        m_sequencer.add(seq, std::move(event), m_out);
}

void SyncLoop::onApplied(const v1::Applied &applied)
{
    const QUuid id = commandIdOf(applied.command_id());
    if (!m_commands.take(id))
        return; // another station's, or answered already (directly and again on PUB)
    CommandOutcome outcome{id, true, {}, {}};
    outcome.sequences.reserve(applied.sequences_size());
    for (quint64 s : applied.sequences())
        outcome.sequences.append(s);
    std::sort(outcome.sequences.begin(), outcome.sequences.end());
    if (m_welcomed && !outcome.sequences.isEmpty())
        m_sequencer.noteHead(outcome.sequences.last(), false);
    answer(std::move(outcome));
}

bool SyncLoop::sessionRefused(const QUuid &commandId, Clock::time_point now)
{
    if (m_commands.noteSessionRefusal(commandId) >= kSessionRefusalsTolerated)
        return false;
    sessionLost("the server has no session for this station (restarted?)", now);
    return true;
}

void SyncLoop::onRejected(const std::optional<Request> &request, const v1::Rejected &rejected, Clock::time_point now)
{
    const QUuid id = commandIdOf(rejected.command_id());
    if (!m_commands.contains(id))
        return;
    const domain::Error error = proto::fromProto(rejected);
    // The gateway's own session check answers with a Rejected echoing the Submit's request id.
    const bool direct = request && request->kind == Kind::Submit;
    if (direct && error.code == domain::ErrorCode::UnknownStation && sessionRefused(id, now))
        return;
    if (isStationProblem(error.code))
        reportError(u"command %1 refused: %2"_s.arg(domain::idString(id), error.message()));
    m_commands.take(id);
    answer(CommandOutcome{id, false, {}, error});
}

void SyncLoop::onError(const std::optional<Request> &request, const v1::Error &wire, Clock::time_point now)
{
    const domain::Error error = proto::fromProto(wire);
    if (!request) {
        reportError(u"the server reports: %1"_s.arg(error.message()));
        return;
    }
    switch (request->kind) {
    case Kind::Hello:
        if (error.code == domain::ErrorCode::RateLimited) {
            heldOff(*request, wire, now);
            return;
        }
        // Sent again after the request timeout; the user sees why it keeps failing.
        reportError(u"the server refused this station: %1"_s.arg(error.message()));
        return;
    case Kind::Submit: {
        const QUuid id = request->commandId;
        if (!m_commands.contains(id))
            return;
        if (error.code == domain::ErrorCode::ServerUnavailable) {
            qCInfo(lcSync).noquote() << "command" << domain::idString(id) << "not taken now:" << error.message();
            m_commands.markRetryLater(id);
            return;
        }
        if (error.code == domain::ErrorCode::RateLimited) {
            // Not an outcome: the command waits in the outbox, with the ones after it, for the time the server said.
            qCDebug(lcSync).noquote() << "command" << domain::idString(id) << "not taken now:" << error.message()
                                      << "; sent again in" << std::max<quint32>(wire.retry_after_ms(), 100) << "ms";
            heldOff(*request, wire, now);
            return;
        }
        if (error.code == domain::ErrorCode::UnknownStation && sessionRefused(id, now))
            return;
        reportError(u"command %1 refused: %2"_s.arg(domain::idString(id), error.message()));
        m_commands.take(id);
        answer(CommandOutcome{id, false, {}, error});
        return;
    }
    case Kind::Fetch:
    case Kind::Snapshot:
        if (error.code == domain::ErrorCode::UnknownStation) {
            sessionLost("the server has no session for this station (restarted?)", now);
            return;
        }
        // Asked again once the station's share allows it, before any Submit.
        if (error.code == domain::ErrorCode::RateLimited) {
            qCDebug(lcSync).noquote() << "events not sent now:" << error.message();
            heldOff(*request, wire, now);
            return;
        }
        reportError(u"the server could not send events: %1"_s.arg(error.message()));
        return;
    case Kind::Ping:
        qCWarning(lcSync).noquote() << "Ping answered with an error:" << error.message();
        return;
    }
}

} // namespace clinicflow::client::sync
