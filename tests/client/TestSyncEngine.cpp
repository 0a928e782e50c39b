// The sync engine against the real clinicflow-server: catch-up from zero, the outbox (queued, applied once,
// rejected with its code, refused by role), resending across a server restart, keeping to its share of the gateway,
// offline detection and recovery with no call from the user, and a station noticing that its server's data was
// replaced (events from 0, or a snapshot for a board). Also a hostile peer in the server's place, and an endpoint
// that cannot work.
#include "SyncRecorder.h"
#include "TestCommands.h"
#include "domain/Ids.h"
#include "proto/Codec.h"
#include "proto/Convert.h"
#include "proto/Redaction.h"
#include "support/LossyProxy.h"
#include "support/OfflineDeadline.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>
#include <zmq.hpp>
#include <zmq_addon.hpp>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace clinicflow;
using namespace clinicflow::testsupport;
using client::ConnectionState;
using client::SyncEngine;

class TestSyncEngine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void catchesUpFromZero();
    void submitIsQueuedThenAnsweredOnce();
    void refusedCommandsAreAnsweredWithTheirCode();
    void commandsSubmittedWhileDownAreAppliedOnce();
    void offlineWithinSecondsAndBackWithoutHelp();
    void lostCommandsAndAnswersAreSentAgain();
    void outboxBeyondItsShareKeepsToIt();
    void serverChangedWhenItsDataIsReplaced();
    void survivesGarbageFromThePeer();
    void unusableEndpointIsReportedNotFatal();

private:
    void registerVisits(int count);
    // The engine delivered exactly the server's log, 1..head, and is Online.
    void expectWholeLog(const SyncRecorder &recorder, int timeoutMs = 15000);
    bool reconnectDesk();

    ServerProcess m_server;
    TestStation m_desk;
};

void TestSyncEngine::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(reconnectDesk());
}

void TestSyncEngine::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server.logTail(30);
}

bool TestSyncEngine::reconnectDesk()
{
    m_desk.connect(m_server.port());
    return m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST).has_value();
}

void TestSyncEngine::registerVisits(int count)
{
    std::vector<QUuid> ids;
    for (int i = 0; i < count; ++i)
        ids.push_back(m_desk.submit(registerVisit()));
    for (const QUuid &id : ids) {
        const Outcome outcome = m_desk.waitOutcome(id);
        QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    }
}

void TestSyncEngine::expectWholeLog(const SyncRecorder &recorder, int timeoutMs)
{
    const quint64 head = waitForQuietHead(m_desk);
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.lastSequence == head && recorder.state == ConnectionState::Online,
                              qPrintable(recorder.describe()), timeoutMs);
    QVERIFY2(recorder.violations.isEmpty(), qPrintable(recorder.describe()));
    const EventLogRead log = m_desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(m_desk.lastError()));
    QCOMPARE(quint64(log.events.size()), head);
    QCOMPARE(qsizetype(log.events.size()), recorder.events.size());
    for (std::size_t i = 0; i < log.events.size(); ++i) {
        // The desk reads every field; the engine's station what its role may (proto/Redaction.h).
        v1::Event readable = log.events[i];
        proto::redactFor(recorder.role, readable);
        const auto expected = proto::fromProto(readable);
        QVERIFY2(expected, qPrintable(expected ? QString() : expected.error().message()));
        QVERIFY2(recorder.events[qsizetype(i)] == expected.value(),
                 qPrintable(u"event %1 differs from the server's log"_s.arg(i + 1)));
    }
}

void TestSyncEngine::catchesUpFromZero()
{
    registerVisits(4);
    const quint64 head = waitForQuietHead(m_desk);
    QVERIFY2(head >= 12, qPrintable(u"head %1"_s.arg(head))); // each visit: registered, diagnosis, treatment

    SyncEngine engine(syncSettings(m_server, u"D1"_s, domain::Role::Doctor));
    SyncRecorder recorder(engine);
    engine.start(0, {});
    expectWholeLog(recorder);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(recorder.welcomedBy.size(), 1);
    QVERIFY(!recorder.welcomedBy.front().isEmpty());
    QCOMPARE(engine.settings().serverId, recorder.welcomedBy.front());
    QVERIFY(recorder.changedTo.isEmpty());
    QCOMPARE(recorder.states.front(), ConnectionState::Connecting);
    QCOMPARE(engine.state(), ConnectionState::Online);
    QCOMPARE(recorder.head, head);
    QVERIFY(recorder.contacts > 0);
    QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(u"; "_s)));
}

