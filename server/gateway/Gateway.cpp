#include "Gateway.h"

#include "CommandIntake.h"
#include "GatewayLoop.h"
#include "Sessions.h"
#include "SyncReader.h"
#include "common/Logging.h"
#include "common/Metrics.h"
#include "contexts/ContextWorker.h"
#include "proto/Codec.h"
#include "proto/Convert.h"
#include "proto/Redaction.h"
#include "storage/EventLog.h"

#include <QDateTime>
#include <QHash>
#include <array>
#include <future>
#include <pthread.h>
#include <zmq.hpp>
#include <zmq_addon.hpp>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcGateway;

namespace clinicflow::server {
namespace {

constexpr int kMaxRequestsPerTurn = 512; // requests read before the batch is stored and answered
constexpr std::chrono::milliseconds kPollTimeout{50};
constexpr std::chrono::milliseconds kBacklogPollTimeout{5};
constexpr std::chrono::seconds kHeartbeatEvery{2};
constexpr int kPublishPage = 1000;
// The log is read for events to publish when a worker here, or another process (the change feed), says it advanced;
// and this often whatever it says: the doorbell is a hint, the database the truth.
constexpr std::chrono::milliseconds kPublishFallback{100};

// Series are looked up once per label value: registration takes the registry's mutex, an increment does not.
// Labels come from fixed strings (body names, result names), so the caches stay small.
common::Counter &requestCounter(const char *kind)
{
    thread_local QHash<const char *, common::Counter *> cache;
    common::Counter *&counter = cache[kind];
    if (!counter)
        counter =
            &common::Metrics::global().counter(u"clinicflow_gateway_requests_total"_s, u"Requests received by type"_s,
                                               {{u"type"_s, QString::fromLatin1(kind)}});
    return *counter;
}

} // namespace

QString Gateway::Loop::peerName(const zmq::message_t &identity)
{
    return QString::fromLatin1(QByteArray(identity.data<char>(), qsizetype(identity.size())).toHex());
}

Result<bool> Gateway::Loop::open()
{
    auto db = Database::open(m_settings.database, u"gateway"_s);
    if (!db)
        return db.error();
    m_db = std::move(db).value(); // reads (sync, snapshots); writes go through GroupCommit
    auto viewDb = Database::open(m_settings.database.viewSettings(), u"gateway-view"_s);
    if (!viewDb)
        return viewDb.error();
    m_viewDb = std::move(viewDb).value();
    m_commit.call([this](Database &writer) { m_intake = std::make_unique<CommandIntake>(writer); });
    m_reader = std::make_unique<SyncReader>(*m_db, *m_viewDb, m_settings.catalogue, m_settings.serverId);
    m_remote = std::make_unique<RemoteOutcomes>(*m_db);
    if (auto started = m_remote->start(); !started)
        return started.error();
    m_pages = std::make_unique<PageReader>(m_settings.database, m_settings.catalogue, m_settings.serverId,
                                           [this] { m_bus.ringGateway(); });
    if (auto started = m_pages->start(); !started)
        return started.error();
    auto head = m_reader->head();
    if (!head)
        return head.error();
    m_published = head.value(); // stations that missed earlier events fetch them; PUB carries what is new
    if (auto peers = openPeers(); !peers)
        return peers;
    try {
        prepareServerSocket(m_router, m_settings.keys);
        m_router.set(zmq::sockopt::router_mandatory, 1);
        // No frame over the largest valid request takes memory: libzmq closes the connection that sends one (the
        // monitor's news of it is logged). Queues are per connection: at most rcvhwm requests read ahead, and
        // sndhwm answers; more wait in the peer's backlog until it reads them (GatewayReplies.cpp).
        m_router.set(zmq::sockopt::maxmsgsize, int64_t(proto::kMaxInboundMessageSize));
        m_router.set(zmq::sockopt::sndhwm, 1000);
        m_router.set(zmq::sockopt::rcvhwm, 1000);
        m_router.bind(u"tcp://%1:%2"_s.arg(m_settings.bind).arg(m_settings.port).toStdString());
    } catch (const zmq::error_t &e) {
        return makeError(ErrorCode::InternalError, u"cannot bind %1 port %2: %3"_s.arg(m_settings.bind)
                                                       .arg(m_settings.port)
                                                       .arg(QString::fromLocal8Bit(e.what())));
    }
    return bindPub();
}

void Gateway::Loop::run(const std::atomic<bool> &stop, const std::atomic<bool> &draining, std::atomic<bool> &settled)
{
    m_lastHeartbeat = std::chrono::steady_clock::now();
    while (!stop) {
        std::vector<zmq::pollitem_t> items{
            {m_router.handle(), 0, ZMQ_POLLIN, 0},       {nullptr, m_bus.gatewayFd(), ZMQ_POLLIN, 0},
            {m_zap.socket().handle(), 0, ZMQ_POLLIN, 0}, {m_routerMonitor.handle(), 0, ZMQ_POLLIN, 0},
            {m_pub.handle(), 0, ZMQ_POLLIN, 0},          {m_pubMonitor.handle(), 0, ZMQ_POLLIN, 0}};
        try {
            // Replies waiting for a peer's queue to take them go out sooner than the next message would come.
            // So is a look at outcomes resolved elsewhere, once told of them (sweepRemoteOutcomes).
            zmq::poll(items, m_replyBacklogs.isEmpty() && !m_sweepOwed ? kPollTimeout : kBacklogPollTimeout);
        } catch (const zmq::error_t &e) {
            if (e.num() != EINTR)
                qCWarning(lcGateway) << "poll failed:" << e.what();
            continue;
        }
        // A turn that starts draining takes no command, and neither does any later one. Each request looks again
        // (readRequests): one read after the drain began is refused, even in a turn that started before it.
        const bool drainingNow = draining.load();
        if (items[1].revents & ZMQ_POLLIN)
            m_bus.clearGateway();
        // Revocations first: a revoked station's messages already read are not served.
        refreshStations(RefreshFor::Turn);
        if (items[2].revents & ZMQ_POLLIN)
            m_zap.handlePending();
        if (items[3].revents & ZMQ_POLLIN)
            (void)readRouterMonitor();
        // Subscriptions once the status socket's closed connections are known: a new connection may reuse a closed
        // one's socket number (admitsSubscriber). ZMQ_POLLIN stays set while a message waits: the next turn comes
        // at once.
        const bool pubConnectionsKnown = !(items[5].revents & ZMQ_POLLIN) || readPubMonitor();
        if ((items[4].revents & ZMQ_POLLIN) && pubConnectionsKnown)
            readSubscriptions();
        if (items[0].revents & ZMQ_POLLIN)
            readRequests(draining);
        flushReplyBacklogs();
        deliverPages();
        // Queued before any outcome: a worker only sees a command once its intake is durable.
        finishIntakes(false);
        startWaitingIntake();
        if (drainingNow && m_intakes.empty() && m_submitsWaiting.empty())
            settled = true;
        // Outcomes and events are checked on every turn: the doorbell is a hint, the database is the truth.
        deliverOutcomes();
        sweepRemoteOutcomes();
        publishEvents();
        heartbeat();
        flushAudit();
        expireWaiting();
    }
    // Last answers for what the workers finished while draining.
    finishIntakes(true);
    startWaitingIntake();
    finishIntakes(true);
    deliverOutcomes();
    publishEvents();
    flushAudit();
    writeWarningSummaries(true);
}

void Gateway::Loop::readRequests(const std::atomic<bool> &draining)
{
    for (int i = 0; i < kMaxRequestsPerTurn; ++i) {
        std::vector<zmq::message_t> frames;
        try {
            if (!zmq::recv_multipart(m_router, std::back_inserter(frames), zmq::recv_flags::dontwait))
                break;
        } catch (const zmq::error_t &e) {
            qCWarning(lcGateway) << "receive failed:" << e.what();
            break;
        }
        // Every message comes from a connection the ZAP handler admitted, and carries its station (User-Id).
        const char *userId = zmq_msg_gets(frames.back().handle(), "User-Id");
        Peer peer{QByteArray(frames.front().data<char>(), qsizetype(frames.front().size())),
                  userId ? QString::fromUtf8(userId) : QString(), zmq_msg_get(frames.back().handle(), ZMQ_SRCFD)};
        if (!admits(peer.station))
            continue;
        if (auto connection = m_connections.find(peer.connection); connection != m_connections.end()) {
            if (!connection->spoke && sessionsFull(peer.station, peer.connection)) {
                cutConnection(peer.connection, peer.station);
                continue;
            }
            connection->spoke = true;
            connection->station = peer.station;
        }
        m_peerConnections.insert(peer.routingId, peer.connection);
        if (frames.size() != 2) {
            requestCounter("malformed").inc();
            if (warnAbout(peer.station))
                qCWarning(lcGateway).noquote() << "station" << peer.station << "sent" << frames.size() - 1
                                               << "frames; one envelope per message is expected";
            replyError(frames.front(), makeError(ErrorCode::MalformedMessage, u"one frame per message"_s), 0);
            m_limits.noteInvalid(peer.station, std::chrono::steady_clock::now());
            shutOutIfIgnoring(peer.station);
            continue;
        }
        auto envelope =
            proto::decode(std::string_view(frames[1].data<char>(), frames[1].size()), proto::kMaxInboundMessageSize);
        if (!envelope) {
            requestCounter("malformed").inc();
            if (warnAbout(peer.station))
                qCWarning(lcGateway).noquote()
                    << "station" << peer.station << "sent a bad message of" << frames[1].size()
                    << "bytes:" << common::clipped(envelope.error().message(), 200);
            replyError(frames[0], envelope.error(), 0);
            m_limits.noteInvalid(peer.station, std::chrono::steady_clock::now());
            shutOutIfIgnoring(peer.station);
            continue;
        }
        handle(std::move(frames[0]), peer, envelope.value(), m_submitsWaiting, draining.load());
    }
}

void Gateway::Loop::handle(zmq::message_t identity, const Peer &from, const v1::Envelope &request,
                           std::vector<Pending> &submits, bool draining)
{
    const common::LogContext logContext(from.station); // every line about this request names its station
    const quint64 requestId = request.request_id();
    requestCounter(proto::bodyName(request)).inc();
    const QByteArray &peer = from.routingId;
    if (!withinShare(identity, from, request))
        return;
    switch (request.body_case()) {
    case v1::Envelope::kHello: {
        auto session = m_sessions.hello(peer, request.hello(), *m_zap.station(from.station), from.connection);
        if (!session) {
            if (warnAbout(from.station))
                qCWarning(lcGateway).noquote() << "hello refused from station" << from.station << ":"
                                               << common::clipped(session.error().message(), 200);
            replyError(identity, session.error(), requestId);
            return;
        }
        auto welcome = m_reader->welcome(request.hello().last_sequence());
        if (!welcome) {
            replyError(identity, welcome.error(), requestId);
            return;
        }
        qCInfo(lcGateway).noquote() << "station" << session->station << "connected as" << toString(session->role)
                                    << "at sequence" << request.hello().last_sequence();
        m_limits.sessionStarted(session->station);
        reply(identity, welcome.value(), requestId);
        return;
    }
    case v1::Envelope::kPing: {
        v1::Envelope pong;
        pong.mutable_pong()->set_nonce(request.ping().nonce());
        pong.mutable_pong()->set_head_sequence(m_published);
        pong.mutable_pong()->set_server_at_ms(QDateTime::currentMSecsSinceEpoch());
        reply(identity, pong, requestId);
        return;
    }
    case v1::Envelope::kFetchEvents:
    case v1::Envelope::kFetchSnapshot: {
        const Session *session = m_sessions.find(peer, from.station);
        if (!session) {
            replyError(identity, makeError(ErrorCode::UnknownStation, u"say hello first"_s), requestId);
            return;
        }
        if (!mayServePage(identity, session->station, requestId))
            return;
        // Read on the PageReader's thread; deliverPages() answers. A station with pages already waiting is asked
        // to come back: it cannot make the others wait behind a queue of its own.
        if (!m_pages->submit({peer, session->station, session->role, requestId, request}))
            replyPagesWaiting(identity, session->station, requestId);
        return;
    }
    case v1::Envelope::kSubmit: {
        // Not taken at all (an Error, the id stays unused): no session, no command id, or draining.
        auto session = m_sessions.submitter(peer, from.station, request.submit());
        if (!session) {
            commandCounter("refused").inc();
            if (warnAbout(from.station))
                qCWarning(lcGateway).noquote() << "submit from station" << from.station
                                               << "not taken:" << common::clipped(session.error().message(), 200);
            replyError(identity, session.error(), requestId);
            if (session.error().code == ErrorCode::UnknownStation) // no session yet: told to say Hello
                m_limits.noteWithoutSession(from.station, std::chrono::steady_clock::now());
            else
                m_limits.noteInvalid(from.station, std::chrono::steady_clock::now());
            shutOutIfIgnoring(from.station);
            return;
        }
        if (draining) {
            replyError(identity, makeError(ErrorCode::ServerUnavailable, u"the server is shutting down"_s), requestId);
            return;
        }
        if (!mayTakeCommand(identity, from.station, requestId))
            return;
        auto command = Sessions::authorize(*session.value(), request.submit());
        if (command &&
            rejectedBeforeStoring(identity, *session.value(), request.submit(), command.value(), requestId)) {
            m_limits.noteInvalid(from.station, std::chrono::steady_clock::now());
            shutOutIfIgnoring(from.station);
            return;
        }
        // Taken: stored in its inbox, or its refusal kept as its outcome (answered once the intake round commits).
        m_limits.commandTaken(from.station);
        submits.push_back(Pending{std::move(identity), request, session.value()->station, std::move(command)});
        return;
    }
    default:
        if (warnAbout(from.station))
            qCWarning(lcGateway).noquote()
                << "station" << from.station << "sent" << proto::bodyName(request) << "which a station may not send";
        replyError(identity, makeError(ErrorCode::UnknownMessageType, QString::fromLatin1(proto::bodyName(request))),
                   requestId);
        m_limits.noteInvalid(from.station, std::chrono::steady_clock::now());
        shutOutIfIgnoring(from.station);
    }
}

v1::Envelope Gateway::Loop::outcomeEnvelope(const CommandRecord &record)
{
    v1::Envelope e;
    if (record.state == CommandState::Rejected) {
        *e.mutable_rejected() = proto::toRejected(record.commandId, record.rejection);
        return e;
    }
    auto *applied = e.mutable_applied();
    applied->set_command_id(idString(record.commandId).toStdString());
    for (quint64 s = record.firstSequence; s != 0 && s <= record.lastSequence; ++s)
        applied->add_sequences(s);
    return e;
}

void Gateway::Loop::publishEvents()
{
    const auto now = std::chrono::steady_clock::now();
    if (!m_bus.takeLogAdvanced() && now - m_lastPublishRead < kPublishFallback)
        return;
    m_lastPublishRead = now;
    for (;;) {
        auto events = m_reader->rawEventsAfter(m_published, kPublishPage);
        if (!events) {
            // Tried again every turn: at most 2 lines in 10 s, then a count (a database that went away).
            m_lastPublishRead = {};
            if (warnAboutDatabase(u"reading events to publish"_s))
                qCWarning(lcGateway).noquote() << "cannot read events to publish:" << events.error().message();
            return;
        }
        // Each role's stations get every event, redacted for what their role may read (docs/protocol.md, "Who
        // receives what"), in runs of kEventsPerPublication per message: a subscriber decrypts and reads one message
        // per run, and the PUB's queue for one that does not read holds at most --pub-queue events.
        constexpr Role kRoles[] = {Role::Receptionist, Role::Doctor, Role::Examiner, Role::Board};
        std::array<std::deque<std::string>, std::size(kRoles)> redacted; // the copies the runs point into, per role
        std::array<std::vector<proto::StoredEvent>, std::size(kRoles)> runs;
        const auto publishRuns = [&] {
            for (std::size_t r = 0; r < runs.size(); ++r) {
                if (!runs[r].empty())
                    publishRaw(proto::roleTopic(kRoles[r]), proto::encodeStoredEventBatch(runs[r], m_published));
                runs[r].clear();
                redacted[r].clear();
            }
        };
        for (const EventLog::RawEvent &event : events.value()) {
            const std::string_view stored(event.payload.constData(), std::size_t(event.payload.size()));
            v1::Event parsed;
            const bool personal =
                parsed.ParseFromArray(stored.data(), int(stored.size())) && proto::hasPersonalFields(parsed);
            for (std::size_t r = 0; r < runs.size(); ++r) {
                if (personal) {
                    v1::Event copy = parsed;
                    proto::redactFor(kRoles[r], copy);
                    auditPublished(kRoles[r], copy, event.sequence); // stored without it
                    runs[r].push_back({event.sequence, redacted[r].emplace_back(copy.SerializeAsString())});
                } else {
                    runs[r].push_back({event.sequence, stored});
                }
            }
            m_published = event.sequence;
            if (runs.front().size() == std::size_t(kEventsPerPublication))
                publishRuns();
        }
        publishRuns();
        if (int(events->size()) < kPublishPage)
            return;
    }
}

void Gateway::Loop::heartbeat()
{
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastHeartbeat < kHeartbeatEvery)
        return;
    m_lastHeartbeat = now;
    v1::Envelope envelope;
    envelope.mutable_heartbeat()->set_head_sequence(m_published);
    envelope.mutable_heartbeat()->set_at_ms(QDateTime::currentMSecsSinceEpoch());
    publish(envelope);
}

