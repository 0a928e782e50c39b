// Malformed, oversized or unknown input gets a clear error and changes nothing (ARCHITECTURE §7): each bad message
// is answered with an Error (or a Rejected for a command), logged as a warning, leaves the log head where it was, and
// neither the sender nor a well-behaved station alongside stops being served.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

QString describe(const std::optional<v1::Envelope> &reply)
{
    if (!reply)
        return u"no reply"_s;
    QString text = QString::fromLatin1(proto::bodyName(*reply));
    if (reply->has_error())
        text += u" %1: %2"_s.arg(QString::fromStdString(v1::ErrorCode_Name(reply->error().code())),
                                 QString::fromStdString(reply->error().message()));
    if (reply->has_rejected())
        text += u" %1: %2"_s.arg(QString::fromStdString(v1::ErrorCode_Name(reply->rejected().code())),
                                 QString::fromStdString(reply->rejected().message()));
    return text;
}

QByteArray encoded(const v1::Envelope &envelope)
{
    const std::string bytes = proto::encode(envelope);
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void garbageBytes();
    void oversizedFrame();
    void emptyFrame();
    void envelopeWithoutBody();
    void serverOnlyBody();
    void twoFramesInOneMessage();
    void unsupportedProtocolVersion();
    void submitWithInvalidCommandId();
    void submitWithoutCommand();
    void commandForUnknownVisit();
    void submitNamingAnotherStation();
    void frameBeyondTheTransportLimit();

private:
    // The reply to the bad input must be an Error with one of these codes; a warning must be logged after it.
    void expectError(const std::optional<v1::Envelope> &reply, std::initializer_list<v1::ErrorCode> codes,
                     const QString &logMention = {});
    bool warningSince(int line, const QString &mention) const;

    ServerProcess m_server;
    TestStation m_good; // says hello once and keeps asking throughout
    TestStation m_bad;  // sends the bad input
    quint64 m_head = 0; // log head before each test function
    int m_logLine = 0;  // log lines before each test function
};

void TestBadInput::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_good.connect(m_server.port());
    m_bad.connect(m_server.port());
    QVERIFY2(m_good.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_good.lastError()));
    QVERIFY2(m_bad.hello(u"B"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_bad.lastError()));
    // Some history, so "nothing changed" is about a real log; wait until its saga settled.
    for (int i = 0; i < 3; ++i)
        QVERIFY(m_good.submitAndWait(registerVisit()).applied);
    QVERIFY(pollUntil([&] { return countEvents(m_good.fetchAllEvents().events, "TreatmentStarted") == 3; }));
    // The operators' endpoints answer beside the stations.
    QCOMPARE(m_server.httpGet(u"/health/live"_s).status, 200);
    const HttpResult metrics = m_server.httpGet(u"/metrics"_s);
    QCOMPARE(metrics.status, 200);
    QVERIFY2(metrics.body.contains("clinicflow_"), metrics.body.left(300).constData());
}

void TestBadInput::init()
{
    const auto batch = m_good.fetchEvents(0, 1);
    QVERIFY2(batch, qPrintable(m_good.lastError()));
    m_head = batch->head_sequence();
    m_logLine = int(m_server.logLines().size());
}

void TestBadInput::cleanup()
{
    // Whatever the bad input was: the log did not move, both stations are still served.
    const auto batch = m_good.fetchEvents(0, 1);
    QVERIFY2(batch, qPrintable(m_good.lastError()));
    QCOMPARE(batch->head_sequence(), m_head);
    QVERIFY2(m_good.ping(), qPrintable(m_good.lastError()));
    QVERIFY2(m_bad.ping(), qPrintable(m_bad.lastError()));
    QVERIFY2(m_server.isRunning(), "the server died");
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server.logTail(20);
}

void TestBadInput::cleanupTestCase()
{
    // After all of it, the well-behaved station's commands are still applied, and the server stops cleanly.
    const Outcome outcome = m_good.submitAndWait(registerVisit());
    QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    // No error message or warning above carried the patient's data.
    for (const LogLine &line : m_server.logLines())
        QVERIFY2(!mentionsPatient(line.text()), qPrintable(line.text()));
    QVERIFY2(m_server.terminate(), qPrintable(m_server.errorString()));
}

bool TestBadInput::warningSince(int line, const QString &mention) const
{
    return m_server.waitForLog(
        [&](const LogLine &l) {
            return l.level == u"warning"_s && (mention.isEmpty() || l.text().contains(mention, Qt::CaseInsensitive));
        },
        5000, line);
}