void TestSyncEngine::submitIsQueuedThenAnsweredOnce()
{
    SyncEngine engine(syncSettings(m_server, u"A"_s, domain::Role::Receptionist));
    SyncRecorder recorder(engine);
    engine.start(0, {});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 10000);

    const client::OutgoingCommand command = outgoing(u"A"_s, registerVisit());
    const QUuid id = command.meta.commandId;
    engine.submit(command);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.answersFor(id), 1, 10000);
    const SyncRecorder::Answer answer = *recorder.answerFor(id);
    QVERIFY2(answer.outcome.applied, qPrintable(answer.outcome.error.message()));
    QCOMPARE(answer.outcome.sequences.size(), 1); // ReceptionRegistered; the saga's reactions are the contexts'
    QCOMPARE(recorder.queued.count(id), 1);
    const qsizetype queuedAt = recorder.marks.indexOf(u"queued %1"_s.arg(domain::idString(id)));
    const qsizetype answeredAt = recorder.marks.indexOf(u"answered %1 applied"_s.arg(domain::idString(id)));
    QVERIFY2(queuedAt >= 0 && queuedAt < answeredAt, qPrintable(recorder.marks.join(u"; "_s)));

    // The events it made were delivered before the answer, and name the command as their cause.
    const quint64 sequence = answer.outcome.sequences.front();
    QVERIFY2(answer.deliveredBefore >= sequence, qPrintable(recorder.describe()));
    const domain::Event &event = recorder.events.at(qsizetype(sequence - 1));
    QCOMPARE(event.sequence, sequence);
    QCOMPARE(event.causationId, id);
    QCOMPARE(domain::eventTypeName(event.payload), u"ReceptionRegistered"_s);

    // Answered directly and again on PUB: reported once, with the PUB copy surely read.
    QVERIFY2(waitPastPublished(recorder, m_desk), qPrintable(recorder.describe()));
    QCOMPARE(recorder.answersFor(id), 1);
    QCOMPARE(recorder.queued.count(id), 1);
    expectWholeLog(recorder);
}

void TestSyncEngine::refusedCommandsAreAnsweredWithTheirCode()
{
    SyncEngine engine(syncSettings(m_server, u"A"_s, domain::Role::Receptionist));
    SyncRecorder recorder(engine);
    engine.start(0, {});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 10000);

    const auto missing = outgoing(u"A"_s, cancelVisit(domain::newId()));        // the worker rejects it
    const auto notMine = outgoing(u"A"_s, performExamination(domain::newId())); // the gateway refuses the role
    const auto otherDesk = outgoing(u"B"_s, registerVisit());                   // never leaves the station
    for (const auto &c : {missing, notMine, otherDesk})
        engine.submit(c);
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.answers.size() == 3, qPrintable(recorder.describe()), 10000);

    const auto codeOf = [&](const client::OutgoingCommand &c) {
        const SyncRecorder::Answer *a = recorder.answerFor(c.meta.commandId);
        return a && !a->outcome.applied ? a->outcome.error.code : domain::ErrorCode::None;
    };
    QCOMPARE(codeOf(missing), domain::ErrorCode::VisitNotFound);
    QCOMPARE(codeOf(notMine), domain::ErrorCode::RoleNotAllowed);
    QCOMPARE(codeOf(otherDesk), domain::ErrorCode::UnknownStation);
    // Station problems are the user's to see; a rule the command broke is only its answer.
    QCOMPARE(recorder.errors.size(), 2);

    // Nothing is answered twice: the worker's rejection was published too, and the engine read that copy.
    QVERIFY2(waitPastPublished(recorder, m_desk), qPrintable(recorder.describe()));
    QCOMPARE(recorder.answers.size(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 5000);
    QVERIFY(recorder.violations.isEmpty());
}