void Gateway::Loop::deliverPages()
{
    for (PageReader::Page &page : m_pages->takeReady()) {
        const zmq::message_t identity(page.peer.constData(), std::size_t(page.peer.size()));
        // A station that left, or was revoked, while its page was read is not served.
        if (!m_sessions.find(page.peer, page.station))
            continue;
        if (page.error) {
            replyError(identity, *page.error, page.requestId);
            continue;
        }
        m_limits.chargePage(page.station, page.bytes.size(), std::chrono::steady_clock::now());
        std::move(page.audit.begin(), page.audit.end(), std::back_inserter(m_auditReads));
        replyEncoded(identity, page.bytes);
    }
}

void Gateway::Loop::publish(const v1::Envelope &envelope)
{
    publishRaw(proto::kCommonTopic, proto::encode(envelope));
}

void Gateway::Loop::publishRaw(const std::string &topic, const std::string &bytes)
{
    try {
        m_pub.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
        m_pub.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    } catch (const zmq::error_t &e) {
        qCWarning(lcGateway) << "publish failed:" << e.what();
    }
}

Gateway::Gateway(GatewaySettings settings, Bus &bus, GroupCommit &commit)
    : m_settings(std::move(settings))
    , m_bus(bus)
    , m_commit(commit)
{
}

Gateway::~Gateway()
{
    stop();
}

Result<bool> Gateway::start()
{
    std::promise<Result<bool>> started;
    auto ready = started.get_future();
    m_thread = std::thread([this, &started] {
        pthread_setname_np(pthread_self(), "cf-gateway");
        zmq::context_t zmq(1);
        Loop loop(m_settings, m_bus, m_commit, zmq);
        auto opened = loop.open();
        const bool ok = opened.ok();
        started.set_value(std::move(opened));
        if (!ok)
            return;
        m_running = true;
        loop.run(m_stop, m_draining, m_drainSettled);
        m_running = false;
    });
    auto result = ready.get();
    if (!result && m_thread.joinable())
        m_thread.join();
    return result;
}

void Gateway::drain()
{
    m_draining = true;
}

void Gateway::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace clinicflow::server
