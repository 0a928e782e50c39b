// Who may talk to the gateway (ARCHITECTURE §7): the ZAP handler's enrolled stations, read again every few hundred
// milliseconds so that `clinicflow-server revoke` takes effect without a restart; the ROUTER's connections, followed
// through its socket monitor so that a session ends with its connection; and cutting a revoked station off.
#include "GatewayLoop.h"
#include "common/Logging.h"
#include "proto/Codec.h"
#include "proto/Redaction.h"
#include "security/Curve.h"

#include <arpa/inet.h>
#include <cstring>
#include <sys/socket.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcGateway;

namespace clinicflow::server {

namespace {

constexpr std::chrono::milliseconds kStationsReadEvery{250};
constexpr std::chrono::milliseconds kStationsReadForUnknownKey{5};
constexpr auto kRouterMonitor = "inproc://clinicflow-gateway-router-monitor";

// The next event of a socket monitor and the socket it names; false when none is waiting.
bool nextMonitorEvent(zmq::socket_t &monitor, quint16 &event, int &fd)
{
    for (;;) {
        zmq::message_t head;
        zmq::message_t endpoint;
        try {
            if (!monitor.recv(head, zmq::recv_flags::dontwait))
                return false;
            if (head.more())
                (void)monitor.recv(endpoint, zmq::recv_flags::dontwait);
        } catch (const zmq::error_t &e) {
            qCWarning(lcGateway) << "monitor read failed:" << e.what();
            return false;
        }
        if (head.size() < sizeof(quint16) + sizeof(quint32))
            continue;
        quint32 value = 0;
        std::memcpy(&event, head.data(), sizeof event);
        std::memcpy(&value, head.data<char>() + sizeof event, sizeof value);
        fd = int(value);
        return true;
    }
}

// Up to `most` of a monitor's events, each to `note`; true when none is left.
template<typename Note>
bool readMonitorEvents(zmq::socket_t &monitor, int most, Note note)
{
    quint16 event = 0;
    int fd = -1;
    for (int read = 0; read < most; ++read) {
        if (!nextMonitorEvent(monitor, event, fd))
            return true;
        note(event, fd);
    }
    return false;
}

// The connections a socket holds open now, as the monitor last told (an operator sees a flood building up).
void showOpenConnections(const char *socket, qsizetype open)
{
    thread_local QHash<const char *, common::Gauge *> cache;
    common::Gauge *&gauge = cache[socket];
    if (!gauge)
        gauge = &common::Metrics::global().gauge(u"clinicflow_gateway_connections"_s,
                                                 u"Connections open on a ZeroMQ port, handshaken or not"_s,
                                                 {{u"socket"_s, QString::fromLatin1(socket)}});
    gauge->set(double(open));
}

// "address:port" of a connected socket's peer; empty when it is not a TCP socket any more.
QString peerAddress(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    char host[INET6_ADDRSTRLEN] = {};
    quint16 port = 0;
    if (address.ss_family == AF_INET) {
        const auto *in = reinterpret_cast<const sockaddr_in *>(&address);
        ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
    } else if (address.ss_family == AF_INET6) {
        const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(&address);
        ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
    } else {
        return {};
    }
    return u"%1:%2"_s.arg(QString::fromLatin1(host)).arg(port);
}

} // namespace

Result<bool> Gateway::Loop::openPeers()
{
    refreshStations(RefreshFor::Start);
    try {
        m_routerMonitor.set(zmq::sockopt::linger, 0);
        if (zmq_socket_monitor(m_router.handle(), kRouterMonitor,
                               ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                                   ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) != 0)
            throw zmq::error_t();
        m_routerMonitor.connect(kRouterMonitor);
    } catch (const zmq::error_t &e) {
        return makeError(ErrorCode::InternalError,
                         u"cannot monitor the request socket: %1"_s.arg(QString::fromLocal8Bit(e.what())));
    }
    return true;
}

void Gateway::Loop::prepareServerSocket(zmq::socket_t &socket, const security::KeyPair &keys)
{
    security::makeCurveServer(socket, keys);
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::heartbeat_ivl, 2000);
    socket.set(zmq::sockopt::heartbeat_timeout, 6000);
    socket.set(zmq::sockopt::heartbeat_ttl, 6000);
    // A connection that has not finished its CURVE handshake within 5 s is closed: idle sockets hold no descriptors.
    socket.set(zmq::sockopt::handshake_ivl, 5000);
}

