#include "TestStation.h"

#include "domain/Ids.h"
#include "proto/Codec.h"
#include "proto/Convert.h"
#include "proto/Redaction.h"

#include <QDateTime>
#include <thread>
#include <zmq.hpp>
#include <zmq_addon.hpp>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using Clock = std::chrono::steady_clock;

namespace clinicflow::testsupport {

namespace {

std::chrono::milliseconds remaining(Clock::time_point deadline)
{
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

std::optional<v1::Envelope> takeFirst(std::deque<v1::Envelope> &kept, const auto &match)
{
    for (auto it = kept.begin(); it != kept.end(); ++it) {
        if (match(*it)) {
            v1::Envelope found = std::move(*it);
            kept.erase(it);
            return found;
        }
    }
    return std::nullopt;
}

} // namespace

QString Outcome::describe() const
{
    if (!answered)
        return u"no answer"_s;
    if (applied) {
        QStringList seqs;
        for (quint64 s : sequences)
            seqs << QString::number(s);
        return u"Applied [%1]"_s.arg(seqs.join(u','));
    }
    return u"%1 %2 (%3): %4"_s
        .arg(protocolError ? u"Error"_s : u"Rejected"_s, QString::fromStdString(v1::ErrorCode_Name(code)))
        .arg(int(code))
        .arg(message);
}

TestStation::TestStation() = default;

TestStation::~TestStation()
{
    disconnect();
}

namespace {
QHash<quint16, TestStation::Enroller> &enrollers()
{
    static QHash<quint16, TestStation::Enroller> byPort;
    return byPort;
}
} // namespace

void TestStation::setEnroller(quint16 port, Enroller enroller)
{
    if (enroller)
        enrollers().insert(port, std::move(enroller));
    else
        enrollers().remove(port);
}

void TestStation::useKeys(const security::ClientKeys &keys, const QString &station)
{
    m_keys = keys;
    m_keysStation = station;
    m_keysFromEnroller = false;
    if (m_port != 0)
        connect(m_port, m_pubPort);
}

void TestStation::connect(quint16 port, quint16 pubPort)
{
    disconnect();
    m_port = port;
    m_pubPort = pubPort;
    if (m_keysFromEnroller)
        m_keys.reset();
    if (m_keys)
        ensureSockets();
}

void TestStation::ensureSockets(const QString &station, Role role)
{
    if (m_dealer || m_port == 0)
        return;
    if (!m_keys) {
        // After a reconnection, the station it was; else the one asked for.
        const bool again = m_keysFromEnroller && !m_keysStation.isEmpty();
        const Enroller enroller = enrollers().value(m_port);
        const auto enrolment =
            enroller ? enroller(again ? m_keysStation : station, again ? m_keysRole : role) : std::nullopt;
        if (!enrolment)
            qFatal("TestStation: no enrolment for station %s on port %d", qPrintable(station), int(m_port));
        m_keys = enrolment->keys;
        m_keysStation = enrolment->station;
        m_keysRole = enrolment->role;
        m_keysFromEnroller = true;
    }
    m_context = std::make_unique<zmq::context_t>(1);
    m_dealer = std::make_unique<zmq::socket_t>(*m_context, zmq::socket_type::dealer);
    security::makeCurveClient(*m_dealer, *m_keys);
    m_dealer->set(zmq::sockopt::linger, 0);
    m_dealer->set(zmq::sockopt::sndhwm, 100000);
    m_dealer->set(zmq::sockopt::rcvhwm, 100000);
    m_dealer->connect(u"tcp://127.0.0.1:%1"_s.arg(m_port).toStdString());
    if (m_pubPort != 0) {
        m_sub = std::make_unique<zmq::socket_t>(*m_context, zmq::socket_type::sub);
        security::makeCurveClient(*m_sub, *m_keys);
        m_sub->set(zmq::sockopt::linger, 0);
        m_sub->set(zmq::sockopt::rcvhwm, 200000);
        // The common topic and its role's; with keys of unknown role, every role's (the server grants its own).
        m_sub->set(zmq::sockopt::subscribe, proto::kCommonTopic);
        if (m_keysFromEnroller) {
            m_sub->set(zmq::sockopt::subscribe, proto::roleTopic(m_keysRole));
        } else {
            for (Role r : {Role::Receptionist, Role::Doctor, Role::Examiner, Role::Board})
                m_sub->set(zmq::sockopt::subscribe, proto::roleTopic(r));
        }
        m_sub->connect(u"tcp://127.0.0.1:%1"_s.arg(m_pubPort).toStdString());
    }
}

void TestStation::disconnect()
{
    m_sub.reset();
    m_dealer.reset();
    m_context.reset();
    m_kept.clear();
    m_submitRequest.clear();
}

std::optional<v1::Welcome> TestStation::hello(const QString &station, v1::Role role, quint64 lastSequence,
                                              std::chrono::milliseconds timeout)
{
    // A station object speaks for one station: hello as another one means that station's keys.
    if (!m_keysStation.isEmpty() && m_keysStation != station && enrollers().contains(m_port)) {
        m_keys.reset();
        m_keysStation.clear();
        disconnect();
    }
    if (auto role_ = proto::fromProto(role); role_)
        ensureSockets(station, role_.value());
    else
        ensureSockets(station);
    v1::Envelope envelope;
    auto *hello = envelope.mutable_hello();
    hello->set_protocol_version(proto::kProtocolVersion);
    hello->set_station(station.toStdString());
    hello->set_role(role);
    hello->set_last_sequence(lastSequence);
    hello->set_client_version("integration-test");
    auto reply = request(envelope, timeout);
    if (!reply)
        return std::nullopt;
    if (!reply->has_welcome()) {
        m_lastError = u"Hello answered with %1"_s.arg(QString::fromLatin1(proto::bodyName(*reply)));
        if (reply->has_error()) {
            m_lastErrorCode = reply->error().code();
            m_lastError += u": "_s + QString::fromStdString(reply->error().message());
        }
        return std::nullopt;
    }
    m_station = station;
    return reply->welcome();
}

// A registration goes out with a ticket of this station's, as a real desk issues them (the gateway refuses any
// other); a test that means another station's ticket sends it with sendSubmit().
QUuid TestStation::submit(const Command &command, const QUuid &commandId)
{
    const CommandMeta meta{commandId.isNull() ? newId() : commandId, m_station, QDateTime::currentDateTimeUtc()};
    Command own = command;
    if (auto *registration = std::get_if<RegisterVisit>(&own))
        registration->ticket.station = m_station;
    sendSubmit(proto::toSubmit(meta, own));
    return meta.commandId;
}

quint64 TestStation::sendSubmit(v1::Submit submit)
{
    if (submit.station().empty())
        submit.set_station(m_station.toStdString());
    if (submit.at_ms() == 0)
        submit.set_at_ms(QDateTime::currentMSecsSinceEpoch());
    v1::Envelope envelope;
    envelope.set_request_id(nextRequestId());
    *envelope.mutable_submit() = std::move(submit);
    m_submitRequest.insert(idFromString(QString::fromStdString(envelope.submit().command_id())), envelope.request_id());
    send(envelope);
    return envelope.request_id();
}

std::optional<v1::Envelope> TestStation::submitForReply(const Command &command, const QUuid &commandId,
                                                        std::chrono::milliseconds timeout)
{
    const QUuid id = submit(command, commandId);
    const quint64 requestId = m_submitRequest.value(id);
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (auto found = takeFirst(m_kept, [&](const v1::Envelope &e) { return e.request_id() == requestId; }))
            return found;
        if (Clock::now() >= deadline) {
            m_lastError = u"no reply to Submit %1 within %2 ms"_s.arg(idString(id)).arg(timeout.count());
            return std::nullopt;
        }
        pump(remaining(deadline));
    }
}

std::optional<Outcome> TestStation::findOutcome(const QUuid &commandId)
{
    const std::string id = idString(commandId).toStdString();
    const quint64 requestId = m_submitRequest.value(commandId, 0);
    auto found = takeFirst(m_kept, [&](const v1::Envelope &e) {
        if (e.has_applied())
            return e.applied().command_id() == id;
        if (e.has_rejected())
            return e.rejected().command_id() == id || (requestId != 0 && e.request_id() == requestId);
        return e.has_error() && requestId != 0 && e.request_id() == requestId;
    });
    if (!found)
        return std::nullopt;
    // Its Queued answers are of no further use.
    while (takeFirst(m_kept, [&](const v1::Envelope &e) { return e.has_queued() && e.queued().command_id() == id; }))
        ;
    Outcome outcome;
    outcome.answered = true;
    if (found->has_applied()) {
        outcome.applied = true;
        outcome.sequences.assign(found->applied().sequences().begin(), found->applied().sequences().end());
    } else if (found->has_rejected()) {
        outcome.code = found->rejected().code();
        outcome.message = QString::fromStdString(found->rejected().message());
    } else {
        outcome.protocolError = true;
        outcome.code = found->error().code();
        outcome.message = QString::fromStdString(found->error().message());
    }
    return outcome;
}

Outcome TestStation::waitOutcome(const QUuid &commandId, std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (auto outcome = findOutcome(commandId))
            return *outcome;
        if (Clock::now() >= deadline)
            return Outcome{};
        pump(remaining(deadline));
    }
}

