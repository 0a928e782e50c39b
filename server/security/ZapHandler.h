// The gateway's ZAP handler (ZeroMQ RFC 27): libzmq asks it about every peer that completes a CURVE handshake with
// the ROUTER or the PUB, and it admits only the keys of enrolled, unrevoked stations, naming the station as the
// connection's User-Id. Every message from that connection then carries the station's code, which is how the
// gateway knows who sent it (ARCHITECTURE §7: the station is its key).
//
// It lives on the gateway's thread, in the gateway's ZeroMQ context (a ZAP handler serves one context): the gateway
// polls socket() and calls handlePending(). A refused peer is logged once per key, not once per attempt.
#pragma once

#include "StationDirectory.h"

#include <QHash>
#include <QSet>
#include <chrono>
#include <functional>
#include <zmq.hpp>

namespace clinicflow::common {
class Counter;
}

namespace clinicflow::server {

class ZapHandler
{
public:
    // `reload` reads the stations again (it calls setStations()) when a key is not known: a station enrolled a
    // moment ago is admitted at its first attempt.
    ZapHandler(zmq::context_t &context, std::function<void()> reload);

    zmq::socket_t &socket() { return m_socket; }
    // The stations it admits from now on (revoked ones are kept to say so when they try).
    void setStations(const QList<EnrolledStation> &stations);
    const EnrolledStation *station(const QString &code) const;
    // Refuses the station's connections until `until` (a station that ignored RATE_LIMITED); isShutOut() says so.
    void shutOut(const QString &code, std::chrono::steady_clock::time_point until) { m_shutOut.insert(code, until); }
    bool isShutOut(const QString &code);
    // Answers every request waiting on the socket.
    void handlePending();
    // clinicflow_gateway_refused_connections_total{reason}: no_curve, not_enrolled, revoked.
    static common::Counter &refusedConnections(const char *reason);

private:
    struct Verdict
    {
        bool admitted = false;
        QString station; // the User-Id when admitted
        QString reason;  // why not, for the log and the ZAP status text
    };
    Verdict judge(const std::vector<zmq::message_t> &request);
    void logOnce(const QByteArray &key, const QString &address, const QString &reason);

    zmq::socket_t m_socket;
    std::function<void()> m_reload;
    QHash<QByteArray, QString> m_codeByKey;                          // Z85 public key -> station code
    QHash<QString, EnrolledStation> m_stationByCode;                 // every station ever enrolled
    QSet<QByteArray> m_logged;                                       // keys (or addresses) already logged as refused
    QHash<QString, std::chrono::steady_clock::time_point> m_shutOut; // station code -> refused until
};

} // namespace clinicflow::server
