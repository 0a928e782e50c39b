// The operators' HTTP endpoints: health probes, Prometheus metrics and read-only REST over the status view.
// HttpApi binds its own QTcpServer (HttpListener) to the configured address; each connection (HttpConnection) reads
// request heads with the bounded HttpRequestParser and answers each request through handle(), a plain function of
// (method, path, query) that tests can also call directly. HTTP/1.1 keep-alive and pipelining work as usual.
//
// Health is open to all (probes); every other endpoint answers its data only to a request with the operators'
// bearer token (Authorization: Bearer <token>), else 401 with WWW-Authenticate, logged.
//
//   GET /health/live           200 {"live":true} | 503 {"live":false}
//   GET /health/ready          200 | 503, the HealthSource's readiness JSON
//   GET /metrics               200 text/plain; version=0.0.4
//   GET /receptions/<uuid>     200 row | 400 bad uuid | 404
//   GET /diagnoses/<uuid>      (same)
//   GET /examinations/<uuid>   (same)
//   GET /visits?status=&department=&limit=&after=
//                              200 {"visits":[…],"count":n,"nextAfter":lastSequence|null} | 400 bad parameter
//   GET /audit?visit=&station=&from=&to=&limit=&after=
//                              200 {"entries":[…],"count":n,"nextAfter":position|null} | 400 bad parameter
//                              (from, to: ISO 8601 times or dates, UTC unless they say otherwise)
// Every row served (a reception, diagnosis, examination or a status view row) is recorded in the audit trail as read
// by the requesting address before it is sent; when it cannot be recorded, the answer is 503 and nothing is served.
//   anything else              404; a known path with another method: 405 with Allow: GET
//
// Limits at the socket (issue #12), before any route: no peer can make the server hold more than about 300 KiB per
// connection, or more than maxConnections connections.
//   request line over 8 KiB              414 uri_too_long, then closed
//   header fields over 16 KiB or 100     431 header_fields_too_large, then closed
//   any body (Content-Length > 0 or      413 content_too_large, answered from the head without reading the body,
//     Transfer-Encoding)                     then closed (every endpoint is GET)
//   a malformed head                     400 bad_request, then closed; HTTP/2+ 505 http_version_not_supported
//   the head not complete 10 s after     408 request_timeout, then closed
//     the connection opened, or after
//     the first byte of a later request
//   no request 30 s after an answer      closed (keep-alive idle timeout); an answer the peer does not read for
//                                        30 s also closes the connection
//   more than 128 connections at once,   the new one gets 503 unavailable and is closed; one warning line per 10 s
//   or 32 from one address               says how many were turned away. The per-address cap keeps slots for the
//                                        others (a probe of /health/live from the orchestrator) under a flood
// A 401 is logged like a refusal: the first in 10 s, then how many more.
// Each refusal counts in clinicflow_http_refused_total{reason}; the open connections are clinicflow_http_connections.
// Refusal warnings are rate-limited (the first of a kind, then one summary per 10 s), and the peer's bytes they quote
// are cut to 200 characters.
//
// Errors are JSON: {"error":"bad_request"|"not_found"|"method_not_allowed"|"unauthorized"|"unavailable"|
// "request_timeout"|"content_too_large"|"uri_too_long"|"header_fields_too_large"|"http_version_not_supported",
// "message":"…"}.
#pragma once

#include "HttpRequestParser.h"
#include "HttpSources.h"
#include "domain/Result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QUrlQuery>
#include <memory>

namespace clinicflow::server {

struct HttpReply
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QByteArray allow;       // the Allow header of a 405
    bool challenge = false; // a 401: WWW-Authenticate: Bearer
};

// The socket side's limits; the defaults are the ones above. Tests shorten the timeouts and lower the cap (the server
// reads CLINICFLOW_HTTP_HEADER_TIMEOUT_MS, CLINICFLOW_HTTP_IDLE_TIMEOUT_MS, CLINICFLOW_HTTP_MAX_CONNECTIONS and
// CLINICFLOW_HTTP_MAX_CONNECTIONS_PER_ADDRESS).
struct HttpLimits
{
    http::ParserLimits parser;         // 8 KiB request line, 16 KiB and 100 header lines
    int headerTimeoutMs = 10'000;      // the whole head, from the connection or the first byte of a later request
    int idleTimeoutMs = 30'000;        // between requests, and for an answer the peer does not read
    int maxConnections = 128;          // served at once; more are answered 503 and closed
    int maxConnectionsPerAddress = 32; // of those, from one address: one client cannot take every slot
    int lingerMs = 1'000; // after a refusal: the peer's last bytes are read and dropped so it sees the answer
};

class HttpListener;
class HttpRefusals;

class HttpApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpApi)
public:
    // The sources must outlive the HttpApi; they are called on the HttpApi's thread.
    HttpApi(ReadModel &readModel, HealthSource &health, MetricsSource &metrics, QObject *parent = nullptr);
    ~HttpApi() override;

    // Binds to exactly that address and port (0 = any free port, for tests) and returns the bound port, or an
    // InternalError naming the address when it is taken or not local. Listening again first closes the old socket.
    domain::Result<quint16> listen(const QHostAddress &address, quint16 port);
    bool isListening() const;
    quint16 port() const; // 0 when not listening
    void close();

    // Applies to connections accepted from then on.
    void setLimits(const HttpLimits &limits);
    const HttpLimits &limits() const { return m_limits; }
    int openConnections() const; // served now, for tests

    // The token every data endpoint asks for; requests are refused until one is set.
    void setBearerToken(const QByteArray &token) { m_token = token; }

    // The answer to one request; the socket side only writes it out. `authorization` is the request's
    // Authorization header, `peer` its address (for the log).
    HttpReply handle(const QByteArray &method, const QString &path, const QUrlQuery &query,
                     const QByteArray &authorization = {}, const QString &peer = {});

    static constexpr int maxVisitLimit = 1000;
    static constexpr int maxAuditLimit = 1000;

private:
    HttpReply visits(const QUrlQuery &query, const QString &peer);
    HttpReply row(const QString &kind, const QString &idText, const QString &peer);
    HttpReply audit(const QUrlQuery &query); // HttpAudit.cpp
    static HttpReply unrecorded();
    bool authorized(const QByteArray &authorization) const;

    ReadModel &m_readModel;
    HealthSource &m_health;
    MetricsSource &m_metrics;
    HttpReply answer(const http::RequestHead &head, const QString &peer);

    std::unique_ptr<HttpListener> m_listener; // a child of this object too, so that it follows moveToThread
    HttpRefusals *m_unauthorized;             // 401s, logged like the socket's refusals (a child)
    HttpLimits m_limits;
    QByteArray m_token;
};

} // namespace clinicflow::server
