#include "ZapHandler.h"

#include "common/Logging.h"
#include "common/Metrics.h"
#include "security/Curve.h"

#include <zmq_addon.hpp>

using namespace Qt::StringLiterals;
using clinicflow::common::lcGateway;

namespace clinicflow::server {

namespace {

constexpr auto kZapEndpoint = "inproc://zeromq.zap.01";
// Beyond this many distinct refused keys, the log says so once and starts again: a flood of fresh keys must not
// grow the set, nor the log.
constexpr qsizetype kMaxLogged = 10000;

} // namespace

common::Counter &ZapHandler::refusedConnections(const char *reason)
{
    return common::Metrics::global().counter(
        u"clinicflow_gateway_refused_connections_total"_s,
        u"Connections refused before any message: no CURVE handshake, a key "
        "not enrolled, a revoked station, a station shut out for ignoring RATE_LIMITED"_s,
        {{u"reason"_s, QString::fromLatin1(reason)}});
}

namespace {

QString frameText(const zmq::message_t &frame)
{
    return QString::fromUtf8(frame.data<char>(), qsizetype(std::min<std::size_t>(frame.size(), 64)));
}

} // namespace

ZapHandler::ZapHandler(zmq::context_t &context, std::function<void()> reload)
    : m_socket(context, zmq::socket_type::rep)
    , m_reload(std::move(reload))
{
    m_socket.set(zmq::sockopt::linger, 0);
    m_socket.bind(kZapEndpoint);
}

void ZapHandler::setStations(const QList<EnrolledStation> &stations)
{
    m_codeByKey.clear();
    m_stationByCode.clear();
    for (const EnrolledStation &s : stations) {
        m_codeByKey.insert(s.publicKey, s.code);
        m_stationByCode.insert(s.code, s);
    }
}

bool ZapHandler::isShutOut(const QString &code)
{
    const auto it = m_shutOut.constFind(code);
    if (it == m_shutOut.cend())
        return false;
    if (std::chrono::steady_clock::now() < it.value())
        return true;
    m_shutOut.erase(it);
    return false;
}

const EnrolledStation *ZapHandler::station(const QString &code) const
{
    auto it = m_stationByCode.constFind(code);
    return it == m_stationByCode.cend() ? nullptr : &it.value();
}

ZapHandler::Verdict ZapHandler::judge(const std::vector<zmq::message_t> &request)
{
    // version, request id, domain, address, routing id, mechanism, then the mechanism's credentials.
    if (request.size() < 6 || request[0].to_string_view() != "1.0")
        return {false, {}, u"malformed ZAP request"_s};
    if (request[2].to_string_view() != security::kZapDomain)
        return {false, {}, u"unknown domain"_s};
    if (request[5].to_string_view() != "CURVE" || request.size() != 7)
        return {false, {}, u"no CURVE key"_s};
    const QByteArray key = security::z85FromBinary(request[6].data(), request[6].size());
    QString code = m_codeByKey.value(key);
    if (code.isEmpty() && m_reload) {
        m_reload();
        code = m_codeByKey.value(key);
    }
    if (code.isEmpty())
        return {false, {}, u"key not enrolled"_s};
    if (m_stationByCode.value(code).isRevoked())
        return {false, code, u"station revoked"_s};
    if (isShutOut(code))
        return {false, code, u"station shut out for a while: it ignored RATE_LIMITED"_s};
    return {true, code, {}};
}

void ZapHandler::handlePending()
{
    for (;;) {
        std::vector<zmq::message_t> request;
        try {
            if (!zmq::recv_multipart(m_socket, std::back_inserter(request), zmq::recv_flags::dontwait))
                return;
        } catch (const zmq::error_t &e) {
            qCWarning(lcGateway) << "ZAP request unreadable:" << e.what();
            return;
        }
        const Verdict verdict = judge(request);
        if (!verdict.admitted) {
            const QString address = request.size() > 3 ? frameText(request[3]) : QString();
            const QByteArray key =
                request.size() == 7 ? security::z85FromBinary(request[6].data(), request[6].size()) : QByteArray();
            const bool shutOut = !verdict.station.isEmpty() && isShutOut(verdict.station);
            refusedConnections(verdict.station.isEmpty() ? "not_enrolled" : shutOut ? "shut_out" : "revoked").inc();
            QString reason = verdict.reason;
            if (!verdict.station.isEmpty())
                reason += u" (station %1)"_s.arg(verdict.station);
            if (!shutOut) // the gateway said so when it shut the station out
                logOnce(key.isEmpty() ? address.toUtf8() : key, address, reason);
        }
        const std::string version = "1.0";
        const std::string requestId = request.size() > 1 ? request[1].to_string() : std::string();
        const std::string status = verdict.admitted ? "200" : "400";
        const std::string text = verdict.admitted ? "OK" : verdict.reason.toStdString();
        const std::string userId = verdict.admitted ? verdict.station.toStdString() : std::string();
        std::array<zmq::const_buffer, 6> reply{zmq::buffer(version), zmq::buffer(requestId), zmq::buffer(status),
                                               zmq::buffer(text),    zmq::buffer(userId),    zmq::const_buffer()};
        try {
            zmq::send_multipart(m_socket, reply);
        } catch (const zmq::error_t &e) {
            qCWarning(lcGateway) << "ZAP reply not sent:" << e.what();
        }
    }
}

void ZapHandler::logOnce(const QByteArray &key, const QString &address, const QString &reason)
{
    if (m_logged.contains(key))
        return;
    if (m_logged.size() >= kMaxLogged) {
        qCWarning(lcGateway) << "more than" << kMaxLogged << "different peers refused; logging them again from now";
        m_logged.clear();
    }
    m_logged.insert(key);
    qCWarning(lcGateway).noquote() << "connection refused from" << address << (key.size() == 40 ? "key" : "")
                                   << (key.size() == 40 ? QString::fromLatin1(key.left(8)) + u"…"_s : QString()) << "-"
                                   << reason << "(logged once per peer)";
}

} // namespace clinicflow::server
