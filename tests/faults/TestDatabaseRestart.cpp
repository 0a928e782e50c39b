// PostgreSQL itself crashes under load and comes back (issue #14, fault test 5): a desk keeps 50 registrations in
// flight and, like a workstation's outbox, keeps every command until it has an outcome, resending it (same id, same
// Submit) after a silence, a lost session or 3 s without an answer. After 200 are applied, `pg_ctl stop -m
// immediate` kills the cluster (a cluster of this test's own, so no other test feels it). The server must stay up,
// stop being ready within 5 s, and be ready again within 15 s of the database's return without anyone restarting
// it. Then every command is Applied exactly once, the log is 1..head without holes, and each visit's saga
// (DiagnosisRegistered, TreatmentStarted) ran exactly once: nothing half-done survived the crash.
#include "PgClusterScript.h"
#include "ResendingDesk.h"
#include "ServerProcess.h"
#include "TestPostgres.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

constexpr int kCommands = 600;
constexpr int kCrashAfterApplied = 200; // the database dies once this many are applied
constexpr int kDownMs = 3000;           // how long it stays down
constexpr int kNotReadyWithinMs = 5000;
constexpr int kReadyAgainWithinMs = 15000;

} // namespace

class TestDatabaseRestart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void databaseCrashUnderLoadLosesNothingAndHeals();

private:
    OwnPgCluster m_cluster;
};

void TestDatabaseRestart::initTestCase()
{
    const QString problem = m_cluster.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestDatabaseRestart::databaseCrashUnderLoadLosesNothingAndHeals()
{
    ThrowawayPostgresDatabase database(m_cluster.baseUrl());
    QVERIFY2(database.isValid(), qPrintable(database.error()));
    ServerProcess server;
    server.setDatabaseUrl(database.url());
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const qint64 pid = server.pid();
    const auto enrolment = server.enrol(u"A"_s, domain::Role::Receptionist);
    QVERIFY2(enrolment, "cannot enrol the desk");
    const auto serverLog = [&] { return u"\nserver log:\n"_s + server.logTail(30); };

    ResendingDesk desk(kCommands);
    QElapsedTimer clock;
    clock.start();
    desk.start(server.port(), enrolment->keys);
    QVERIFY2(pollUntil([&] { return desk.applied >= kCrashAfterApplied; }, 30000, 5),
             qPrintable(u"only %1 applied before the crash"_s.arg(int(desk.applied)) + serverLog()));

    // The database dies under load.
    const int appliedAtCrash = desk.applied;
    const qsizetype logBefore = server.logLines().size();
    QString output;
    QVERIFY2(m_cluster.run(u"crash"_s, &output) == 0, qPrintable(output));
    QElapsedTimer down;
    down.start();
    // Not ready within 5 s, never ready again while the database is down, and still the same process.
    qint64 notReadyAfterMs = -1;
    QStringList answers; // each kind of answer /health/ready gave meanwhile, once
    while (down.elapsed() < kDownMs || (notReadyAfterMs < 0 && down.elapsed() < kNotReadyWithinMs)) {
        const QString answer = readiness(server, 500);
        if (!answers.contains(answer))
            answers << answer;
        if (notReadyAfterMs < 0 && (answer == u"503"_s || answer == u"refused"_s))
            notReadyAfterMs = down.elapsed();
        QVERIFY2(answer != u"200"_s || notReadyAfterMs < 0,
                 qPrintable(u"ready again while the database is down"_s + serverLog()));
        QTest::qWait(100);
    }
    QVERIFY2(
        notReadyAfterMs >= 0,
        qPrintable(
            u"/health/ready still answers %1 %2 ms after the crash"_s.arg(answers.join(u", "_s)).arg(down.elapsed()) +
            serverLog()));
    QVERIFY2(!server.hasExited(), qPrintable(u"the server exited while the database was down"_s + serverLog()));
    QVERIFY2(m_cluster.run(u"restart"_s, &output) == 0, qPrintable(output));
    const double secondsDown = down.elapsed() / 1000.0;
    QElapsedTimer back;
    back.start();
    QVERIFY2(pollUntil([&] { return readiness(server) == u"200"_s; }, kReadyAgainWithinMs, 100),
             qPrintable(u"not ready %1 s after the database came back"_s.arg(back.elapsed() / 1000.0) + serverLog()));
    const double secondsToReady = back.elapsed() / 1000.0;
    QVERIFY(!server.hasExited());
    QCOMPARE(server.pid(), pid);
    const auto mentions = [](const QString &text) {
        return [text](const LogLine &l) { return l.message.contains(text); };
    };
    QVERIFY2(server.waitForLog(mentions(u"the database went away"_s), 2000, int(logBefore)), qPrintable(serverLog()));
    QVERIFY2(server.waitForLog(mentions(u"the database is back after"_s), 2000, int(logBefore)),
             qPrintable(serverLog()));

    // An operator reads the outage in the log: the loss, the stop, the wait and the return, not a line for every
    // statement that failed. It was 239 lines, most of them Qt's driver unable to free a statement; then 58-92
    // warnings, most of them the gateway's reads and intakes failing every turn and each failed ROLLBACK on the dead
    // connection; now 14-25: the gateway writes the first two of each, then a count.
    const QList<LogLine> outageLog = server.logLines().mid(logBefore);
    const qsizetype warnings = warningCount(outageLog);
    qInfo("%lld log lines from the crash to the return, %lld of them warnings or errors",
          static_cast<long long>(outageLog.size()), static_cast<long long>(warnings));
    QVERIFY2(warnings <= 40, qPrintable(u"\nthe outage's warnings and errors, by kind:\n"_s + warningKinds(outageLog)));
    // The desk's outbox empties by itself.
    const bool drained = pollUntil([&] { return desk.resolved >= kCommands; }, 60000, 50);
    desk.abort = !drained;
    desk.join();
    const double seconds = clock.elapsed() / 1000.0;
    QVERIFY2(desk.problems.isEmpty(), qPrintable(desk.problems.mid(0, 20).join(u'\n') + serverLog()));

    const QString outcomes = checkDeskOutcomes(desk, server.port());
    QVERIFY2(outcomes.isEmpty(), qPrintable(outcomes + serverLog()));
    qInfo("%d registrations applied once each (%d before the crash), %d resends, %d Hellos (%d unanswered), %d "
          "sessions lost, %d Submits refused for a while; not ready %.1f s after the crash (readiness meanwhile: %s), "
          "the database down %.1f s, ready %.1f s after it returned, same process; %.1f s in all",
          kCommands, appliedAtCrash, desk.resends, desk.hellos, desk.failedHellos, desk.sessionsLost,
          int(desk.refusals), notReadyAfterMs / 1000.0, qPrintable(answers.join(u", "_s)), secondsDown, secondsToReady,
          seconds);
    QVERIFY2(server.terminate(), qPrintable(server.errorString()));
}

QTEST_GUILESS_MAIN(TestDatabaseRestart)
#include "TestDatabaseRestart.moc"
