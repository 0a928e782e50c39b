// Routing and answers of the operators' HTTP API (see HttpApi.h).
#include "HttpApi.h"

#include "HttpListener.h"
#include "HttpRefusals.h"
#include "HttpReplies.h"
#include "common/Logging.h"
#include "domain/Ids.h"
#include "domain/Types.h"

#include <QJsonDocument>
#include <QThread>
#include <QUrl>
#include <QUuid>
#include <limits>

using namespace Qt::StringLiterals;

namespace clinicflow::server {

using domain::idString;
using http::echo;
using http::error;
using http::json;

namespace {

QStringList receptionStatusNames()
{
    using domain::ReceptionStatus;
    QStringList names;
    for (auto status : {ReceptionStatus::Received, ReceptionStatus::InTreatment, ReceptionStatus::TreatmentCompleted,
                        ReceptionStatus::TreatmentRefused, ReceptionStatus::Closed, ReceptionStatus::Cancelled})
        names << domain::toString(status);
    return names;
}

// The path (percent-decoded) and the query of a request target: origin form "/visits?limit=2", absolute form
// "http://host/visits?limit=2" (its authority ignored), or "*".
std::pair<QString, QUrlQuery> splitTarget(const std::string &target)
{
    QByteArray text = QByteArray::fromStdString(target);
    if (!text.startsWith('/') && text != "*") {
        const qsizetype authority = text.indexOf("://") + 3;
        const qsizetype slash = text.indexOf('/', authority);
        const qsizetype query = text.indexOf('?', authority);
        text = slash >= 0 && (query < 0 || slash < query) ? text.mid(slash)
                                                          : "/" + text.mid(query < 0 ? text.size() : query);
    }
    if (const qsizetype fragment = text.indexOf('#'); fragment >= 0)
        text.truncate(fragment);
    const qsizetype question = text.indexOf('?');
    const QByteArray path = question < 0 ? text : text.left(question);
    const QByteArray query = question < 0 ? QByteArray() : text.mid(question + 1);
    return {QUrl::fromPercentEncoding(path), QUrlQuery(QString::fromLatin1(query))};
}

} // namespace

HttpApi::HttpApi(ReadModel &readModel, HealthSource &health, MetricsSource &metrics, QObject *parent)
    : QObject(parent)
    , m_readModel(readModel)
    , m_health(health)
    , m_metrics(metrics)
    , m_unauthorized(new HttpRefusals(this))
{
}

HttpApi::~HttpApi() = default;

domain::Result<quint16> HttpApi::listen(const QHostAddress &address, quint16 port)
{
    Q_ASSERT(thread() == QThread::currentThread());
    close();
    // A child of this object, so that it follows moveToThread and answers on this object's thread.
    auto listener = std::make_unique<HttpListener>(
        m_limits, [this](const http::RequestHead &head, const QString &peer) { return answer(head, peer); }, this);
    if (!listener->listen(address, port)) {
        const QString detail =
            u"HTTP: cannot listen on %1 port %2: %3"_s.arg(address.toString()).arg(port).arg(listener->errorString());
        qCCritical(common::lcHttp).noquote() << detail;
        return domain::makeError(domain::ErrorCode::InternalError, detail);
    }
    m_listener = std::move(listener);
    qCInfo(common::lcHttp).noquote() << u"listening on %1 port %2"_s.arg(address.toString()).arg(m_listener->port());
    return m_listener->port();
}

bool HttpApi::isListening() const
{
    return m_listener && m_listener->isListening();
}

quint16 HttpApi::port() const
{
    return isListening() ? m_listener->port() : 0;
}

void HttpApi::close()
{
    m_listener.reset(); // closes the listening socket and the connections
}

void HttpApi::setLimits(const HttpLimits &limits)
{
    m_limits = limits;
    if (m_listener)
        m_listener->setLimits(limits);
}

int HttpApi::openConnections() const
{
    return m_listener ? m_listener->openConnections() : 0;
}

HttpReply HttpApi::answer(const http::RequestHead &head, const QString &peer)
{
    const QByteArray method = QByteArray::fromStdString(head.method);
    const auto [path, query] = splitTarget(head.target);
    const HttpReply reply = handle(method, path, query, QByteArray::fromStdString(head.authorization), peer);
    // Paths hold ids only; the query (status, department) is not logged.
    qCDebug(common::lcHttp).noquote() << method.left(16) << echo(path) << reply.status;
    return reply;
}

bool HttpApi::authorized(const QByteArray &authorization) const
{
    static const QByteArray scheme = "Bearer ";
    if (m_token.isEmpty() || !authorization.startsWith(scheme))
        return false;
    const QByteArray given = authorization.mid(scheme.size()).trimmed();
    // The same time whatever the first wrong byte: the comparison tells an attacker nothing.
    unsigned char difference = given.size() == m_token.size() ? 0 : 1;
    for (qsizetype i = 0; i < m_token.size(); ++i) {
        const char offered = i < given.size() ? given.at(i) : '\0';
        difference |= static_cast<unsigned char>(m_token.at(i) ^ offered);
    }
    return difference == 0;
}

HttpReply HttpApi::handle(const QByteArray &method, const QString &path, const QUrlQuery &query,
                          const QByteArray &authorization, const QString &peer)
{
    enum class Route
    {
        None,
        Live,
        Ready,
        Metrics,
        Visits,
        Audit,
        Row
    };
    Route route = Route::None;
    QString kind;
    QString idText;
    if (path == u"/health/live"_s) {
        route = Route::Live;
    } else if (path == u"/health/ready"_s) {
        route = Route::Ready;
    } else if (path == u"/metrics"_s) {
        route = Route::Metrics;
    } else if (path == u"/visits"_s) {
        route = Route::Visits;
    } else if (path == u"/audit"_s) {
        route = Route::Audit;
    } else {
        static const QHash<QString, QString> collections{
            {u"receptions"_s, u"reception"_s}, {u"diagnoses"_s, u"diagnosis"_s}, {u"examinations"_s, u"examination"_s}};
        const QStringList parts = path.split(u'/');
        if (parts.size() == 3 && parts.at(0).isEmpty() && collections.contains(parts.at(1))) {
            route = Route::Row;
            kind = collections.value(parts.at(1));
            idText = parts.at(2);
        }
    }

    if (route == Route::None)
        return error(404, u"not_found"_s, u"no such resource: %1"_s.arg(echo(path)));
    if (method != "GET") {
        HttpReply reply = error(405, u"method_not_allowed"_s,
                                u"%1 is not allowed here; use GET"_s.arg(QString::fromLatin1(method.left(16))));
        reply.allow = "GET";
        return reply;
    }

    if (route != Route::Live && route != Route::Ready && !authorized(authorization)) {
        m_unauthorized->refused(u"unauthorized"_s,
                                u"401 for GET %1 from %2 %3"_s.arg(echo(path), HttpRefusals::quote(peer.left(64)),
                                                                   authorization.isEmpty() ? u"without a token"_s
                                                                                           : u"with a wrong token"_s));
        HttpReply reply =
            error(401, u"unauthorized"_s, u"this endpoint needs the operators' token: Authorization: Bearer <token>"_s);
        reply.challenge = true;
        return reply;
    }
    switch (route) {
    case Route::Live: {
        const bool live = m_health.live();
        return json(live ? 200 : 503, {{u"live"_s, live}});
    }
    case Route::Ready: {
        const QJsonObject readiness = m_health.readiness();
        return json(readiness.value(u"ready"_s).toBool(false) ? 200 : 503, readiness);
    }
    case Route::Metrics:
        return HttpReply{200, "text/plain; version=0.0.4; charset=utf-8", m_metrics.prometheusText(), {}};
    case Route::Visits:
        return visits(query, peer);
    case Route::Audit:
        return audit(query);
    case Route::Row:
        return row(kind, idText, peer);
    case Route::None:
        break;
    }
    return error(404, u"not_found"_s, u"no such resource"_s);
}

HttpReply HttpApi::row(const QString &kind, const QString &idText, const QString &peer)
{
    const QUuid id = QUuid::fromString(idText);
    if (id.isNull() && idText != QUuid().toString(QUuid::WithoutBraces))
        return error(400, u"bad_request"_s, u"'%1' is not a %2 id (a UUID)"_s.arg(echo(idText), kind));
    std::optional<QJsonObject> found;
    if (kind == u"reception"_s)
        found = m_readModel.reception(id);
    else if (kind == u"diagnosis"_s)
        found = m_readModel.diagnosis(id);
    else
        found = m_readModel.examination(id);
    if (!found)
        return error(404, u"not_found"_s, u"no %1 %2"_s.arg(kind, id.toString(QUuid::WithoutBraces)));
    // A reception is its visit; a diagnosis and an examination name theirs.
    const QUuid visit = kind == u"reception"_s ? id : QUuid::fromString(found->value(u"receptionId"_s).toString());
    if (!m_readModel.recordReads(peer, u"/%1/%2"_s.arg(kind, idString(id)), {visit}))
        return unrecorded();
    return json(200, *found);
}

HttpReply HttpApi::visits(const QUrlQuery &query, const QString &peer)
{
    static const QStringList known{u"status"_s, u"department"_s, u"limit"_s, u"after"_s};
    VisitQuery visitQuery;
    const auto items = http::knownItems(query, known);
    if (const auto *refused = std::get_if<HttpReply>(&items))
        return *refused;
    for (const auto &[key, value] : std::get<0>(items)) {
        bool ok = false;
        if (key == u"status"_s) {
            if (!value.isEmpty() && !domain::fromString<domain::ReceptionStatus>(value))
                return error(400, u"bad_request"_s,
                             u"unknown status '%1' (expected one of %2)"_s.arg(echo(value),
                                                                               receptionStatusNames().join(u", "_s)));
            visitQuery.status = value;
        } else if (key == u"department"_s) {
            if (value.size() > 32)
                return error(400, u"bad_request"_s, u"department '%1' is too long"_s.arg(echo(value)));
            visitQuery.department = value;
        } else if (key == u"limit"_s) {
            const int limit = value.toInt(&ok);
            if (!ok || limit < 1 || limit > maxVisitLimit)
                return error(400, u"bad_request"_s,
                             u"limit '%1' is not a number from 1 to %2"_s.arg(echo(value)).arg(maxVisitLimit));
            visitQuery.limit = limit;
        } else {
            // Sequences are stored as signed 64-bit integers: a larger cursor names nothing and is refused, rather than
            // wrapping round to the first page.
            const quint64 after = value.toULongLong(&ok);
            if (!ok || value.startsWith(u'+') || after > quint64(std::numeric_limits<qint64>::max()))
                return error(400, u"bad_request"_s,
                             u"after '%1' is not a sequence (an integer from 0 to 2^63-1)"_s.arg(echo(value)));
            visitQuery.after = after;
        }
    }

    QJsonArray rows = m_readModel.visits(visitQuery);
    while (rows.size() > visitQuery.limit)
        rows.removeLast();
    QList<QUuid> read;
    read.reserve(rows.size());
    for (const QJsonValue &row : std::as_const(rows))
        read.append(QUuid::fromString(row.toObject().value(u"visitId"_s).toString()));
    if (!read.isEmpty() && !m_readModel.recordReads(peer, u"/visits"_s, read))
        return unrecorded();
    QJsonValue next = QJsonValue::Null;
    if (!rows.isEmpty() && rows.size() == visitQuery.limit) {
        const QJsonValue sequence = rows.last().toObject().value(u"lastSequence"_s);
        if (sequence.isDouble())
            next = sequence;
    }
    return json(200, {{u"visits"_s, rows}, {u"count"_s, int(rows.size())}, {u"nextAfter"_s, next}});
}

HttpReply HttpApi::unrecorded()
{
    qCCritical(common::lcHttp) << "a read was not served: the audit trail could not record it";
    return error(503, u"unavailable"_s, u"the read could not be recorded in the audit trail; try again"_s);
}

} // namespace clinicflow::server