void TestSyncEngine::commandsSubmittedWhileDownAreAppliedOnce()
{
    SyncEngine engine(syncSettings(m_server, u"A"_s, domain::Role::Receptionist));
    SyncRecorder recorder(engine);
    engine.start(0, {});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 10000);

    QVERIFY2(m_server.kill9(), qPrintable(m_server.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Offline, client::testing::offlineDeadlineMs());
    std::vector<QUuid> ids;
    for (int i = 0; i < 3; ++i) {
        const auto command = outgoing(u"A"_s, registerVisit());
        ids.push_back(command.meta.commandId);
        engine.submit(command);
    }
    QTest::qWait(500);
    QVERIFY(recorder.answers.isEmpty());

    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.answers.size() == 3, qPrintable(recorder.describe()), 20000);
    QVERIFY(reconnectDesk());
    const EventLogRead log = m_desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(m_desk.lastError()));
    for (const QUuid &id : ids) {
        QCOMPARE(recorder.answersFor(id), 1);
        QVERIFY2(recorder.answerFor(id)->outcome.applied, qPrintable(recorder.answerFor(id)->outcome.error.message()));
        QCOMPARE(countCausedBy(log.events, id), 1); // in the log exactly once, however often it was sent
    }
    expectWholeLog(recorder);
}

void TestSyncEngine::offlineWithinSecondsAndBackWithoutHelp()
{
    SyncEngine engine(syncSettings(m_server, u"D1"_s, domain::Role::Doctor));
    SyncRecorder recorder(engine);
    engine.start(0, {});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 10000);

    QVERIFY2(m_server.terminate(), qPrintable(m_server.errorString()));
    QElapsedTimer stopped;
    stopped.start();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Offline, client::testing::offlineDeadlineMs());
    qInfo("offline %lld ms after the server exited (offline timeout %lld ms)", stopped.elapsed(),
          qint64(engine.settings().offlineTimeout.count()));

    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QVERIFY(reconnectDesk());
    registerVisits(2); // while the engine is still finding its way back
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 15000);
    expectWholeLog(recorder);
    QVERIFY(recorder.states.contains(ConnectionState::Connecting));
}

// Nothing in the other tests loses a command or its answer on the wire: here a proxy drops the first copy of every
// Submit, the first direct outcome of every command and every outcome on PUB. Each command still gets exactly one
// answer, and the server applies it once: the engine resends what is unanswered and asks again about what it was
// told is Queued.
void TestSyncEngine::lostCommandsAndAnswersAreSentAgain()
{
    client::SyncSettings settings = syncSettings(m_server, u"A"_s, domain::Role::Receptionist);
    LossyProxy proxy(m_server.port(), m_server.pubPort(), settings.keys);
    settings.keys = proxy.keysForStation();
    settings.requestEndpoint = u"tcp://127.0.0.1:%1"_s.arg(proxy.port());
    settings.publishEndpoint = u"tcp://127.0.0.1:%1"_s.arg(proxy.pubPort());
    settings.requestTimeout = 500ms; // shorter than the defaults, so the test waits seconds, not minutes
    settings.queuedRecheck = 1000ms;
    SyncEngine engine(settings);
    SyncRecorder recorder(engine);
    engine.start(0, {});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 10000);

    constexpr int kCommands = 10;
    std::vector<QUuid> ids;
    for (int i = 0; i < kCommands; ++i) {
        const auto command = outgoing(u"A"_s, registerVisit());
        ids.push_back(command.meta.commandId);
        engine.submit(command);
    }
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.answers.size() >= kCommands, qPrintable(recorder.describe()), 30000);
    QVERIFY2(waitPastPublished(recorder, m_desk), qPrintable(recorder.describe()));
    const EventLogRead log = m_desk.fetchAllEvents();
    for (const QUuid &id : ids) {
        QCOMPARE(recorder.answersFor(id), 1);
        QVERIFY2(recorder.answerFor(id)->outcome.applied, qPrintable(recorder.answerFor(id)->outcome.error.message()));
        QCOMPARE(countCausedBy(log.events, id), 1);
    }
    const LossyProxy::Counts lost = proxy.counts();
    qInfo("%d Submits for %d commands; dropped %d Submits, %d direct outcomes, %d published outcomes", lost.submits,
          kCommands, lost.droppedSubmits, lost.droppedOutcomes, lost.droppedPublished);
    QCOMPARE(lost.droppedSubmits, kCommands);
    QCOMPARE(lost.droppedOutcomes, kCommands);
    QVERIFY(lost.submits >= 3 * kCommands); // the dropped copy, the resend, and the question after Queued
    QCOMPARE(recorder.answers.size(), kCommands);
}