Outcome TestStation::submitAndWait(const Command &command, const QUuid &commandId, std::chrono::milliseconds timeout)
{
    return waitOutcome(submit(command, commandId), timeout);
}

std::optional<Outcome> TestStation::takeOutcomeIfAny(const QUuid &commandId)
{
    while (pump(0ms))
        ;
    return findOutcome(commandId);
}

std::optional<v1::EventBatch> TestStation::fetchEvents(quint64 afterSequence, quint32 limit,
                                                       std::chrono::milliseconds timeout)
{
    v1::Envelope envelope;
    envelope.mutable_fetch_events()->set_after_sequence(afterSequence);
    envelope.mutable_fetch_events()->set_limit(limit);
    auto reply = request(envelope, timeout);
    if (!reply)
        return std::nullopt;
    if (!reply->has_event_batch()) {
        m_lastError = u"FetchEvents answered with %1 %2"_s.arg(QString::fromLatin1(proto::bodyName(*reply)),
                                                               QString::fromStdString(reply->error().message()));
        return std::nullopt;
    }
    return reply->event_batch();
}

EventLogRead TestStation::fetchAllEvents(quint32 pageLimit, std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    EventLogRead read;
    quint64 after = 0;
    for (;;) {
        auto batch = fetchEvents(after, pageLimit, remaining(deadline));
        if (!batch)
            return read;
        read.head = std::max<quint64>(read.head, batch->head_sequence());
        for (const v1::Event &e : batch->events())
            read.events.push_back(e);
        if (!batch->more())
            break;
        if (batch->events().empty()) {
            m_lastError = u"EventBatch says more but holds no event after %1"_s.arg(after);
            return read;
        }
        after = batch->events(batch->events_size() - 1).sequence();
    }
    read.ok = true;
    return read;
}

