// What keeps one peer from taking the gateway over (issue #12): each station's share of requests, pages and pending
// commands (StationLimits), the shared rules of a command's shape checked before anything is stored, caps on
// connections and sessions, a peer that does not read its answers cut off, and a noisy peer's warnings summed up.
#include "GatewayLoop.h"
#include "common/Logging.h"
#include "domain/ActedAt.h"
#include "proto/Convert.h"

#include <QDateTime>
#include <sys/socket.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcGateway;

namespace clinicflow::server {

namespace {

constexpr std::chrono::seconds kHousekeepingEvery{10};
// A command waiting for its outcome this long is forgotten here (the station asks again, and gets its stored
// result): a waiting entry missed by a race never holds a station's share for good.
constexpr std::chrono::minutes kWaitingExpiry{10};
// An outcome delivered before its station was noted as waiting waits this long for it (Gateway::Loop::deliver):
// far longer than a loop's turn.
constexpr std::chrono::seconds kEarlyKept{10};
constexpr std::chrono::seconds kShutOutFor{10}; // a station that ignored RATE_LIMITED

bool isPageRequest(const v1::Envelope &request)
{
    return request.has_fetch_events() || request.has_fetch_snapshot();
}

} // namespace

common::Counter &Gateway::Loop::limitedCounter(const char *what)
{
    thread_local QHash<const char *, common::Counter *> cache;
    common::Counter *&counter = cache[what];
    if (!counter)
        counter = &common::Metrics::global().counter(
            u"clinicflow_gateway_limited_total"_s,
            u"Requests and connections refused for being over a station's share or a cap"_s,
            {{u"limit"_s, QString::fromLatin1(what)}});
    return *counter;
}

bool Gateway::Loop::withinShare(const zmq::message_t &identity, const Peer &from, const v1::Envelope &request)
{
    const StationLimitSettings &limits = m_limits.settings();
    const int cost = isPageRequest(request) ? limits.pageRequestCost : limits.requestCost;
    const auto wait = m_limits.takeRequest(from.station, cost, std::chrono::steady_clock::now());
    if (!wait)
        return true;
    limitedCounter("requests").inc();
    replyRateLimited(identity, from.station, *wait,
                     u"over its share of %1 requests per second"_s.arg(limits.requestsPerSecond), request.request_id());
    shutOutIfIgnoring(from.station);
    return false;
}

bool Gateway::Loop::mayServePage(const zmq::message_t &identity, const QString &station, quint64 requestId)
{
    const auto wait = m_limits.pageAllowed(station, std::chrono::steady_clock::now());
    if (!wait)
        return true;
    limitedCounter("pages").inc();
    replyRateLimited(
        identity, station, *wait,
        u"over its share of %1 MiB of pages per second"_s.arg(m_limits.settings().pageBytesPerSecond / double(1 << 20)),
        requestId);
    return false;
}

void Gateway::Loop::shutOutIfIgnoring(const QString &station)
{
    if (!m_limits.ignoresRefusals(station))
        return;
    m_limits.forgive(station);
    m_zap.shutOut(station, std::chrono::steady_clock::now() + kShutOutFor);
    const int shut = shutConnectionsOf(station, m_sessions.endStation(station));
    limitedCounter("shut_out").inc();
    qCWarning(lcGateway).noquote() << u"station %1 shut out for %2 s: it sent %3 requests in a row while told to wait "
                                      "(RATE_LIMITED), or %4 within 10 s that could not be served (unreadable, "
                                      "breaking the rules, or sent without a session); %5 connection(s) closed, and "
                                      "new ones are refused until then"_s.arg(station)
                                          .arg(kShutOutFor.count())
                                          .arg(m_limits.settings().ignoredBeforeShutOut)
                                          .arg(m_limits.settings().invalidBeforeShutOut)
                                          .arg(shut);
}

void Gateway::Loop::replyPagesWaiting(const zmq::message_t &identity, const QString &station, quint64 requestId)
{
    limitedCounter("pages").inc();
    replyRateLimited(identity, station, std::chrono::milliseconds(100),
                     u"has %1 pages waiting to be read"_s.arg(PageReader::kMaxWaitingPerStation), requestId);
}

void Gateway::Loop::replyRateLimited(const zmq::message_t &identity, const QString &station,
                                     std::chrono::milliseconds wait, const QString &what, quint64 requestId)
{
    if (warnAbout(station))
        qCWarning(lcGateway).noquote() << "station" << station << what << ": answered RATE_LIMITED, retry after"
                                       << wait.count() << "ms";
    v1::Envelope envelope;
    *envelope.mutable_error() = proto::toProto(makeError(ErrorCode::RateLimited, what));
    envelope.mutable_error()->set_retry_after_ms(quint32(std::min<qint64>(wait.count(), 60000)));
    reply(identity, envelope, requestId);
}

bool Gateway::Loop::mayTakeCommand(const zmq::message_t &identity, const QString &station, quint64 requestId)
{
    if (m_limits.mayTakeCommand(station))
        return true;
    limitedCounter("pending").inc();
    m_limits.holdOff(station, std::chrono::seconds(1), std::chrono::steady_clock::now());
    replyRateLimited(identity, station, std::chrono::seconds(1),
                     u"has %1 commands waiting for their outcome"_s.arg(m_limits.pending(station)), requestId);
    return false;
}

bool Gateway::Loop::rejectedBeforeStoring(const zmq::message_t &identity, const Session &session,
                                          const v1::Submit &submit, const Command &command, quint64 requestId)
{
    // The same rules the worker applies, here before the inbox: a command that can never be valid costs nothing
    // durable (its id stays unused: the station's own check would not have sent it).
    auto shape = validateShape(command);
    if (shape)
        shape = checkActedAt(qint64(submit.at_ms()), QDateTime::currentMSecsSinceEpoch());
    if (shape)
        return false;
    commandCounter("invalid").inc();
    if (warnAbout(session.station))
        qCWarning(lcGateway).noquote() << "command" << common::clipped(QString::fromStdString(submit.command_id()))
                                       << "from" << session.station
                                       << "rejected before storing:" << common::clipped(shape.error().message(), 200);
    v1::Envelope rejected;
    *rejected.mutable_rejected() =
        proto::toRejected(idFromString(QString::fromStdString(submit.command_id())), shape.error());
    reply(identity, rejected, requestId);
    return true;
}

bool Gateway::Loop::closeIfOverCap(int fd, const QString &address, const QString &host)
{
    const char *cap = m_connections.size() > m_settings.maxConnections ? "connections"
                      : m_connectionsPerHost.count(host) > m_settings.maxConnectionsPerAddress
                          ? "connections_per_address"
                          : nullptr;
    if (!cap)
        return false;
    limitedCounter(cap).inc();
    ::shutdown(fd, SHUT_RDWR); // the monitor reports it closed, and it leaves m_connections then
    if (warnAbout(u"connections from "_s + host))
        qCWarning(lcGateway).noquote() << "connection from" << address << "closed:" << m_connections.size() - 1
                                       << "request connections open (cap" << m_settings.maxConnections << ","
                                       << "per address" << m_settings.maxConnectionsPerAddress << ")";
    return true;
}

bool Gateway::Loop::sessionsFull(const QString &station, int connection) const
{
    int others = 0;
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it)
        others += it->station == station && it.key() != connection ? 1 : 0;
    return others >= m_settings.maxSessionsPerStation;
}