// An outbox beyond the station's share of the gateway (--station-rate 20: 200 requests at once, then 20 a second;
// docs/protocol.md §1), and a hole in what PUB delivered (one event dropped) that only a FetchEvents, ten requests'
// worth, can fill. The engine keeps to its share: after a RATE_LIMITED it waits as told and sends a few at a time,
// instead of sending the outbox's tail again every 100 ms only to have it refused, and it asks for the page before
// any more Submits, so the hole is filled and the answers come as the commands are applied. Sending every held
// Submit at each retry, the engine took every request its share freed: the page waited until the whole outbox had
// been taken, the answers with it (an Applied is reported after its events), and the gateway refused some 5,000
// requests for these 300 commands.
void TestSyncEngine::outboxBeyondItsShareKeepsToIt()
{
    ServerProcess server;
    QVERIFY2(server.start({u"--station-rate"_s, u"20"_s}), qPrintable(server.errorString()));
    client::SyncSettings settings = syncSettings(server, u"A"_s, domain::Role::Receptionist);
    settings.testOnlyDropLiveEvent = [](quint64 sequence) { return sequence == 30; };
    SyncEngine engine(settings);
    SyncRecorder recorder(engine);
    constexpr int kCommands = 300;
    QList<client::OutgoingCommand> outbox;
    for (int i = 0; i < kCommands; ++i)
        outbox.append(outgoing(u"A"_s, registerVisit()));
    QElapsedTimer clock;
    clock.start();
    engine.start(0, outbox);

    // 200 are taken at once; the other 100 take 5 s at 20 a second. The hole is filled, and the answers to what
    // was taken come, long before that.
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.answers.size() >= 150, qPrintable(recorder.describe()), 4000);
    qInfo("%lld answers after %lld ms, at sequence %llu", qint64(recorder.answers.size()), clock.elapsed(),
          recorder.lastSequence);
    QTRY_VERIFY2_WITH_TIMEOUT(recorder.answers.size() == kCommands, qPrintable(recorder.describe()), 30000);
    qInfo("all %d answered after %lld ms", kCommands, clock.elapsed());

    TestStation desk;
    desk.connect(server.port());
    QVERIFY2(desk.hello(u"OPS"_s, v1::ROLE_BOARD), qPrintable(desk.lastError()));
    const EventLogRead log = desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(desk.lastError()));
    for (const client::OutgoingCommand &command : std::as_const(outbox)) {
        const QUuid id = command.meta.commandId;
        QCOMPARE(recorder.answersFor(id), 1);
        QVERIFY2(recorder.answerFor(id)->outcome.applied, qPrintable(recorder.answerFor(id)->outcome.error.message()));
        QCOMPARE(countCausedBy(log.events, id), 1);
    }
    const HttpResult metrics = server.httpGet(u"/metrics"_s);
    QCOMPARE(metrics.status, 200);
    static const QRegularExpression limited(uR"re(clinicflow_gateway_limited_total\{limit="requests"\} (\d+))re"_s);
    const int refused = limited.match(QString::fromUtf8(metrics.body)).captured(1).toInt();
    qInfo("%d requests refused for %d commands", refused, kCommands);
    QVERIFY2(refused <= 2 * kCommands, qPrintable(u"%1 requests refused"_s.arg(refused)));
}

