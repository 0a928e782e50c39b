// Tests of the operators' HTTP API over real loopback HTTP (QNetworkAccessManager) with in-test fake sources: status
// codes, content types, JSON bodies, bad input, 404/405, the thread the sources are called on, and a taken port.
#include "common/Metrics.h"
#include "http/HttpApi.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimeZone>
#include <limits>

using namespace Qt::StringLiterals;
using namespace clinicflow::server;

namespace {

const QUuid knownId = QUuid::fromString(u"6f1c2b1e-3a4d-4c5e-8f90-123456789abc"_s);
const QUuid otherId = QUuid::fromString(u"00000000-0000-4000-8000-000000000001"_s);
const QUuid visitId = QUuid::fromString(u"2a2b2c2d-0000-4000-8000-00000000000a"_s); // knownId's visit

class FakeReadModel final : public ReadModel
{
public:
    std::optional<QJsonObject> reception(const QUuid &id) override { return lookup(id, u"reception"_s); }
    std::optional<QJsonObject> diagnosis(const QUuid &id) override { return lookup(id, u"diagnosis"_s); }
    std::optional<QJsonObject> examination(const QUuid &id) override { return lookup(id, u"examination"_s); }
    // The i-th row after a cursor, its sequence kept within a qint64 (the tests send the largest cursor too).
    static qint64 rowAfter(qint64 after, int i)
    {
        constexpr qint64 largest = std::numeric_limits<qint64>::max();
        return after > largest - i ? largest : after + i;
    }
    QJsonArray visits(const VisitQuery &query) override
    {
        calledFrom = QThread::currentThread();
        lastQuery = query;
        ++visitCalls;
        QJsonArray rows;
        for (int i = 1; i <= std::min(query.limit, available); ++i)
            rows.append(QJsonObject{{u"lastSequence"_s, rowAfter(query.after, i)},
                                    {u"ticket"_s, u"A-%1"_s.arg(i)},
                                    {u"visitId"_s, visitOfRow(i).toString(QUuid::WithoutBraces)}});
        return rows;
    }
    std::optional<QJsonArray> audit(const AuditFilter &filter) override
    {
        lastAudit = filter;
        if (!auditReadable)
            return std::nullopt;
        QJsonArray entries;
        for (int i = 1; i <= std::min(filter.limit, available); ++i)
            entries.append(QJsonObject{{u"position"_s, qint64(filter.after) + i}, {u"action"_s, u"RegisterVisit"_s}});
        return entries;
    }
    bool recordReads(const QString &peer, const QString &what, const QList<QUuid> &visits) override
    {
        if (!recording)
            return false;
        for (const QUuid &visit : visits)
            reads.append({peer, what, visit});
        return true;
    }
    static QUuid visitOfRow(int i)
    {
        return QUuid::fromString(u"11111111-0000-4000-8000-%1"_s.arg(i, 12, 10, QChar(u'0')));
    }

    struct Read
    {
        QString peer;
        QString what;
        QUuid visit;
    };
    QList<Read> reads;
    bool recording = true;
    bool auditReadable = true;
    AuditFilter lastAudit;

    int available = 3;
    VisitQuery lastQuery;
    int visitCalls = 0;
    QThread *calledFrom = nullptr;

private:
    std::optional<QJsonObject> lookup(const QUuid &id, const QString &kind)
    {
        calledFrom = QThread::currentThread();
        if (id != knownId)
            return std::nullopt;
        QJsonObject row{{u"id"_s, id.toString(QUuid::WithoutBraces)}, {u"kind"_s, kind}};
        if (kind != u"reception"_s)
            row.insert(u"receptionId"_s, visitId.toString(QUuid::WithoutBraces));
        return row;
    }
};

class FakeHealth final : public HealthSource
{
public:
    bool live() override { return isLive; }
    QJsonObject readiness() override
    {
        return {{u"ready"_s, isReady}, {u"database"_s, u"ok"_s}, {u"workers"_s, QJsonObject{{u"view"_s, true}}}};
    }
    bool isLive = true;
    bool isReady = true;
};

class FakeMetrics final : public MetricsSource
{
public:
    QByteArray prometheusText() override { return "# TYPE up gauge\nup 1\n"; }
};

struct Response
{
    int status = -1; // -1: no answer in time
    QByteArray contentType;
    QByteArray allow;
    QByteArray challenge; // WWW-Authenticate
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

const QByteArray kToken = "operators-token-0123456789abcdef";

} // namespace

class TestHttpApi : public QObject
{
    Q_OBJECT

private:
    // With the operators' token, unless another Authorization (or none: an empty one) is given.
    Response request(const QByteArray &verb, const QString &pathAndQuery, quint16 port = 0,
                     const QByteArray &authorization = "Bearer " + kToken)
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(port ? port : m_api->port()).arg(pathAndQuery)));
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(request, verb));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        Response response;
        if (!reply->isFinished() && !finished.wait(10000))
            return response;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        response.status = status.isValid() ? status.toInt() : 0;
        response.contentType = reply->rawHeader("Content-Type");
        response.allow = reply->rawHeader("Allow");
        response.challenge = reply->rawHeader("WWW-Authenticate");
        response.body = reply->readAll();
        return response;
    }

    FakeReadModel m_readModel;
    FakeHealth m_health;
    FakeMetrics m_metrics;
    std::unique_ptr<HttpApi> m_api;
    QNetworkAccessManager m_nam;

