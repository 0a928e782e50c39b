// kill -9 of a workstation in the middle of syncing (issue #4): every action whose local commit returned is still
// in the outbox after the restart, and the server applies each exactly once. The kill always meets unanswered
// actions: the server is paused (SIGSTOP) while the station goes on registering, so the last ones cannot have been
// answered, however fast or slow the machine.
#include "TestCommands.h"
#include "WorkstationHarness.h"
#include "store/LocalStore.h"

#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::testsupport;

class TestWorkstationCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedMidSyncLosesAndDoublesNothing();
};

namespace {

QStringList driverArgs(const ServerProcess &server, const QString &store, int registrations)
{
    server.enrol(u"K"_s, Role::Receptionist);
    return {u"--store"_s,     store,
            u"--enrolment"_s, server.enrolmentPath(u"K"_s),
            u"--station"_s,   u"K"_s,
            u"--port"_s,      QString::number(server.port()),
            u"--pub-port"_s,  QString::number(server.pubPort()),
            u"--register"_s,  QString::number(registrations),
            u"--drain"_s};
}

// Visit ids the driver printed as submitted (its local commit had returned).
QStringList submittedVisits(const QByteArray &output)
{
    QStringList visits;
    for (const QByteArray &line : output.split('\n')) {
        if (line.startsWith("submitted "))
            visits.append(QString::fromUtf8(line.split(' ').value(1)));
    }
    return visits;
}

} // namespace

void TestWorkstationCrash::killedMidSyncLosesAndDoublesNothing()
{
    ServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QTemporaryDir dir;
    const QString storePath = dir.filePath(u"desk-k.sqlite"_s);

    // First run: killed while it registers and syncs, with the server paused for the last of it.
    constexpr int kWhilePaused = 20;
    // Far more than it reaches before the kill, however fast the machine: with 400, a fast run registered them all
    // between two looks at its output (CI, 2026-12-03).
    constexpr int kRegistrations = 4000;
    QProcess first;
    first.setProcessChannelMode(QProcess::SeparateChannels);
    first.start(QStringLiteral(CLINICFLOW_STATION_DRIVER), driverArgs(server, storePath, kRegistrations));
    QVERIFY(first.waitForStarted());
    QByteArray output;
    QTRY_VERIFY_WITH_TIMEOUT((output += first.readAllStandardOutput(), submittedVisits(output).size() >= 150), 60000);
    QVERIFY2(server.pause(), qPrintable(server.errorString()));
    const qsizetype beforePause = submittedVisits(output).size();
    QTRY_VERIFY_WITH_TIMEOUT(
        (output += first.readAllStandardOutput(), submittedVisits(output).size() >= beforePause + kWhilePaused), 60000);
    first.kill();
    QVERIFY(first.waitForFinished());
    output += first.readAllStandardOutput();
    const QStringList beforeKill = submittedVisits(output);
    QVERIFY2(beforeKill.size() < kRegistrations, "the driver finished before it was killed: nothing was tested");
    {
        // What the kill interrupted: actions stored but not yet answered by the server.
        auto killed = client::LocalStore::open(storePath);
        QVERIFY2(killed, why(killed).constData());
        qInfo() << "killed with" << killed.value()->outbox().size() << "actions stored,"
                << killed.value()->unansweredCommands().size() << "of them unanswered";
        QVERIFY(killed.value()->outbox().size() >= beforeKill.size());
        QVERIFY2(killed.value()->unansweredCommands().size() >= kWhilePaused,
                 "actions stored while the server was paused were answered");
    }
    QVERIFY2(server.resume(), qPrintable(server.errorString()));

    // Second run on the same store: nothing new, only what the first left unanswered.
    QProcess second;
    second.start(QStringLiteral(CLINICFLOW_STATION_DRIVER), driverArgs(server, storePath, 0));
    QVERIFY(second.waitForFinished(60000));
    QVERIFY2(second.exitCode() == 0, second.readAllStandardError().constData());
    QVERIFY(second.readAllStandardOutput().startsWith("drained 0 "));

    // Every action that returned survived the kill, and each was applied exactly once.
    auto store = client::LocalStore::open(storePath);
    QVERIFY2(store, why(store).constData());
    const auto outbox = store.value()->outbox();
    QVERIFY(outbox.size() >= beforeKill.size());
    QSet<QString> inOutbox;
    for (const auto &entry : outbox) {
        QVERIFY(entry.state == client::OutboxState::Applied);
        inOutbox.insert(idString(entry.visitId));
    }
    for (const QString &visit : beforeKill)
        QVERIFY2(inOutbox.contains(visit), qPrintable(u"visit %1 was registered, then lost"_s.arg(visit)));

    TestStation probe;
    probe.connect(server.port());
    QVERIFY(probe.hello(u"OPS"_s, v1::ROLE_BOARD));
    const EventLogRead log = probe.fetchAllEvents();
    QVERIFY(log.ok);
    QCOMPARE(countEvents(log.events, "ReceptionRegistered"), int(outbox.size()));
    for (const auto &entry : outbox) {
        QCOMPARE(countCausedBy(log.events, entry.commandId), 1);
        QCOMPARE(countEvents(log.events, "ReceptionRegistered", entry.visitId), 1);
    }
    QVERIFY(server.terminate());
}

QTEST_GUILESS_MAIN(TestWorkstationCrash)
#include "TestWorkstationCrash.moc"
