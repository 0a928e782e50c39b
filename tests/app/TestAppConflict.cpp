// Two examination rooms, both offline, act on the same examination: one performs it, the other cancels it (issue #10).
// After the server is back, exactly one action stands; the other room lists the conflict, with the server's reason
// in Korean (the stations run in Korean here), and its screen shows what really happened.
#include "AppHarness.h"
#include "models/ExaminerQueueModel.h"
#include "screens/common/ConflictsPanel.h"
#include "screens/common/ErrorText.h"
#include "screens/common/QueueView.h"
#include "screens/examiner/ExaminerScreen.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"
#include "support/OfflineDeadline.h"

#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::testsupport;

class TestAppConflict : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void twoRoomsOneExamination();

private:
    AppHarness m_harness;
};

void TestAppConflict::initTestCase()
{
    QVERIFY2(m_harness.startServer(), qPrintable(m_harness.error()));
}

void TestAppConflict::twoRoomsOneExamination()
{
    Application *desk = m_harness.open(domain::Role::Receptionist, u"A"_s, {}, u"ko"_s);
    Application *doctor = m_harness.open(domain::Role::Doctor, u"D1"_s, u"dr.kim"_s, u"ko"_s);
    Application *lab2 = m_harness.open(domain::Role::Examiner, u"L2"_s, {}, u"ko"_s);
    Application *lab3 = m_harness.open(domain::Role::Examiner, u"L3"_s, {}, u"ko"_s);
    QVERIFY2(desk && doctor && lab2 && lab3, qPrintable(m_harness.error()));
    for (Application *app : {desk, doctor, lab2, lab3})
        QVERIFY(AppHarness::waitSynced(app));

    // A visit with one examination requested, seen by both rooms.
    fillAndRegister(desk, {.name = u"김민준"_s, .complaint = u"기침"_s, .doctor = u"dr.kim"_s});
    const QUuid visit = desk->station()->store().outbox().last().visitId;
    const QUuid exam = domain::newId();
    QTRY_VERIFY_WITH_TIMEOUT(doctor->station()->store().diagnosisOfVisit(visit).has_value(), 15000);
    QVERIFY(doctor->station()->store().submit(
        domain::PrescribeExamination{domain::diagnosis::idForVisit(visit), exam, u"ECG"_s, {}}));
    QueueView *queue2 = lab2->window()->findChild<QueueView *>(u"examinationQueue"_s);
    QueueView *queue3 = lab3->window()->findChild<QueueView *>(u"examinationQueue"_s);
    QTRY_VERIFY_WITH_TIMEOUT(queue2->selectValue(ExaminerQueueModel::IdRole, exam), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(queue3->selectValue(ExaminerQueueModel::IdRole, exam), 15000);

    // The server goes away; each room acts on its own screen.
    QVERIFY2(m_harness.server().terminate(), qPrintable(m_harness.server().errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(lab2->station()->state() == ConnectionState::Offline &&
                                 lab3->station()->state() == ConnectionState::Offline,
                             client::testing::offlineDeadlineMs());
    auto *screen2 = lab2->window()->findChild<ExaminerScreen *>();
    QTRY_COMPARE(screen2->currentExamination(), exam);
    screen2->resultField()->setFocus();
    QTest::keyClicks(screen2->resultField(), u"sinus rhythm"_s);
    press(lab2, Qt::CTRL | Qt::Key_Return);
    QTRY_VERIFY(lab2->station()->store().examination(exam)->status == domain::ExaminationStatus::Performed);
    QTest::mouseClick(lab3->window()->findChild<QPushButton *>(u"cancelExamination"_s), Qt::LeftButton);
    QWidget *dialog = nullptr;
    QTRY_VERIFY((dialog = shownDialog(lab3, u"cancelExaminationDialog"_s)));
    QTest::keyClicks(dialog->findChild<QWidget *>(u"cancelExaminationReason"_s), u"patient refused"_s);
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"confirmCancelExamination"_s), Qt::LeftButton);
    QTRY_VERIFY(lab3->station()->store().examination(exam)->status == domain::ExaminationStatus::Cancelled);

    // The server returns: one action stands, the other room lists the conflict in Korean.
    QVERIFY2(m_harness.server().restart(), qPrintable(m_harness.server().errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(
        lab2->station()->store().pendingCount() == 0 && lab3->station()->store().pendingCount() == 0, 30000);
    ConflictsPanel *panel2 = lab2->window()->conflicts();
    ConflictsPanel *panel3 = lab3->window()->conflicts();
    QTRY_COMPARE_WITH_TIMEOUT(panel2->unacknowledged() + panel3->unacknowledged(), 1, 10000);
    const bool performedStood = panel3->unacknowledged() == 1;
    Application *loser = performedStood ? lab3 : lab2;
    ConflictsPanel *panel = performedStood ? panel3 : panel2;
    const domain::ErrorCode code = performedStood ? domain::ErrorCode::ExaminationAlreadyPerformed
                                                  : domain::ErrorCode::ExaminationAlreadyCancelled;
    const QString reason = ErrorText::sentence(code, {});
    QVERIFY2(!reason.startsWith(u"Examination"_s), qPrintable(u"not translated: "_s + reason));
    QCOMPARE(panel->lines().size(), 1);
    const QString line = panel->lines().front();
    QVERIFY2(line.contains(reason.left(6)), qPrintable(line + u" / "_s + reason));
    QVERIFY2(line.contains(u"A-001"_s), qPrintable(line));
    // Its screen shows what really happened: the examination has left the queue, in its real state. The rejection
    // comes as the answer to its command; the winner's events come through the status feed, or, when they were
    // published before its subscription was back, through the catch-up the next heartbeat (2 s) sets off.
    QTRY_COMPARE_WITH_TIMEOUT(domain::toString(loser->station()->store().examination(exam)->status),
                              performedStood ? u"performed"_s : u"cancelled"_s, 10000);
    QueueView *loserQueue = loser->window()->findChild<QueueView *>(u"examinationQueue"_s);
    QVERIFY(!loserQueue->selectValue(ExaminerQueueModel::IdRole, exam));
    QTRY_VERIFY(loser->window()->findChild<QWidget *>(u"conflictsDock"_s)->isVisible());
}

QTEST_MAIN(TestAppConflict)
#include "TestAppConflict.moc"