void TestSyncEngine::serverChangedWhenItsDataIsReplaced()
{
    registerVisits(1);
    SyncEngine engine(syncSettings(m_server, u"D1"_s, domain::Role::Doctor));
    SyncRecorder recorder(engine);
    engine.start(0, {});
    expectWholeLog(recorder);
    if (QTest::currentTestFailed())
        return;
    const QString oldId = recorder.welcomedBy.front();
    const quint64 oldHead = recorder.lastSequence;

    // Another database behind the same address and keys (a restored backup, say, that knows both stations): the
    // running engine must notice and start again from 0.
    QVERIFY2(m_server.terminate(), qPrintable(m_server.errorString()));
    QDir data(m_server.dataDir());
    for (const QFileInfo &entry : data.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (entry.fileName() != u"keys"_s)
            QVERIFY(entry.isDir() ? QDir(entry.filePath()).removeRecursively() : QFile::remove(entry.filePath()));
    }
    for (const auto &[code, role] :
         {std::pair{u"A"_s, domain::Role::Receptionist}, std::pair{u"D1"_s, domain::Role::Doctor}})
        QVERIFY(m_server.enrolAgain(*m_server.enrol(code, role)));
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QVERIFY(reconnectDesk());
    QTRY_COMPARE_WITH_TIMEOUT(recorder.changedTo.size(), 1, 15000);
    const QString newId = recorder.changedTo.front();
    QVERIFY(newId != oldId && !newId.isEmpty());
    registerVisits(1);
    expectWholeLog(recorder); // the recorder restarted its list at serverChanged: the new log from 1
    // Nothing of the new server was delivered before serverChanged, and its first delivery starts at 1.
    const qsizetype changedAt = recorder.marks.indexOf(u"serverChanged"_s);
    const auto firstEvents = std::find_if(recorder.marks.cbegin() + changedAt, recorder.marks.cend(),
                                          [](const QString &m) { return m.startsWith(u"events "_s); });
    QVERIFY2(firstEvents != recorder.marks.cend() && firstEvents->startsWith(u"events 1-"_s),
             qPrintable(recorder.marks.join(u"; "_s)));
    QCOMPARE(engine.settings().serverId, newId);

    // A board that last synced with the old server is ahead of the new one: a snapshot, then events after it.
    const QUuid visit = domain::newId();
    auto r = registerVisit();
    r.receptionId = visit;
    QVERIFY(m_desk.submitAndWait(r).applied);
    const quint64 head = waitForQuietHead(m_desk);
    QTRY_VERIFY_WITH_TIMEOUT(m_desk.fetchSnapshot().visits.size() == 2, 10000); // the view caught up
    client::SyncSettings boardSettings = syncSettings(m_server, u"BRD"_s, domain::Role::Board);
    boardSettings.useSnapshots = true;
    boardSettings.serverId = oldId;
    SyncEngine board(boardSettings);
    SyncRecorder boardRecorder(board, oldHead);
    board.start(oldHead, {});
    QTRY_VERIFY2_WITH_TIMEOUT(boardRecorder.lastSequence == head && boardRecorder.state == ConnectionState::Online,
                              qPrintable(boardRecorder.describe()), 15000);
    QCOMPARE(boardRecorder.changedTo, QStringList{newId});
    QCOMPARE(boardRecorder.snapshots, 1);
    QCOMPARE(boardRecorder.snapshotRows.size(), 2);
    QVERIFY(std::any_of(boardRecorder.snapshotRows.cbegin(), boardRecorder.snapshotRows.cend(),
                        [&](const domain::VisitStatus &row) { return row.visitId == visit; }));
    QVERIFY(boardRecorder.snapshotSequence <= head);
    QCOMPARE(boardRecorder.marks.indexOf(u"serverChanged"_s), 0);
    QVERIFY2(boardRecorder.marks.value(2).startsWith(u"snapshot 2 rows"_s),
             qPrintable(boardRecorder.marks.join(u"; "_s)));
    QVERIFY2(boardRecorder.violations.isEmpty(), qPrintable(boardRecorder.describe()));
}