void Gateway::Loop::cutConnection(int fd, const QString &station)
{
    limitedCounter("connections_per_station").inc();
    if (warnAbout(u"connections of "_s + station))
        qCWarning(lcGateway).noquote() << "station" << station << "already has" << m_settings.maxSessionsPerStation
                                       << "connections: another one is closed";
    ::shutdown(fd, SHUT_RDWR);
}

void Gateway::Loop::noteWaiting(const QUuid &commandId, const QByteArray &peer, BoundedContext context,
                                const QString &station, std::chrono::steady_clock::time_point arrived)
{
    auto it = m_waiting.find(commandId);
    if (it != m_waiting.end()) {
        m_limits.commandAnswered(station); // counted once already, when it was first taken
        it->peer = peer;                   // the answer goes where it was asked last
        it->arrived = arrived;
        return;
    }
    m_waiting.insert(commandId, Waiting{peer, context, station, std::chrono::steady_clock::now(), arrived});
}

void Gateway::Loop::expireWaiting()
{
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastHousekeeping < kHousekeepingEvery)
        return;
    m_lastHousekeeping = now;
    m_waiting.removeIf([&](const auto &it) {
        if (now - it.value().since < kWaitingExpiry)
            return false;
        m_limits.commandAnswered(it.value().station);
        return true;
    });
    m_early.removeIf([&](const auto &it) { return now - it.value().at >= kEarlyKept; });
    m_limits.prune(now);
    writeWarningSummaries();
}

bool Gateway::Loop::warnAbout(const QString &peer)
{
    return m_warnings.allow(peer.isEmpty() ? u"?"_s : peer);
}

bool Gateway::Loop::warnAboutDatabase(const QString &doing)
{
    return m_databaseWarnings.allow(doing);
}

void Gateway::Loop::writeWarningSummaries(bool all)
{
    for (const common::LogThrottle::Summary &summary : all ? m_warnings.takeAll() : m_warnings.takeSummaries())
        qCWarning(lcGateway).noquote() << summary.text() << "(warnings about the same peer, not written)";
    for (const auto &summary : all ? m_databaseWarnings.takeAll() : m_databaseWarnings.takeSummaries())
        qCWarning(lcGateway).noquote() << summary.text() << "(the same failure of the database, not written)";
}

} // namespace clinicflow::server
