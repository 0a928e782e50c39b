// The zero-downtime stop (issue #13), as an orchestrator or systemd sends it: on SIGTERM readiness turns 503 first
// while HTTP still answers, then no new command is taken (SERVER_UNAVAILABLE, which a station resends later), every
// command already taken is applied and answered, and the server exits 0. Nothing is lost or left unanswered: each
// command the desk sent is either applied, answered, and in the log after the restart, or refused and not there.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"

#include <QElapsedTimer>
#include <QTest>
#include <map>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

class TestGracefulStop : public QObject
{
    Q_OBJECT

private slots:
    void sigtermDrainsThenExits();
};

void TestGracefulStop::sigtermDrainsThenExits()
{
    ServerProcess server;
    QVERIFY2(server.start({u"--drain-seconds"_s, u"20"_s}), qPrintable(server.errorString()));
    QCOMPARE(server.httpGet(u"/health/ready"_s).status, 200);
    TestStation desk;
    desk.connect(server.port());
    QVERIFY2(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(desk.lastError()));

    // 400 registrations sent at once, then SIGTERM once the first is applied, while
    // the workers are still busy with the others.
    constexpr int kCommands = 400;
    std::vector<QUuid> sent;
    for (int i = 0; i < kCommands; ++i) {
        sent.push_back(desk.submit(registerVisit(u"IM"_s)));
        if (i % 50 == 49)
            desk.takeOutcomeIfAny(QUuid()); // reads what came back so far, as a workstation does
    }
    const Outcome first = desk.waitOutcome(sent.front());
    QVERIFY2(first.applied, qPrintable(first.describe() + server.logTail()));
    QVERIFY2(server.sendSigterm(), qPrintable(server.errorString()));

    // Readiness says 503 (and why) while the server still runs and HTTP answers; liveness stays 200.
    bool sawNotReady = false;
    QElapsedTimer waited;
    waited.start();
    // The desk reads its answers all along, as a workstation does: the server closes the connection of a station
    // that lets 1,000 answers pile up.
    const auto readAnswers = [&desk] { desk.takeOutcomeIfAny(QUuid()); };
    while (!sawNotReady && !server.hasExited() && waited.elapsed() < 10000) {
        readAnswers();
        const HttpResult ready = server.httpGet(u"/health/ready"_s, 1000);
        if (ready.status == 503) {
            sawNotReady = true;
            QCOMPARE(ready.object().value(u"draining"_s).toBool(), true);
            QCOMPARE(ready.object().value(u"ready"_s).toBool(), false);
            const int live = server.httpGet(u"/health/live"_s, 1000).status;
            QVERIFY2(live == 200 || server.hasExited(), qPrintable(u"/health/live answered %1"_s.arg(live)));
        } else {
            QVERIFY2(ready.status == 200 || ready.status == 0, qPrintable(u"/health/ready: %1"_s.arg(ready.status)));
        }
    }
    QVERIFY2(sawNotReady, "readiness never answered 503 between SIGTERM and the exit");
    // A command sent now is refused, not taken: the desk keeps it and resends it to the next server.
    const QUuid late = desk.submit(registerVisit(u"IM"_s));
    while (!server.hasExited(20) && waited.elapsed() < 30000)
        readAnswers();
    QVERIFY2(server.waitForCleanExit(30000), qPrintable(server.errorString() + server.logTail()));
    QVERIFY(server.countLog([](const LogLine &l) { return l.message.contains(u"drained in"_s); }) == 1);

    // Every command was answered before the exit: applied, or refused as the server went away.
    std::map<QUuid, Outcome> outcomes;
    int applied = 0;
    int refused = 0;
    for (const QUuid &id : sent) {
        const Outcome outcome = id == sent.front() ? first : desk.waitOutcome(id, 5s);
        QVERIFY2(outcome.answered,
                 qPrintable(u"command %1 (%2 of %3) was taken or sent, then never answered\n%4"_s.arg(id.toString())
                                .arg(&id - sent.data())
                                .arg(sent.size())
                                .arg(server.logTail())));
        if (outcome.applied) {
            ++applied;
        } else {
            QCOMPARE(outcome.code, v1::ERROR_CODE_SERVER_UNAVAILABLE);
            ++refused;
        }
        outcomes[id] = outcome;
    }
    const Outcome lateOutcome = desk.waitOutcome(late, 2s);
    QVERIFY2(!lateOutcome.answered || lateOutcome.code == v1::ERROR_CODE_SERVER_UNAVAILABLE,
             qPrintable(lateOutcome.describe()));
    qInfo().noquote() << applied << "applied and" << refused << "refused of" << kCommands << "sent before SIGTERM";
    QVERIFY2(applied > 0, "nothing was applied: SIGTERM came before the server took anything");

    // After the restart, exactly the applied commands are in the log, each once.
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    TestStation probe;
    probe.connect(server.port());
    QVERIFY2(probe.hello(u"OPS"_s, v1::ROLE_BOARD), qPrintable(probe.lastError()));
    const EventLogRead log = probe.fetchAllEvents();
    QVERIFY(log.ok);
    QCOMPARE(countEvents(log.events, "ReceptionRegistered"), applied);
    for (const auto &[id, outcome] : outcomes)
        QCOMPARE(countCausedBy(log.events, id), outcome.applied ? 1 : 0);
    QVERIFY(server.terminate());
}

QTEST_GUILESS_MAIN(TestGracefulStop)
#include "TestGracefulStop.moc"