// Not a server: raw sockets in its place that answer Hello with garbage first. The engine logs and drops what it
// cannot use, and takes the real Welcome that follows.
void TestSyncEngine::survivesGarbageFromThePeer()
{
    // A CURVE server with a key of its own and no ZAP handler: it admits any station key.
    const auto serverKeys = security::KeyPair::generate();
    zmq::context_t context(1);
    zmq::socket_t router(context, zmq::socket_type::router);
    zmq::socket_t pub(context, zmq::socket_type::pub);
    for (zmq::socket_t *s : {&router, &pub}) {
        s->set(zmq::sockopt::curve_server, 1);
        s->set(zmq::sockopt::curve_secretkey, serverKeys.secretKey.toStdString());
        s->set(zmq::sockopt::linger, 0);
        s->bind("tcp://127.0.0.1:*");
    }
    client::SyncSettings settings;
    settings.requestEndpoint = QString::fromStdString(router.get(zmq::sockopt::last_endpoint));
    settings.publishEndpoint = QString::fromStdString(pub.get(zmq::sockopt::last_endpoint));
    settings.station = u"D9"_s;
    settings.role = domain::Role::Doctor;
    settings.keys = {serverKeys.publicKey, security::KeyPair::generate()};
    SyncEngine engine(settings);
    SyncRecorder recorder(engine);
    engine.start(0, {});

    // The Hello (a Ping may come first).
    std::vector<zmq::message_t> frames;
    v1::Envelope hello;
    QDeadlineTimer deadline(10000);
    while (!hello.has_hello() && !deadline.hasExpired()) {
        zmq::pollitem_t item{router.handle(), 0, ZMQ_POLLIN, 0};
        zmq::poll(&item, 1, std::chrono::milliseconds(100));
        frames.clear();
        if ((item.revents & ZMQ_POLLIN) && zmq::recv_multipart(router, std::back_inserter(frames)) &&
            frames.size() == 2)
            hello.ParseFromArray(frames[1].data(), int(frames[1].size()));
    }
    QVERIFY(hello.has_hello());
    QCOMPARE(hello.hello().station(), std::string("D9"));
    QCOMPARE(hello.hello().role(), v1::ROLE_DOCTOR);
    const std::string peer = frames[0].to_string();
    const auto sendTo = [&](std::vector<std::string> parts) {
        router.send(zmq::buffer(peer), zmq::send_flags::sndmore);
        for (std::size_t i = 0; i < parts.size(); ++i)
            router.send(zmq::buffer(parts[i]), i + 1 < parts.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    };
    v1::Envelope wrongBody; // a request, where replies belong
    wrongBody.mutable_submit()->set_command_id("not-a-uuid");
    v1::Envelope strayWelcome; // echoes no request of the engine
    strayWelcome.set_request_id(hello.request_id() + 100000);
    strayWelcome.mutable_welcome()->set_server_id("impostor");
    const char notProtobuf[] = "\x00\xff\x13 not protobuf";
    sendTo({std::string(notProtobuf, sizeof notProtobuf - 1)});
    sendTo({"two", "frames"});
    sendTo({proto::encode(wrongBody)});
    sendTo({proto::encode(strayWelcome)});
    sendTo({std::string()});
    const char pubGarbage[] = "\xff\xff\xff garbage on PUB";
    pub.send(zmq::buffer(pubGarbage, sizeof pubGarbage - 1));

    v1::Envelope welcome;
    welcome.set_request_id(hello.request_id());
    welcome.mutable_welcome()->set_protocol_version(proto::kProtocolVersion);
    welcome.mutable_welcome()->set_server_id("stand-in");
    *welcome.mutable_welcome()->mutable_catalogue() = proto::toProto(domain::Catalogue::builtIn());
    sendTo({proto::encode(welcome)});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.welcomedBy, QStringList{u"stand-in"_s}, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 5000);
    QVERIFY(recorder.changedTo.isEmpty());
    QVERIFY(recorder.events.isEmpty());
    // Nobody answers its Pings: offline, and still running.
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Offline, 5000);
    engine.stop();
    QVERIFY(!engine.isRunning());
}

void TestSyncEngine::unusableEndpointIsReportedNotFatal()
{
    client::SyncSettings settings;
    settings.requestEndpoint = u"nowhere"_s;
    settings.publishEndpoint = u"tcp://127.0.0.1:1"_s;
    settings.station = u"D9"_s;
    settings.keys = {security::KeyPair::generate().publicKey, security::KeyPair::generate()};
    SyncEngine engine(settings);
    SyncRecorder recorder(engine);
    engine.start(0, {});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
    QVERIFY2(recorder.errors.front().contains(u"nowhere"_s), qPrintable(recorder.errors.front()));
    QCOMPARE(recorder.state, ConnectionState::Offline);
    engine.submit(outgoing(u"D9"_s, reviewResults(domain::newId()))); // kept, never sent, no crash
    engine.stop();
}

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "TestSyncEngine.moc"