void TestBadInput::expectError(const std::optional<v1::Envelope> &reply, std::initializer_list<v1::ErrorCode> codes,
                               const QString &logMention)
{
    QVERIFY2(reply && reply->has_error(), qPrintable(describe(reply)));
    QVERIFY2(std::find(codes.begin(), codes.end(), reply->error().code()) != codes.end(), qPrintable(describe(reply)));
    QVERIFY2(!reply->error().message().empty(), "an Error should say what was wrong");
    QVERIFY2(warningSince(m_logLine, logMention),
             qPrintable(u"no warning mentioning '%1' was logged"_s.arg(logMention)));
}

void TestBadInput::garbageBytes()
{
    // Field 1 with wire type 7, which does not exist: no parser can take it for an envelope.
    m_bad.sendRaw(QByteArray("\x0f\xff\xfe not a protobuf message \x00\x01", 30));
    expectError(m_bad.receive(), {v1::ERROR_CODE_MALFORMED_MESSAGE});
}

void TestBadInput::oversizedFrame()
{
    // 2 MiB: twice the codec's limit, but a well-formed envelope otherwise (a Ping with a huge unknown field).
    v1::Envelope ping;
    ping.mutable_ping()->set_nonce(7);
    QByteArray bytes = encoded(ping);
    const qsizetype padding = 2 * 1024 * 1024 - bytes.size() - 6;
    bytes += char(0xc2); // tag of field 1000, length-delimited: an unknown field
    bytes += char(0x3e);
    quint64 length = quint64(padding);
    for (; length >= 0x80; length >>= 7)
        bytes += char((length & 0x7f) | 0x80);
    bytes += char(length);
    bytes += QByteArray(padding, 'x');
    QVERIFY(bytes.size() >= 2 * 1024 * 1024 - 8);
    // Over the largest valid request (proto::kMaxInboundMessageSize): libzmq closes the connection before the frame
    // takes memory, and the server says so in its log; the sender starts over.
    m_bad.sendRaw(bytes);
    const auto reply = m_bad.receive(1000ms);
    QVERIFY2(!reply, qPrintable(describe(reply)));
    QVERIFY2(m_server.waitForLog(
                 [](const LogLine &l) {
                     return l.text().contains(u"connection of station B"_s) && l.text().contains(u"frame over"_s);
                 },
                 5000, m_logLine),
             qPrintable(m_server.logTail(10)));
    QVERIFY2(m_bad.hello(u"B"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_bad.lastError()));
}

void TestBadInput::emptyFrame()
{
    m_bad.sendRaw(QByteArray());
    expectError(m_bad.receive(), {v1::ERROR_CODE_MALFORMED_MESSAGE, v1::ERROR_CODE_UNKNOWN_MESSAGE_TYPE});
}

void TestBadInput::envelopeWithoutBody()
{
    v1::Envelope empty;
    empty.set_request_id(42); // something to encode: an envelope of nothing at all is the empty frame above
    m_bad.send(empty);
    expectError(m_bad.receive(), {v1::ERROR_CODE_UNKNOWN_MESSAGE_TYPE});
}

void TestBadInput::serverOnlyBody()
{
    v1::Envelope welcome;
    welcome.mutable_welcome()->set_head_sequence(999999);
    welcome.mutable_welcome()->set_server_id("impostor");
    expectError(m_bad.request(welcome), {v1::ERROR_CODE_UNKNOWN_MESSAGE_TYPE}, u"welcome"_s);

    // Outcomes and events are the server's to send, too.
    v1::Envelope applied;
    applied.mutable_applied()->set_command_id(idText(QUuid::createUuid()).toStdString());
    applied.mutable_applied()->add_sequences(1);
    m_logLine = int(m_server.logLines().size());
    expectError(m_bad.request(applied), {v1::ERROR_CODE_UNKNOWN_MESSAGE_TYPE}, u"applied"_s);
}

void TestBadInput::twoFramesInOneMessage()
{
    v1::Envelope ping;
    ping.mutable_ping()->set_nonce(1);
    m_bad.sendRawFrames({encoded(ping), encoded(ping)});
    expectError(m_bad.receive(), {v1::ERROR_CODE_MALFORMED_MESSAGE});
    // Neither frame was taken for a Ping.
    const auto extra = m_bad.receive(300ms);
    QVERIFY2(!extra, qPrintable(describe(extra)));
}