private slots:
    void initTestCase()
    {
        m_nam.setProxy(QNetworkProxy::NoProxy);
        m_api = std::make_unique<HttpApi>(m_readModel, m_health, m_metrics);
        m_api->setBearerToken(kToken);
        const auto port = m_api->listen(QHostAddress::LocalHost, 0);
        QVERIFY2(port.ok(), port.ok() ? "" : qPrintable(port.error().message()));
        QVERIFY(m_api->isListening());
        QCOMPARE(m_api->port(), port.value());
    }

    // Health is for probes, open to all; every endpoint with data answers only to the operators' token.
    void dataNeedsTheTokenHealthDoesNot()
    {
        for (const QString &path : {u"/health/live"_s, u"/health/ready"_s})
            QCOMPARE(request("GET", path, 0, {}).status, 200);
        for (const QString &path : {u"/metrics"_s, u"/visits"_s,
                                    u"/receptions/%1"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces))}) {
            for (const QByteArray &authorization :
                 {QByteArray(), QByteArray("Bearer wrong-token-of-some-length"), QByteArray("Bearer "),
                  "Basic " + kToken, "Bearer " + kToken + "x", "Bearer " + kToken.left(kToken.size() - 1)}) {
                const Response r = request("GET", path, 0, authorization);
                QVERIFY2(r.status == 401, qPrintable(path + u" with '"_s + QString::fromLatin1(authorization) +
                                                     u"': "_s + QString::number(r.status)));
                QCOMPARE(r.json().value(u"error"_s).toString(), u"unauthorized"_s);
                QVERIFY(r.challenge.startsWith("Bearer"));
                QVERIFY2(!r.body.contains("Integration"), "a refusal carries no data");
            }
            QVERIFY(request("GET", path).status != 401);
        }
    }

    void init()
    {
        m_health.isLive = true;
        m_health.isReady = true;
        m_readModel = FakeReadModel();
    }

    void liveness()
    {
        Response r = request("GET", u"/health/live"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        QCOMPARE(r.json(), (QJsonObject{{u"live"_s, true}}));
        m_health.isLive = false;
        r = request("GET", u"/health/live"_s);
        QCOMPARE(r.status, 503);
        QCOMPARE(r.json(), (QJsonObject{{u"live"_s, false}}));
    }

    void readiness()
    {
        Response r = request("GET", u"/health/ready"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json(), m_health.readiness());
        m_health.isReady = false;
        r = request("GET", u"/health/ready"_s);
        QCOMPARE(r.status, 503);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        QCOMPARE(r.json().value(u"ready"_s), QJsonValue(false));
        QCOMPARE(r.json().value(u"workers"_s).toObject().value(u"view"_s), QJsonValue(true));
    }

    void metrics()
    {
        const Response r = request("GET", u"/metrics"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QCOMPARE(r.body, QByteArray("# TYPE up gauge\nup 1\n"));
    }

    void metricsFromARegistry()
    {
        clinicflow::common::Metrics registry;
        registry.counter(u"requests_total"_s, u"Requests."_s).inc(7);
        RegistryMetricsSource source(registry);
        HttpApi api(m_readModel, m_health, source);
        api.setBearerToken(kToken);
        QVERIFY(api.listen(QHostAddress::LocalHost, 0).ok());
        const Response r = request("GET", u"/metrics"_s, api.port());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("# HELP requests_total Requests.\n# TYPE requests_total counter\n"
                                    "requests_total 7\n"));
    }

    void rows_data()
    {
        QTest::addColumn<QString>("collection");
        QTest::addColumn<QString>("kind");
        QTest::newRow("receptions") << u"receptions"_s << u"reception"_s;
        QTest::newRow("diagnoses") << u"diagnoses"_s << u"diagnosis"_s;
        QTest::newRow("examinations") << u"examinations"_s << u"examination"_s;
    }

    void rows()
    {
        QFETCH(QString, collection);
        QFETCH(QString, kind);
        const QString base = u'/' + collection + u'/';
        Response r = request("GET", base + knownId.toString(QUuid::WithoutBraces));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        QCOMPARE(r.json().value(u"kind"_s).toString(), kind);
        QCOMPARE(m_readModel.calledFrom, m_api->thread());

        r = request("GET", base + knownId.toString(QUuid::WithBraces));
        QCOMPARE(r.status, 200);

        r = request("GET", base + otherId.toString(QUuid::WithoutBraces));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(u"error"_s).toString(), u"not_found"_s);
        QCOMPARE(r.json().value(u"message"_s).toString(),
                 u"no %1 %2"_s.arg(kind, otherId.toString(QUuid::WithoutBraces)));

        r = request("GET", base + u"not-a-uuid"_s);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        QCOMPARE(r.json().value(u"error"_s).toString(), u"bad_request"_s);
        QCOMPARE(r.json().value(u"message"_s).toString(), u"'not-a-uuid' is not a %1 id (a UUID)"_s.arg(kind));

        r = request("GET", base);
        QCOMPARE(r.status, 400);
    }

    // Every row served is a read of a visit in the audit trail, recorded before it is sent; a read that cannot be
    // recorded is not served.
    void readsAreRecordedBeforeTheyAreServed()
    {
        QCOMPARE(request("GET", u"/receptions/"_s + knownId.toString(QUuid::WithoutBraces)).status, 200);
        QCOMPARE(request("GET", u"/diagnoses/"_s + knownId.toString(QUuid::WithoutBraces)).status, 200);
        QCOMPARE(request("GET", u"/visits?limit=2"_s).status, 200);
        QCOMPARE(m_readModel.reads.size(), 4);
        QCOMPARE(m_readModel.reads.at(0).visit, knownId); // a reception is its visit
        QCOMPARE(m_readModel.reads.at(0).what, u"/reception/"_s + knownId.toString(QUuid::WithoutBraces));
        QVERIFY(m_readModel.reads.at(0).peer.contains(u"127.0.0.1"_s));
        QCOMPARE(m_readModel.reads.at(1).visit, visitId); // a diagnosis names its visit
        QCOMPARE(m_readModel.reads.at(2).visit, FakeReadModel::visitOfRow(1));
        QCOMPARE(m_readModel.reads.at(3).visit, FakeReadModel::visitOfRow(2));
        QCOMPARE(m_readModel.reads.at(3).what, u"/visits"_s);
        // Not found, or refused: nothing was read.
        QCOMPARE(request("GET", u"/receptions/"_s + otherId.toString(QUuid::WithoutBraces)).status, 404);
        QCOMPARE(request("GET", u"/visits"_s, 0, {}).status, 401);
        QCOMPARE(m_readModel.reads.size(), 4);

        m_readModel.recording = false;
        for (const QString &path : {u"/receptions/"_s + knownId.toString(QUuid::WithoutBraces), u"/visits"_s}) {
            const Response r = request("GET", path);
            QCOMPARE(r.status, 503);
            QCOMPARE(r.json().value(u"error"_s).toString(), u"unavailable"_s);
            QVERIFY2(!r.body.contains("A-1") && !r.body.contains("kind"), r.body.constData());
        }
    }

    void auditQuery()
    {
        QCOMPARE(request("GET", u"/audit"_s, 0, {}).status, 401);
        Response r = request("GET", u"/audit"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(m_readModel.lastAudit, AuditFilter());
        QCOMPARE(r.json().value(u"count"_s).toInt(), 3);
        QVERIFY(r.json().value(u"nextAfter"_s).isNull());

        r = request("GET",
                    u"/audit?visit=%1&station=D1&from=2026-11-30&to=2026-11-30T18:00:00%2B09:00&limit=3&after=7"_s.arg(
                        visitId.toString(QUuid::WithoutBraces)));
        QCOMPARE(r.status, 200);
        AuditFilter expected;
        expected.visit = visitId;
        expected.station = u"D1"_s;
        expected.fromMs = QDateTime(QDate(2026, 11, 30), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        expected.toMs = QDateTime(QDate(2026, 11, 30), QTime(9, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        expected.limit = 3;
        expected.after = 7;
        QCOMPARE(m_readModel.lastAudit, expected);
        QCOMPARE(r.json().value(u"nextAfter"_s).toInteger(), 10); // a full page: the next one starts after its last

        // A time without an offset is UTC.
        QCOMPARE(request("GET", u"/audit?from=2026-11-30T09:00:00"_s).status, 200);
        QCOMPARE(m_readModel.lastAudit.fromMs, expected.toMs);

        m_readModel.auditReadable = false;
        QCOMPARE(request("GET", u"/audit"_s).status, 503);
    }

    void auditBadInput_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("message");
        QTest::newRow("visit") << u"visit=42"_s << u"visit '42' is not a visit id (a UUID)"_s;
        QTest::newRow("from") << u"from=yesterday"_s
                              << u"from 'yesterday' is not a time (2026-11-30T09:00:00Z) or a date (2026-11-30)"_s;
        QTest::newRow("order") << u"from=2026-11-30&to=2026-11-29"_s << u"'to' must be later than 'from'"_s;
        QTest::newRow("limit") << u"limit=0"_s << u"limit '0' is not a number from 1 to 1000"_s;
        QTest::newRow("after") << u"after=-1"_s << u"after '-1' is not a position (an integer from 0 to 2^63-1)"_s;
        QTest::newRow("unknown") << u"who=me"_s
                                 << u"unknown parameter 'who' (expected visit, station, from, to, limit, after)"_s;
        QTest::newRow("twice") << u"station=A&station=B"_s << u"parameter 'station' given more than once"_s;
    }

    void auditBadInput()
    {
        QFETCH(QString, query);
        QFETCH(QString, message);
        const Response r = request("GET", u"/audit?"_s + query);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(u"message"_s).toString(), message);
    }

    void visitsDefaults()
    {
        const Response r = request("GET", u"/visits"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        QCOMPARE(m_readModel.lastQuery, VisitQuery());
        QCOMPARE(m_readModel.calledFrom, m_api->thread());
        const QJsonObject body = r.json();
        QCOMPARE(body.value(u"count"_s).toInt(), 3);
        QCOMPARE(body.value(u"visits"_s).toArray().size(), 3);
        QVERIFY(body.value(u"nextAfter"_s).isNull()); // fewer rows than the limit: the last page
    }

    void visitsQueryAndCursor()
    {
        const Response r = request("GET", u"/visits?status=in_treatment&department=IM&limit=2&after=40"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(m_readModel.lastQuery, (VisitQuery{u"in_treatment"_s, u"IM"_s, 2, 40}));
        const QJsonObject body = r.json();
        QCOMPARE(body.value(u"count"_s).toInt(), 2);
        QCOMPARE(body.value(u"visits"_s).toArray().at(0).toObject().value(u"lastSequence"_s).toInteger(), 41);
        QCOMPARE(body.value(u"nextAfter"_s).toInteger(), 42); // a full page: there may be more

        QCOMPARE(request("GET", u"/visits?limit=1000&status="_s).status, 200);
        QCOMPARE(m_readModel.lastQuery.limit, 1000);
        QCOMPARE(request("GET", u"/visits?limit=1"_s).status, 200);
        QCOMPARE(request("GET", u"/visits?after=9223372036854775807"_s).status, 200);
        QCOMPARE(m_readModel.lastQuery.after, quint64(std::numeric_limits<qint64>::max()));
        // Beyond what a stored sequence can be: refused, never wrapped round to the first page.
        QCOMPARE(request("GET", u"/visits?after=9223372036854775808"_s).status, 400);
    }

    void visitsBadInput_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("message");
        QTest::newRow("limit=0") << u"limit=0"_s << u"limit '0' is not a number from 1 to 1000"_s;
        QTest::newRow("limit=5000") << u"limit=5000"_s << u"limit '5000' is not a number from 1 to 1000"_s;
        QTest::newRow("limit=abc") << u"limit=abc"_s << u"limit 'abc' is not a number from 1 to 1000"_s;
        QTest::newRow("limit empty") << u"limit="_s << u"limit '' is not a number from 1 to 1000"_s;
        QTest::newRow("after=abc") << u"after=abc"_s
                                   << u"after 'abc' is not a sequence (an integer from 0 to 2^63-1)"_s;
        QTest::newRow("after=-1") << u"after=-1"_s << u"after '-1' is not a sequence (an integer from 0 to 2^63-1)"_s;
        QTest::newRow("status=nonsense")
            << u"status=nonsense"_s
            << u"unknown status 'nonsense' (expected one of received, in_treatment, treatment_completed, "
               "treatment_refused, closed, cancelled)"_s;
        QTest::newRow("unknown parameter")
            << u"sort=name"_s << u"unknown parameter 'sort' (expected status, department, limit, after)"_s;
        QTest::newRow("twice") << u"limit=5&limit=6"_s << u"parameter 'limit' given more than once"_s;
    }

    void visitsBadInput()
    {
        QFETCH(QString, query);
        QFETCH(QString, message);
        const Response r = request("GET", u"/visits?"_s + query);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        QCOMPARE(r.json().value(u"error"_s).toString(), u"bad_request"_s);
        QCOMPARE(r.json().value(u"message"_s).toString(), message);
        QCOMPARE(m_readModel.visitCalls, 0); // nothing reached the read model
    }

    void unknownPaths_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::newRow("root") << QByteArray("GET") << u"/"_s;
        QTest::newRow("unknown") << QByteArray("GET") << u"/patients"_s;
        QTest::newRow("trailing slash") << QByteArray("GET") << u"/health/live/"_s;
        QTest::newRow("nested") << QByteArray("GET") << u"/receptions/a/b"_s;
        QTest::newRow("post unknown") << QByteArray("POST") << u"/nope"_s;
    }

    void unknownPaths()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        const Response r = request(verb, path);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        QCOMPARE(r.json().value(u"error"_s).toString(), u"not_found"_s);
    }

    void otherMethods_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::newRow("POST live") << QByteArray("POST") << u"/health/live"_s;
        QTest::newRow("PUT metrics") << QByteArray("PUT") << u"/metrics"_s;
        QTest::newRow("DELETE reception") << QByteArray("DELETE") << u"/receptions/%1"_s.arg(knownId.toString());
        QTest::newRow("PATCH visits") << QByteArray("PATCH") << u"/visits"_s;
    }

    void otherMethods()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        const Response r = request(verb, path);
        QCOMPARE(r.status, 405);
        QCOMPARE(r.allow, QByteArray("GET"));
        QCOMPARE(r.json().value(u"error"_s).toString(), u"method_not_allowed"_s);
    }

    void handleWithoutSockets()
    {
        const QByteArray token = "Bearer " + kToken;
        const HttpReply reply = m_api->handle("GET", u"/visits"_s, QUrlQuery(u"limit=2"_s), token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(m_readModel.lastQuery.limit, 2);
        QCOMPARE(m_api->handle("GET", u"/visits"_s, QUrlQuery(u"limit=0"_s), token).status, 400);
        QCOMPARE(m_api->handle("GET", u"/visits"_s, QUrlQuery(u"limit=2"_s)).status, 401);
    }

    void takenPortIsAnError()
    {
        HttpApi second(m_readModel, m_health, m_metrics);
        QTest::ignoreMessage(QtCriticalMsg,
                             QRegularExpression(u"HTTP: cannot listen on 127.0.0.1 port %1: "_s.arg(m_api->port())));
        const auto result = second.listen(QHostAddress::LocalHost, m_api->port());
        QVERIFY(!result.ok());
        QVERIFY2(result.error().detail.contains(QString::number(m_api->port())), qPrintable(result.error().detail));
        QVERIFY(!second.isListening());
        QCOMPARE(second.port(), quint16(0));
        QCOMPARE(request("GET", u"/health/live"_s).status, 200); // the first one still serves
    }

    void closeStopsListening()
    {
        HttpApi api(m_readModel, m_health, m_metrics);
        QVERIFY(api.listen(QHostAddress::LocalHost, 0).ok());
        const quint16 port = api.port();
        QCOMPARE(request("GET", u"/health/live"_s, port).status, 200);
        api.close();
        QVERIFY(!api.isListening());
        QCOMPARE(request("GET", u"/health/live"_s, port).status, 0); // connection refused: no HTTP status
    }
};

QTEST_GUILESS_MAIN(TestHttpApi)
#include "TestHttpApi.moc"