SnapshotRead TestStation::fetchSnapshot(quint32 pageLimit, std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    SnapshotRead read;
    std::string after;
    bool first = true;
    for (;;) {
        v1::Envelope envelope;
        envelope.mutable_fetch_snapshot()->set_after_visit_id(after);
        envelope.mutable_fetch_snapshot()->set_limit(pageLimit);
        auto reply = request(envelope, remaining(deadline));
        if (!reply)
            return read;
        if (!reply->has_snapshot()) {
            m_lastError = u"FetchSnapshot answered with %1"_s.arg(QString::fromLatin1(proto::bodyName(*reply)));
            return read;
        }
        const v1::Snapshot &page = reply->snapshot();
        read.sequence = first ? page.sequence() : std::min<quint64>(read.sequence, page.sequence());
        first = false;
        for (const v1::VisitStatus &row : page.visits())
            read.visits.push_back(row);
        if (!page.more())
            break;
        if (page.next_visit_id().empty() || page.next_visit_id() == after) {
            m_lastError = u"Snapshot says more but its cursor does not move"_s;
            return read;
        }
        after = page.next_visit_id();
    }
    read.ok = true;
    return read;
}

std::optional<v1::Pong> TestStation::ping(std::chrono::milliseconds timeout)
{
    v1::Envelope envelope;
    const quint64 nonce = m_requestId * 7919 + 1;
    envelope.mutable_ping()->set_nonce(nonce);
    auto reply = request(envelope, timeout);
    if (!reply || !reply->has_pong() || reply->pong().nonce() != nonce) {
        if (reply)
            m_lastError = u"Ping answered with %1"_s.arg(QString::fromLatin1(proto::bodyName(*reply)));
        return std::nullopt;
    }
    return reply->pong();
}

