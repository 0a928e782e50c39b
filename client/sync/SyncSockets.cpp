// Socket set-up and raw I/O of the sync engine (see SyncSockets.h).
#include "SyncSockets.h"

#include "common/Logging.h"
#include "proto/Codec.h"
#include "proto/Redaction.h"

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;
using clinicflow::common::lcSync;

namespace clinicflow::client::sync {

namespace {

int ms(std::chrono::milliseconds d)
{
    return int(std::clamp<qint64>(d.count(), 1, 6'000'000));
}

// Options both sockets share: never block on close, back off reconnects up to a cap, and let libzmq's own
// heartbeats drop a link whose peer went silent (the monitor then reports it).
void setCommonOptions(zmq::socket_t &s, const SyncSettings &settings)
{
    security::makeCurveClient(s, settings.keys);
    s.set(zmq::sockopt::linger, 0);
    s.set(zmq::sockopt::reconnect_ivl, ms(settings.reconnectInterval));
    s.set(zmq::sockopt::reconnect_ivl_max, ms(settings.reconnectIntervalMax));
    s.set(zmq::sockopt::heartbeat_ivl, ms(settings.pingInterval));
    s.set(zmq::sockopt::heartbeat_timeout, ms(settings.offlineTimeout + settings.pingInterval));
    s.set(zmq::sockopt::heartbeat_ttl, ms(settings.offlineTimeout * 4));
    s.set(zmq::sockopt::connect_timeout, ms(settings.offlineTimeout));
}

} // namespace

SyncSockets::SyncSockets(const SyncSettings &settings)
    : m_settings(settings)
{
}

SyncSockets::~SyncSockets()
{
    closeDealer();
    m_sub.reset();
}

QString SyncSockets::open()
{
    if (!m_settings.keys.isValid())
        return u"station %1 has no enrolment: import the file `clinicflow-server enrol` wrote for it"_s.arg(
            m_settings.station);
    try {
        m_sub = std::make_unique<zmq::socket_t>(m_context, zmq::socket_type::sub);
        setCommonOptions(*m_sub, m_settings);
        m_sub->set(zmq::sockopt::rcvhwm, std::max(m_settings.subscriberHighWaterMark, 1));
        // Events are a few hundred bytes; anything near the codec's limit on PUB is not from our gateway.
        m_sub->set(zmq::sockopt::maxmsgsize, int64_t(proto::kMaxMessageSize));
        // What this station's role may hear (docs/protocol.md, "Who receives what"); the server grants no other.
        m_sub->set(zmq::sockopt::subscribe, proto::kCommonTopic);
        m_sub->set(zmq::sockopt::subscribe, proto::roleTopic(m_settings.role));
        m_sub->connect(m_settings.publishEndpoint.toStdString());
        recreateDealer();
    } catch (const zmq::error_t &e) {
        return u"cannot connect to %1 / %2: %3"_s.arg(m_settings.requestEndpoint, m_settings.publishEndpoint,
                                                      QString::fromLocal8Bit(e.what()));
    }
    return {};
}

void SyncSockets::closeDealer()
{
    if (m_dealer) {
        // Stop the monitor first, so closing the DEALER is not reported as a lost link.
        zmq_socket_monitor(m_dealer->handle(), nullptr, 0);
    }
    m_monitor.reset();
    m_dealer.reset();
}

void SyncSockets::recreateDealer()
{
    // Built aside first: when libzmq refuses (e.g. out of file descriptors) the old DEALER stays usable.
    ++m_generation;
    auto dealer = std::make_unique<zmq::socket_t>(m_context, zmq::socket_type::dealer);
    setCommonOptions(*dealer, m_settings);
    dealer->set(zmq::sockopt::immediate, 1);
    dealer->set(zmq::sockopt::sndhwm, 20000);
    dealer->set(zmq::sockopt::rcvhwm, 20000);
    // Pages stay under the codec's limit; a little room for the envelope, and nothing far larger takes memory.
    dealer->set(zmq::sockopt::maxmsgsize, int64_t(2 * proto::kMaxMessageSize));

    const std::string address =
        "inproc://clinicflow-sync-monitor-" + std::to_string(quintptr(this)) + "-" + std::to_string(m_generation);
    if (zmq_socket_monitor(dealer->handle(), address.c_str(), ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED) !=
        0)
        throw zmq::error_t();
    auto monitor = std::make_unique<zmq::socket_t>(m_context, zmq::socket_type::pair);
    monitor->set(zmq::sockopt::linger, 0);
    monitor->connect(address);
    dealer->connect(m_settings.requestEndpoint.toStdString());
    closeDealer();
    m_dealer = std::move(dealer);
    m_monitor = std::move(monitor);
}

bool SyncSockets::send(const std::string &bytes)
{
    try {
        return m_dealer->send(zmq::buffer(bytes), zmq::send_flags::dontwait).has_value();
    } catch (const zmq::error_t &e) {
        qCWarning(lcSync) << "send failed:" << e.what();
        return false;
    }
}

SyncSockets::Read SyncSockets::receive(zmq::socket_t &socket, zmq::message_t &out)
{
    try {
        if (!socket.recv(out, zmq::recv_flags::dontwait))
            return Read::None;
        if (!out.more())
            return Read::Message;
        zmq::message_t rest;
        while (socket.recv(rest, zmq::recv_flags::dontwait) && rest.more()) {
        }
        return Read::Malformed;
    } catch (const zmq::error_t &e) {
        qCWarning(lcSync) << "receive failed:" << e.what();
        return Read::None;
    }
}

SyncSockets::Read SyncSockets::receivePublished(zmq::message_t &out)
{
    try {
        zmq::message_t topic;
        if (!m_sub->recv(topic, zmq::recv_flags::dontwait))
            return Read::None;
        if (!topic.more())
            return Read::Malformed;
        (void)m_sub->recv(out, zmq::recv_flags::dontwait);
        if (!out.more())
            return Read::Message;
        zmq::message_t rest;
        while (m_sub->recv(rest, zmq::recv_flags::dontwait) && rest.more()) {
        }
        return Read::Malformed;
    } catch (const zmq::error_t &e) {
        qCWarning(lcSync) << "receive failed:" << e.what();
        return Read::None;
    }
}

bool SyncSockets::takeDisconnect()
{
    bool disconnected = false;
    for (;;) {
        zmq::message_t head;
        zmq::message_t endpoint;
        try {
            if (!m_monitor->recv(head, zmq::recv_flags::dontwait))
                break;
            if (head.more())
                (void)m_monitor->recv(endpoint, zmq::recv_flags::dontwait);
        } catch (const zmq::error_t &e) {
            qCWarning(lcSync) << "monitor read failed:" << e.what();
            break;
        }
        if (head.size() < sizeof(quint16))
            continue;
        quint16 event = 0;
        std::memcpy(&event, head.data(), sizeof event);
        if (event == ZMQ_EVENT_DISCONNECTED)
            disconnected = true;
        else if (event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
            qCDebug(lcSync) << "connected to" << m_settings.requestEndpoint;
    }
    return disconnected;
}

} // namespace clinicflow::client::sync
