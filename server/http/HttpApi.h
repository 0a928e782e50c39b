// The operators' HTTP endpoints: health probes, Prometheus metrics and read-only REST over the status view.
// Qt HttpServer 6.4 is a technology preview, so its use stays thin: HttpApi binds its own QTcpServer to the configured
// address, hands it to a QHttpServer with no routes, and answers every request from one missing-handler through
// handle(), a plain function of (method, path, query) that tests can also call directly.
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
// Errors are JSON: {"error":"bad_request"|"not_found"|"method_not_allowed"|"unauthorized", "message":"…"}.
#pragma once

#include "HttpSources.h"
#include "domain/Result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QUrlQuery>
#include <memory>

QT_BEGIN_NAMESPACE
class QHttpServer;
class QTcpServer;
QT_END_NAMESPACE

namespace clinicflow::server {

struct HttpReply
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QByteArray allow;       // the Allow header of a 405
    bool challenge = false; // a 401: WWW-Authenticate: Bearer
};

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
    std::unique_ptr<QHttpServer> m_server;
    QTcpServer *m_tcp = nullptr; // owned by m_server
    QByteArray m_token;
};

} // namespace clinicflow::server