std::optional<v1::Envelope> TestStation::request(v1::Envelope envelope, std::chrono::milliseconds timeout)
{
    const quint64 requestId = nextRequestId();
    envelope.set_request_id(requestId);
    send(envelope);
    auto reply = replyTo(requestId, timeout);
    if (!reply)
        m_lastError = QString::fromLatin1(proto::bodyName(envelope)) + u": "_s + m_lastError;
    return reply;
}

std::optional<v1::Envelope> TestStation::replyTo(quint64 requestId, std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (auto found = takeFirst(m_kept, [&](const v1::Envelope &e) { return e.request_id() == requestId; }))
            return found;
        if (Clock::now() >= deadline) {
            m_lastError = u"no reply to request %1 within %2 ms"_s.arg(requestId).arg(timeout.count());
            return std::nullopt;
        }
        pump(remaining(deadline));
    }
}

void TestStation::send(const v1::Envelope &envelope)
{
    const std::string bytes = proto::encode(envelope);
    sendRawFrames({QByteArray::fromRawData(bytes.data(), qsizetype(bytes.size()))});
}

void TestStation::sendRaw(const QByteArray &bytes)
{
    sendRawFrames({bytes});
}

// A DEALER whose connection the server refused (no key, a revoked one) has nowhere to queue a message and would
// block: a station refused for a while gives up on the message, as its request then goes unanswered.
void TestStation::sendRawFrames(const QByteArrayList &frames)
{
    ensureSockets();
    const auto deadline = Clock::now() + 2s;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        const auto flags =
            (i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none) | zmq::send_flags::dontwait;
        while (!m_dealer->send(zmq::buffer(frames[i].constData(), std::size_t(frames[i].size())), flags)) {
            if (Clock::now() >= deadline) {
                m_lastError = u"not sent: no connection to the server took it within 2 s"_s;
                return;
            }
            std::this_thread::sleep_for(10ms);
        }
    }
}

std::optional<v1::Envelope> TestStation::receive(std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    while (m_kept.empty()) {
        // At least one look at the socket, even with a zero timeout.
        const bool expired = Clock::now() >= deadline;
        if (!pump(remaining(deadline)) && expired)
            return std::nullopt;
    }
    v1::Envelope first = std::move(m_kept.front());
    m_kept.pop_front();
    return first;
}

bool TestStation::pump(std::chrono::milliseconds wait)
{
    ensureSockets();
    zmq::pollitem_t item{m_dealer->handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, wait);
    if (!(item.revents & ZMQ_POLLIN))
        return false;
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(*m_dealer, std::back_inserter(frames), zmq::recv_flags::dontwait))
        return false;
    if (frames.size() != 1) {
        m_lastError = u"the gateway sent a message of %1 frames"_s.arg(frames.size());
        return true;
    }
    auto envelope = proto::decode(std::string_view(frames[0].data<char>(), frames[0].size()));
    if (!envelope) {
        m_lastError = u"undecodable reply: %1"_s.arg(envelope.error().message());
        return true;
    }
    m_kept.push_back(std::move(envelope).value());
    return true;
}

} // namespace clinicflow::testsupport