void TestBadInput::unsupportedProtocolVersion()
{
    TestStation future;
    future.connect(m_server.port());
    v1::Envelope hello;
    hello.mutable_hello()->set_protocol_version(99);
    hello.mutable_hello()->set_station("F");
    hello.mutable_hello()->set_role(v1::ROLE_RECEPTIONIST);
    expectError(future.request(hello), {v1::ERROR_CODE_UNSUPPORTED_PROTOCOL_VERSION});
    // It never became a session.
    const auto fetch = future.fetchEvents(0, 1);
    QVERIFY(!fetch);
}

void TestBadInput::submitWithInvalidCommandId()
{
    v1::Submit submit =
        proto::toSubmit({QUuid::createUuid(), u"B"_s, QDateTime::currentDateTimeUtc()}, registerVisit());
    submit.set_command_id("not-a-uuid-1234");
    const std::optional<v1::Envelope> reply = m_bad.replyTo(m_bad.sendSubmit(submit));
    QVERIFY2(reply, qPrintable(m_bad.lastError()));
    QVERIFY2(reply->has_rejected() || reply->has_error(), qPrintable(describe(reply)));
    const v1::ErrorCode code = reply->has_rejected() ? reply->rejected().code() : reply->error().code();
    QVERIFY2(code == v1::ERROR_CODE_MISSING_ID || code == v1::ERROR_CODE_MALFORMED_MESSAGE ||
                 code == v1::ERROR_CODE_INVALID_COMMAND,
             qPrintable(describe(reply)));
    QVERIFY2(warningSince(m_logLine, u"not-a-uuid-1234"_s), "no warning naming the bad command id");
    // Nothing was queued: no outcome follows.
    const auto late = m_bad.receive(500ms);
    QVERIFY2(!late, qPrintable(describe(late)));
}

void TestBadInput::submitWithoutCommand()
{
    v1::Submit submit;
    const QUuid id = QUuid::createUuid();
    submit.set_command_id(idText(id).toStdString());
    submit.mutable_command(); // present, but with no kind: a command from a newer station
    m_bad.sendSubmit(submit);
    const Outcome outcome = m_bad.waitOutcome(id);
    QVERIFY2(outcome.answered && !outcome.applied, qPrintable(outcome.describe()));
    QVERIFY2(outcome.code == v1::ERROR_CODE_UNKNOWN_MESSAGE_TYPE, qPrintable(outcome.describe()));
    QVERIFY2(warningSince(m_logLine, idText(id)), "no warning naming the command");
}

void TestBadInput::commandForUnknownVisit()
{
    // Well-formed and authorised, but aimed at a visit that does not exist: queued, then rejected.
    const QUuid id = QUuid::createUuid();
    const Outcome outcome = m_bad.submitAndWait(cancelVisit(QUuid::createUuid()), id);
    QVERIFY2(outcome.answered && !outcome.applied, qPrintable(outcome.describe()));
    QVERIFY2(outcome.code == v1::ERROR_CODE_VISIT_NOT_FOUND, qPrintable(outcome.describe()));
    QVERIFY(!outcome.message.isEmpty());
    // A business rejection, not a protocol fault: the server logs it with the command id (info or above).
    QVERIFY2(
        m_server.waitForLog([&](const LogLine &l) { return l.level != u"debug"_s && l.text().contains(idText(id)); },
                            5000, m_logLine),
        "the rejection was not logged with its command id");
}

void TestBadInput::submitNamingAnotherStation()
{
    // Said hello as "B", submits as "A": a station cannot act in another's name.
    const QUuid id = QUuid::createUuid();
    m_bad.sendSubmit(proto::toSubmit({id, u"A"_s, QDateTime::currentDateTimeUtc()}, registerVisit()));
    const Outcome outcome = m_bad.waitOutcome(id);
    QVERIFY2(outcome.answered && !outcome.applied, qPrintable(outcome.describe()));
    QVERIFY2(outcome.code == v1::ERROR_CODE_UNKNOWN_STATION, qPrintable(outcome.describe()));
    QVERIFY2(warningSince(m_logLine, idText(id)), "no warning naming the command");
}

void TestBadInput::frameBeyondTheTransportLimit()
{
    // 5 MiB: beyond what the gateway lets libzmq take at all, so the connection is dropped rather than answered.
    // What matters: the server survives, the other station never notices, and the sender can start over.
    m_bad.sendRaw(QByteArray(5 * 1024 * 1024, 'z'));
    const auto reply = m_bad.receive(1000ms);
    QVERIFY2(!reply || reply->has_error(), qPrintable(describe(reply)));
    QVERIFY2(m_good.ping(), qPrintable(m_good.lastError()));
    QVERIFY2(m_bad.hello(u"B"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_bad.lastError()));
}

QTEST_GUILESS_MAIN(TestBadInput)
#include "TestBadInput.moc"
