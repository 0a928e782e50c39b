// The conflict (issue #4): two examiner stations, both offline, act on the same examination, one performing it and
// one cancelling it. After sync the server's order decides: one is applied, the other is rejected with the
// server's reason, its optimistic change is undone, and the conflict is there for its user to see.
#include "TestCommands.h"
#include "ViewReads.h"
#include "WorkstationHarness.h"
#include "store/LocalStore.h"
#include "support/OfflineDeadline.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::testsupport;
using client::ConnectionState;
using client::OutboxState;

class TestConflict : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void performAndCancelOfflineOneWins();
};

void TestConflict::performAndCancelOfflineOneWins()
{
    ServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    TestStation desk;
    desk.connect(server.port());
    QVERIFY(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST));
    TestStation doctor;
    doctor.connect(server.port());
    QVERIFY(doctor.hello(u"DK"_s, v1::ROLE_DOCTOR));
    const RegisterVisit visit = registerVisit(u"IM"_s, u"dr.kim"_s);
    QVERIFY(desk.submitAndWait(visit).applied);
    const QUuid examinationId = newId();
    // The saga assigns the doctor asynchronously: prescribe once the diagnosis exists.
    QVERIFY(pollRecord(server, u"diagnoses"_s, diagnosisOf(visit.receptionId), [](const QJsonObject &) {
                return true;
            }).ok);
    const Outcome prescribed = doctor.submitAndWait(prescribe(visit.receptionId, u"ECG"_s, examinationId));
    QVERIFY2(prescribed.applied, qPrintable(prescribed.describe()));

    QTemporaryDir dir;
    auto lab1 = openWorkstation(server, dir.filePath(u"lab1.sqlite"_s), u"L1"_s, Role::Examiner);
    auto lab2 = openWorkstation(server, dir.filePath(u"lab2.sqlite"_s), u"L2"_s, Role::Examiner);
    QVERIFY(lab1 && lab2);
    lab1->start();
    lab2->start();
    const auto requested = [examinationId](client::Workstation &lab) {
        const auto exam = lab.store().examination(examinationId);
        return exam && exam->status == ExaminationStatus::Requested;
    };
    QTRY_VERIFY_WITH_TIMEOUT(requested(*lab1) && requested(*lab2), 15000);

    // Both offline; each acts, and each screen shows its own action at once.
    QVERIFY(server.terminate());
    QTRY_VERIFY_WITH_TIMEOUT(lab1->state() == ConnectionState::Offline && lab2->state() == ConnectionState::Offline,
                             client::testing::offlineDeadlineMs());
    auto performed = lab1->store().submit(PerformExamination{examinationId, u"sinus rhythm"_s});
    QVERIFY2(performed, why(performed).constData());
    auto cancelled = lab2->store().submit(CancelExamination{examinationId, u"patient refused"_s});
    QVERIFY2(cancelled, why(cancelled).constData());
    QVERIFY(lab1->store().examination(examinationId)->status == ExaminationStatus::Performed);
    QVERIFY(lab2->store().examination(examinationId)->status == ExaminationStatus::Cancelled);
    QVERIFY(lab2->store().isPending(visit.receptionId));

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    TestStation probe;
    probe.connect(server.port());
    QVERIFY(probe.hello(u"OPS"_s, v1::ROLE_BOARD));
    const QString settled = waitConverged(probe, {lab1.get(), lab2.get()});
    QVERIFY2(settled.isEmpty(), qPrintable(settled));

    // The server's order decided: exactly one of the two was applied.
    const auto outcome = [](client::Workstation &lab) { return lab.store().outbox().value(0).state; };
    QCOMPARE(lab1->store().outbox().size(), 1);
    QCOMPARE(lab2->store().outbox().size(), 1);
    const bool performWon = outcome(*lab1) == OutboxState::Applied;
    client::Workstation &winner = performWon ? *lab1 : *lab2;
    client::Workstation &loser = performWon ? *lab2 : *lab1;
    QVERIFY(outcome(winner) == OutboxState::Applied);
    QVERIFY(outcome(loser) == OutboxState::Rejected);

    // The loser sees why, and its replica shows what really happened.
    const ExaminationStatus truth = performWon ? ExaminationStatus::Performed : ExaminationStatus::Cancelled;
    const ErrorCode reason =
        performWon ? ErrorCode::ExaminationAlreadyPerformed : ErrorCode::ExaminationAlreadyCancelled;
    const auto conflicts = loser.store().conflicts();
    QCOMPARE(conflicts.size(), 1);
    QVERIFY(conflicts.first().code == reason);
    QVERIFY(!conflicts.first().message.isEmpty());
    QCOMPARE(conflicts.first().ticket, visit.ticket.toString());
    QCOMPARE(conflicts.first().commandId, loser.store().outbox().first().commandId);
    QVERIFY(loser.store().examination(examinationId)->status == truth);
    QVERIFY(winner.store().examination(examinationId)->status == truth);
    QVERIFY(!loser.store().isPending(visit.receptionId));
    QVERIFY(winner.store().conflicts().isEmpty());
    QCOMPARE(loser.store().stateHash(), winner.store().stateHash());
    QString same = compareWithServerView(probe, loser);
    QVERIFY2(same.isEmpty(), qPrintable(same));

    const EventLogRead log = probe.fetchAllEvents();
    QVERIFY(log.ok);
    QCOMPARE(countForAggregate(log.events, "ExaminationPerformed", examinationId) +
                 countForAggregate(log.events, "ExaminationCancelled", examinationId),
             1);
    QCOMPARE(countEvents(log.events, "ResultsReady", visit.receptionId), 1);
}

QTEST_GUILESS_MAIN(TestConflict)
#include "TestConflict.moc"