Result<bool> Gateway::Loop::bindPub()
{
    const std::string endpoint = u"tcp://%1:%2"_s.arg(m_settings.bind).arg(m_settings.pubPort).toStdString();
    try {
        if (!m_pub)
            m_pub = zmq::socket_t(m_zmq, zmq::socket_type::xpub);
        prepareServerSocket(m_pub, m_settings.keys);
        // Its connections are counted (readPubMonitor). A monitor of its own for each socket: a revocation makes a
        // new one (cutStation).
        const std::string monitor = "inproc://clinicflow-gateway-pub-monitor-" + std::to_string(++m_pubGeneration);
        if (zmq_socket_monitor(m_pub.handle(), monitor.c_str(), ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED) != 0)
            throw zmq::error_t();
        m_pubMonitor = zmq::socket_t(m_zmq, zmq::socket_type::pair);
        m_pubMonitor.set(zmq::sockopt::linger, 0);
        m_pubMonitor.connect(monitor);
        m_pubConnections.clear();
        m_pubConnectionsPerHost.clear();
        // Subscriptions are the gateway's to grant (readSubscriptions), by the subscriber's role.
        m_pub.set(zmq::sockopt::xpub_manual, 1);
        // Events queued per subscriber (--pub-queue): a subscriber that does not read holds at most this many (by
        // default 20,000, about 12 MB), and with at most 4 subscribed connections per station (admitsSubscriber) no
        // station can make the server hold more than about 50 MB. A healthy station's ZeroMQ thread reads whatever
        // its GUI does; one that falls this far behind (seconds, at full load) repairs the gap with FetchEvents, as
        // after any PUB loss. The mark counts messages, each up to kEventsPerPublication events.
        m_pub.set(zmq::sockopt::sndhwm, std::max(1, m_settings.pubQueue / kEventsPerPublication));
        m_pub.set(zmq::sockopt::maxmsgsize, int64_t(4096));
        // The port of a socket just closed may still be held by libzmq's I/O thread for a moment.
        for (int attempt = 0;; ++attempt) {
            try {
                m_pub.bind(endpoint);
                break;
            } catch (const zmq::error_t &e) {
                if (e.num() != EADDRINUSE || attempt == 50)
                    throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
    } catch (const zmq::error_t &e) {
        return makeError(ErrorCode::InternalError, u"cannot bind %1 port %2: %3"_s.arg(m_settings.bind)
                                                       .arg(m_settings.pubPort)
                                                       .arg(QString::fromLocal8Bit(e.what())));
    }
    return true;
}

int Gateway::Loop::shutConnectionsOf(const QString &station, const QList<int> &sessionConnections)
{
    QSet<int> connections(sessionConnections.cbegin(), sessionConnections.cend());
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it) {
        if (it->station == station) // spoke, with or without a Hello
            connections.insert(it.key());
    }
    int shut = 0;
    for (int fd : std::as_const(connections)) {
        // Only a connection the monitor still reports open, to the same peer: a closed socket's number may have
        // been given to another connection since.
        const auto it = m_connections.constFind(fd);
        if (it != m_connections.cend() && !it->address.isEmpty() && peerAddress(fd) == it->address &&
            ::shutdown(fd, SHUT_RDWR) == 0)
            ++shut;
    }
    return shut;
}

bool Gateway::Loop::admits(const QString &station)
{
    if (m_zap.isShutOut(station))
        return false; // what it sent before its connections closed (said when it was shut out)
    const EnrolledStation *enrolled = m_zap.station(station);
    if (enrolled && !enrolled->isRevoked())
        return true;
    // Only a station revoked after its connection was admitted gets here: libzmq asks ZAP once per connection.
    if (!m_loggedPeers.contains(station)) {
        m_loggedPeers.insert(station);
        qCWarning(lcGateway).noquote() << "message from station" << station.left(8)
                                       << "ignored: it is revoked (logged once per station)";
    }
    return false;
}

void Gateway::Loop::refreshStations(RefreshFor why)
{
    const auto clock = std::chrono::steady_clock::now();
    const auto age = clock - m_lastStationsRead;
    if ((why == RefreshFor::Turn && age < kStationsReadEvery) ||
        (why == RefreshFor::UnknownKey && age < kStationsReadForUnknownKey))
        return;
    m_lastStationsRead = clock;
    auto stations = StationDirectory(*m_db).all();
    if (!stations) {
        if (warnAboutDatabase(u"reading the enrolled stations"_s))
            qCWarning(lcGateway).noquote() << "cannot read the enrolled stations:" << stations.error().message();
        return;
    }
    QStringList newlyRevoked;
    for (const EnrolledStation &s : stations.value()) {
        const EnrolledStation *known = m_zap.station(s.code);
        if (s.isRevoked() && known && !known->isRevoked())
            newlyRevoked.append(s.code);
        else if (!known)
            qCInfo(lcGateway).noquote() << "station" << s.code << "enrolled as" << toString(s.role);
    }
    m_zap.setStations(stations.value());
    for (const QString &code : newlyRevoked)
        cutStation(code);
}

void Gateway::Loop::cutStation(const QString &station)
{
    // Requests: its sessions end, and its connections are shut, so it sees the cut at once; its reconnections
    // meet the ZAP handler, which now refuses its key.
    const int shut = shutConnectionsOf(station, m_sessions.endStation(station));
    // Status: a PUB cannot drop one subscriber, so every subscriber is dropped and reconnects through ZAP; the
    // others repair the moment's gap like any other (a Heartbeat's head, FetchEvents).
    m_pub.close();
    m_subscribers.clear(); // every subscriber subscribes again
    m_pubSubscribers.clear();
    auto rebound = bindPub();
    if (!rebound)
        qCCritical(lcGateway).noquote() << "status socket not rebound after a revocation:" << rebound.error().message();
    qCWarning(lcGateway).noquote() << "station" << station << "revoked: its session ended," << shut
                                   << "connection(s) shut, and every status subscriber reconnects through the key "
                                      "check";
}

void Gateway::Loop::logRefusedHandshake(const QString &address)
{
    // A connection refused at once may be closed before the monitor's news of it is read: its address is gone.
    // Those are counted, and said at most once a minute.
    if (address.isEmpty()) {
        ++m_unnamedRefusals;
        const auto now = std::chrono::steady_clock::now();
        if (now - m_lastUnnamedRefusalLog >= std::chrono::minutes(1)) {
            m_lastUnnamedRefusalLog = now;
            qCWarning(lcGateway).noquote() << m_unnamedRefusals << "connection(s) without a CURVE handshake refused "
                                           << "since the last such line (closed before their address was read)";
            m_unnamedRefusals = 0;
        }
        return;
    }
    if (m_loggedPeers.contains(address))
        return;
    m_loggedPeers.insert(address);
    qCWarning(lcGateway).noquote() << "connection from" << address
                                   << "refused: no CURVE handshake (a station without an enrolment, or not "
                                      "ClinicFlow; logged once per address)";
}

void Gateway::Loop::readSubscriptions()
{
    for (;;) {
        zmq::message_t message;
        try {
            if (!m_pub.recv(message, zmq::recv_flags::dontwait))
                return;
        } catch (const zmq::error_t &e) {
            qCWarning(lcGateway) << "subscription unreadable:" << e.what();
            return;
        }
        if (message.size() < 1 || (message.data<char>()[0] != 0 && message.data<char>()[0] != 1))
            continue;
        const bool subscribe = message.data<char>()[0] == 1;
        const std::string topic(message.data<char>() + 1, message.size() - 1);
        const char *userId = zmq_msg_gets(message.handle(), "User-Id");
        const EnrolledStation *station = userId ? m_zap.station(QString::fromUtf8(userId)) : nullptr;
        const bool allowed = station && !station->isRevoked() &&
                             (topic == proto::kCommonTopic || topic == proto::roleTopic(station->role));
        // The connection it came through (none for the unsubscriptions libzmq makes when a subscriber goes away).
        const int fd = zmq_msg_get(message.handle(), ZMQ_SRCFD);
        if (allowed && subscribe && fd >= 0 && !admitsSubscriber(fd, station->code)) {
            limitedCounter("subscriptions_per_station").inc();
            if (warnAbout(u"subscriptions of "_s + station->code))
                qCWarning(lcGateway).noquote()
                    << "station" << station->code << "already has" << m_settings.maxSessionsPerStation
                    << "status connections subscribed: a new one from" << peerAddress(fd) << "is sent nothing";
            continue;
        }
        if (allowed) {
            // Applies to the subscriber whose message was read last (ZMQ_XPUB_MANUAL).
            if (subscribe)
                m_pub.set(zmq::sockopt::subscribe, topic);
            else
                m_pub.set(zmq::sockopt::unsubscribe, topic);
            noteSubscription(topic, station->code, subscribe);
            continue;
        }
        const QString who = station ? station->code : u"?"_s;
        if (subscribe && !m_loggedPeers.contains(u"subscription:"_s + who)) {
            m_loggedPeers.insert(u"subscription:"_s + who);
            qCWarning(lcGateway).noquote()
                << "station" << who << "may not subscribe to" << QString::fromStdString(topic.substr(0, 32))
                << "(a station hears the common topic and its role's; logged once per station)";
        }
    }
}

bool Gateway::Loop::admitsSubscriber(int fd, const QString &station)
{
    // A connection that closed has left m_pubSubscribers already: subscriptions are read once the monitor has no news.
    const auto known = m_pubSubscribers.constFind(fd);
    if (known != m_pubSubscribers.cend())
        return known.value() == station; // the same connection, another topic
    const auto open = std::count(m_pubSubscribers.cbegin(), m_pubSubscribers.cend(), station);
    if (open >= m_settings.maxSessionsPerStation)
        return false;
    m_pubSubscribers.insert(fd, station);
    return true;
}

bool Gateway::Loop::readPubMonitor()
{
    const bool drained = readMonitorEvents(m_pubMonitor, kMonitorEventsPerTurn,
                                           [this](quint16 event, int fd) { notePubConnection(event, fd); });
    showOpenConnections("status", m_pubConnections.size());
    return drained;
}

void Gateway::Loop::notePubConnection(quint16 event, int fd)
{
    if (event == ZMQ_EVENT_DISCONNECTED) {
        if (const auto it = m_pubConnections.constFind(fd); it != m_pubConnections.cend()) {
            m_pubConnectionsPerHost.remove(hostOf(it.value()));
            m_pubConnections.erase(it);
        }
        m_pubSubscribers.remove(fd);
        return;
    }
    if (event != ZMQ_EVENT_ACCEPTED)
        return;
    // The same caps as the request port's: in all, and per address. A status connection holds a descriptor whether
    // or not it subscribes.
    const QString address = peerAddress(fd);
    const QString host = hostOf(address);
    const char *cap = m_pubConnections.size() >= m_settings.maxConnections ? "status_connections"
                      : m_pubConnectionsPerHost.count(host) >= m_settings.maxConnectionsPerAddress
                          ? "status_connections_per_address"
                          : nullptr;
    if (!cap) {
        m_pubConnections.insert(fd, address);
        m_pubConnectionsPerHost.add(host);
        return;
    }
    limitedCounter(cap).inc();
    ::shutdown(fd, SHUT_RDWR);
    if (warnAbout(u"status connections from "_s + host))
        qCWarning(lcGateway).noquote() << "status connection from" << address << "closed:" << m_pubConnections.size()
                                       << "open (cap" << m_settings.maxConnections << ", per address"
                                       << m_settings.maxConnectionsPerAddress << ")";
}

bool Gateway::Loop::readRouterMonitor()
{
    const bool drained = readMonitorEvents(m_routerMonitor, kMonitorEventsPerTurn,
                                           [this](quint16 event, int fd) { noteRouterConnection(event, fd); });
    showOpenConnections("requests", m_connections.size());
    return drained;
}

void Gateway::Loop::noteRouterConnection(quint16 event, int fd)
{
    switch (event) {
    case ZMQ_EVENT_ACCEPTED: {
        const QString address = peerAddress(fd);
        const QString host = hostOf(address);
        m_connections.insert(fd, Connection{address, host, false, {}});
        m_connectionsPerHost.add(host);
        (void)closeIfOverCap(fd, address, host);
        break;
    }
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
        // No CURVE key, or not ClinicFlow's protocol. The event names no peer: the connection it closes does.
        ZapHandler::refusedConnections("no_curve").inc();
        ++m_failedHandshakes;
        break;
    case ZMQ_EVENT_DISCONNECTED: {
        m_sessions.endConnection(fd);
        const bool counted = m_connections.contains(fd);
        const Connection connection = m_connections.take(fd);
        if (counted)
            m_connectionsPerHost.remove(connection.host);
        m_peerConnections.removeIf([fd](const auto &it) { return it.value() == fd; });
        if (connection.spoke && warnAbout(u"closed "_s + connection.station))
            // libzmq closes a connection that sends a frame over the limit, without a word: this line is that word,
            // and the station's own going away's.
            qCInfo(lcGateway).noquote() << "connection of station" << connection.station << "from" << connection.address
                                        << "closed (by the station or the network, or it sent"
                                        << "a frame over" << proto::kMaxInboundMessageSize << "bytes)";
        if (m_failedHandshakes > 0 && !connection.spoke) {
            --m_failedHandshakes;
            logRefusedHandshake(connection.host);
        }
        break;
    }
    default: // HANDSHAKE_FAILED_AUTH: the ZAP handler refused the key, and logged it
        break;
    }
}

} // namespace clinicflow::server
