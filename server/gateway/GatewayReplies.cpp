// Answers to stations on the ROUTER (ARCHITECTURE §7). Each peer's queue holds sndhwm messages; a reply it cannot
// take at once waits in that peer's backlog, in order, and goes out as the peer reads. A burst of answers (a
// workstation back from a day offline sends its whole outbox, and gets Queued and Applied for each) is not a peer
// that does not read: only a backlog that makes no progress for kSlowReaderAfter, or grows past kMaxReplyBacklog,
// gets the peer cut as a slow reader.
#include "GatewayLoop.h"
#include "common/Logging.h"
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <sys/socket.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcGateway;

namespace clinicflow::server {

namespace {

// A peer whose queue took nothing for this long does not read: it is gone, hung, or hostile.
constexpr std::chrono::seconds kSlowReaderAfter{10};
// Answers waiting for one peer beyond its queue: two per pending command (Queued, then Applied) for a station's
// whole share of pending commands, and room for pages and errors. About 2 MB at most.
constexpr qsizetype kMaxReplyBacklog = 8000;

} // namespace

void Gateway::Loop::reply(const zmq::message_t &identity, v1::Envelope &envelope, quint64 requestId)
{
    envelope.set_request_id(requestId);
    replyEncoded(identity, proto::encode(envelope));
}

void Gateway::Loop::replyError(const zmq::message_t &identity, const Error &error, quint64 requestId)
{
    v1::Envelope envelope;
    *envelope.mutable_error() = proto::toProto(error);
    reply(identity, envelope, requestId);
}

void Gateway::Loop::replyEncoded(const zmq::message_t &identity, const std::string &bytes)
{
    const QByteArray peer(identity.data<char>(), qsizetype(identity.size()));
    if (auto waiting = m_replyBacklogs.find(peer); waiting != m_replyBacklogs.end()) {
        waiting->replies.push_back(bytes); // behind those already waiting: a station's answers stay in order
        if (waiting->replies.size() > std::size_t(kMaxReplyBacklog)) {
            m_replyBacklogs.erase(waiting);
            cutSlowReader(identity);
        }
        return;
    }
    if (trySend(identity, bytes) == SendResult::Full)
        m_replyBacklogs.insert(peer, ReplyBacklog{{bytes}, std::chrono::steady_clock::now()});
}

Gateway::Loop::SendResult Gateway::Loop::trySend(const zmq::message_t &identity, const std::string &bytes)
{
    try {
        // ROUTER_MANDATORY: a peer whose queue is full refuses the first frame (EAGAIN); once it is taken, the
        // message is taken whole.
        zmq::message_t to(identity.data(), identity.size());
        if (!m_router.send(to, zmq::send_flags::sndmore | zmq::send_flags::dontwait))
            return SendResult::Full;
        m_router.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
        return SendResult::Sent;
    } catch (const zmq::error_t &e) {
        // The peer is gone. It will resend and get the stored result.
        qCInfo(lcGateway).noquote() << "reply to peer" << peerName(identity) << "not delivered:" << e.what();
        return SendResult::Gone;
    }
}

void Gateway::Loop::flushReplyBacklogs()
{
    const auto now = std::chrono::steady_clock::now();
    for (auto waiting = m_replyBacklogs.begin(); waiting != m_replyBacklogs.end();) {
        const zmq::message_t identity(waiting.key().constData(), std::size_t(waiting.key().size()));
        SendResult sent = SendResult::Sent;
        bool progressed = false;
        while (!waiting->replies.empty()) {
            sent = trySend(identity, waiting->replies.front());
            if (sent != SendResult::Sent)
                break;
            waiting->replies.pop_front();
            progressed = true;
        }
        if (waiting->replies.empty() || sent == SendResult::Gone) {
            waiting = m_replyBacklogs.erase(waiting);
            continue;
        }
        if (progressed) {
            waiting->lastProgress = now;
        } else if (now - waiting->lastProgress > kSlowReaderAfter) {
            waiting = m_replyBacklogs.erase(waiting);
            cutSlowReader(identity);
            continue;
        }
        ++waiting;
    }
}

void Gateway::Loop::cutSlowReader(const zmq::message_t &identity)
{
    const QByteArray peer(identity.data<char>(), qsizetype(identity.size()));
    m_replyBacklogs.remove(peer);
    const int fd = m_peerConnections.value(peer, -1);
    const auto connection = m_connections.constFind(fd);
    const QString who =
        connection != m_connections.cend() && !connection->station.isEmpty() ? connection->station : peerName(identity);
    limitedCounter("slow_reader").inc();
    if (warnAbout(u"slow reader "_s + who))
        qCWarning(lcGateway).noquote() << "station" << who << "does not read its answers (nothing taken for"
                                       << kSlowReaderAfter.count() << "s, or" << kMaxReplyBacklog
                                       << "waiting): its connection is closed; it reconnects and asks again";
    if (connection != m_connections.cend()) {
        m_sessions.endConnection(fd);
        ::shutdown(fd, SHUT_RDWR);
    }
}

} // namespace clinicflow::server
