// The patient's journey through the real windows of the four roles, against the real server (issue #10): the desk
// registers; the doctor sees the patient and prescribes two examinations; the examiner performs one and cancels the
// other; the doctor reviews and completes; the desk confirms. After every step the board shows the new state. Then
// the two other ends: the doctor refuses (the open examinations are withdrawn and leave the examiner's screen), and
// the desk cancels (the visit leaves the doctor's queue).
#include "AppHarness.h"
#include "models/DoctorQueueModel.h"
#include "models/ExaminerQueueModel.h"
#include "models/OutcomeConfirmationModel.h"
#include "models/StatusBoardModel.h"
#include "models/TodayVisitsModel.h"
#include "screens/common/QueueView.h"
#include "screens/common/StatusStyle.h"
#include "screens/doctor/DoctorScreen.h"
#include "screens/doctor/VisitPanel.h"
#include "screens/examiner/ExaminerScreen.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::testsupport;

namespace {

// The board's row of a visit: "the visit's state | examinations done/total".
QString boardState(Application *board, const QUuid &visit)
{
    auto *model = board->window()->findChild<StatusBoardModel *>();
    const int row = model ? model->rowOf(visit) : -1;
    if (row < 0)
        return u"(not on the board)"_s;
    const auto at = [&](int column) { return model->index(row, column).data().toString(); };
    return u"%1 | %2"_s.arg(at(StatusBoardModel::StatusColumn), at(StatusBoardModel::ExaminationsColumn));
}

QueueView *queueOf(Application *app, const QString &name)
{
    return app->window()->findChild<QueueView *>(name);
}

} // namespace

class TestAppJourney : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void wholeJourney();
    void refusalWithdrawsTheOpenExaminations();
    void cancelledVisitLeavesTheDoctorsQueue();
    void aLostSlipIsPrintedAgainFromItsRow();
    void aNewDoctorsWindowNamesThemFromTheServersRoster();

private:
    QUuid registerAtTheDesk(const QString &name);
    void openInDoctorsQueue(const QUuid &visit);
    void prescribeBloodAndXray(const QUuid &visit, QList<QUuid> &exams);
    void doctorAction(Qt::Key key, const QString &dialog, const QString &note = {});

    AppHarness m_harness;
    Application *m_desk = nullptr;
    Application *m_doctor = nullptr;
    Application *m_examiner = nullptr;
    Application *m_board = nullptr;
};

void TestAppJourney::initTestCase()
{
    QVERIFY2(m_harness.startServer(), qPrintable(m_harness.error()));
    m_desk = m_harness.open(domain::Role::Receptionist, u"A"_s);
    m_doctor = m_harness.open(domain::Role::Doctor, u"D1"_s, u"dr.kim"_s);
    m_examiner = m_harness.open(domain::Role::Examiner, u"L1"_s);
    m_board = m_harness.open(domain::Role::Board, u"B1"_s);
    QVERIFY2(m_desk && m_doctor && m_examiner && m_board, qPrintable(m_harness.error()));
    for (Application *app : {m_desk, m_doctor, m_examiner, m_board})
        QVERIFY(AppHarness::waitSynced(app));
    // Each window says which role, which station and which server it is.
    const QString server = u"tcp://127.0.0.1:%1"_s.arg(m_harness.server().port());
    QCOMPARE(m_desk->window()->windowTitle(), u"Front desk · station A · %1"_s.arg(server));
    QVERIFY(m_doctor->window()->windowTitle().contains(u"Kim Minjun"_s));
    QVERIFY(m_doctor->window()->windowTitle().contains(u"station D1"_s));
    QVERIFY(m_board->window()->windowTitle().contains(u"station B1 · "_s + server));
}

QUuid TestAppJourney::registerAtTheDesk(const QString &name)
{
    const int before = m_desk->station()->store().outbox().size();
    fillAndRegister(m_desk, {.name = name, .complaint = u"cough"_s, .doctor = u"dr.kim"_s});
    const auto outbox = m_desk->station()->store().outbox();
    if (outbox.size() != before + 1)
        return {};
    return outbox.last().visitId;
}

void TestAppJourney::openInDoctorsQueue(const QUuid &visit)
{
    QueueView *queue = queueOf(m_doctor, u"doctorQueue"_s);
    QVERIFY(queue);
    QTRY_VERIFY_WITH_TIMEOUT(queue->selectValue(DoctorQueueModel::VisitIdRole, visit), 15000);
    QTRY_COMPARE(m_doctor->window()->findChild<DoctorScreen *>()->panel()->visitId(), visit);
}

void TestAppJourney::prescribeBloodAndXray(const QUuid &visit, QList<QUuid> &exams)
{
    press(m_doctor, Qt::Key_F5);
    QWidget *dialog = nullptr;
    QTRY_VERIFY((dialog = shownDialog(m_doctor, u"prescribeDialog"_s)));
    auto *search = dialog->findChild<QLineEdit *>(u"examinationSearch"_s);
    QTest::keyClicks(search, u"blood"_s);
    QTest::keyClick(search, Qt::Key_Return);
    QTest::keyClicks(search, u"xr"_s);
    QTest::keyClick(search, Qt::Key_Return);
    press(m_doctor, Qt::CTRL | Qt::Key_Return);
    QTRY_VERIFY(!shownDialog(m_doctor, u"prescribeDialog"_s));
    exams.clear();
    if (const auto diagnosis = m_doctor->station()->store().diagnosisOfVisit(visit)) {
        for (const auto &p : diagnosis->prescriptions)
            exams.append(p.examinationId);
    }
}

void TestAppJourney::doctorAction(Qt::Key key, const QString &dialogName, const QString &note)
{
    press(m_doctor, key);
    QWidget *dialog = nullptr;
    QTRY_VERIFY((dialog = shownDialog(m_doctor, dialogName)));
    if (!note.isEmpty())
        QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(u"outcomeNote"_s), note);
    press(m_doctor, Qt::CTRL | Qt::Key_Return);
    QTRY_VERIFY(!shownDialog(m_doctor, dialogName));
}

void TestAppJourney::wholeJourney()
{
    // The desk registers; the board shows the patient waiting for the doctor.
    const QUuid visit = registerAtTheDesk(u"김민준"_s);
    QVERIFY(!visit.isNull());
    QTRY_COMPARE_WITH_TIMEOUT(boardState(m_board, visit), u"Waiting for the doctor | "_s, 15000);

    // The doctor sees the patient and prescribes a blood test and an X-ray.
    openInDoctorsQueue(visit);
    QList<QUuid> exams;
    prescribeBloodAndXray(visit, exams);
    QCOMPARE(exams.size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(boardState(m_board, visit), u"At examinations | 0/2"_s, 15000);

    // The examiner performs the blood test with a result, and cancels the X-ray with a reason.
    auto *examiner = m_examiner->window()->findChild<ExaminerScreen *>();
    QueueView *lab = queueOf(m_examiner, u"examinationQueue"_s);
    QTRY_VERIFY_WITH_TIMEOUT(lab->selectValue(ExaminerQueueModel::IdRole, exams[0]), 15000);
    QTRY_COMPARE(examiner->currentExamination(), exams[0]);
    examiner->resultField()->setFocus();
    QTest::keyClicks(examiner->resultField(), u"Hb 13.8 g/dL"_s);
    press(m_examiner, Qt::CTRL | Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(boardState(m_board, visit), u"At examinations | 1/2"_s, 15000);
    QTRY_VERIFY(lab->selectValue(ExaminerQueueModel::IdRole, exams[1]));
    QTest::mouseClick(m_examiner->window()->findChild<QPushButton *>(u"cancelExamination"_s), Qt::LeftButton);
    QWidget *cancel = nullptr;
    QTRY_VERIFY((cancel = shownDialog(m_examiner, u"cancelExaminationDialog"_s)));
    QTest::keyClicks(cancel->findChild<QWidget *>(u"cancelExaminationReason"_s), u"machine out of order"_s);
    QTest::mouseClick(cancel->findChild<QPushButton *>(u"confirmCancelExamination"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(boardState(m_board, visit), u"Results ready for the doctor | 2/2"_s, 15000);
    QTRY_COMPARE(lab->model()->rowCount(), 0);

    // The doctor reviews, then completes.
    QTRY_VERIFY_WITH_TIMEOUT(m_doctor->window()->findChild<QPushButton *>(u"review"_s)->isEnabled(), 15000);
    doctorAction(Qt::Key_F6, u"reviewDialog"_s, u"normal"_s);
    QTRY_COMPARE_WITH_TIMEOUT(boardState(m_board, visit), u"Results reviewed | 2/2"_s, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(m_doctor->window()->findChild<QPushButton *>(u"complete"_s)->isEnabled(), 15000);
    doctorAction(Qt::Key_F7, u"completeDialog"_s, u"rest and fluids"_s);
    QTRY_COMPARE_WITH_TIMEOUT(boardState(m_board, visit), u"Treatment completed | 2/2"_s, 15000);

    // The desk's tab of visits to confirm stands out in green while one waits, whichever tab is open.
    QueueView *toConfirm = queueOf(m_desk, u"confirmations"_s);
    QTabBar *deskTabs = m_desk->window()->findChild<QTabWidget *>(u"deskTabs"_s)->tabBar();
    QTRY_COMPARE_WITH_TIMEOUT(toConfirm->model()->rowCount(), 1, 15000);
    QCOMPARE(deskTabs->tabTextColor(1), StatusStyle::colour(StatusTone::Completed));
    QVERIFY2(!deskTabs->tabTextColor(0).isValid(), "today's visits keep the usual colour");

    // The desk goes to the visits to confirm (F3), and confirms this one with Enter: the visit is closed.
    press(m_desk, Qt::Key_F3);
    QTRY_VERIFY(toConfirm->isVisible() && toConfirm->hasFocus());
    QTRY_VERIFY_WITH_TIMEOUT(toConfirm->selectValue(OutcomeConfirmationModel::IdRole, visit), 15000);
    press(m_desk, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(boardState(m_board, visit), u"Closed: treatment completed | 2/2"_s, 15000);
    QTRY_COMPARE(toConfirm->model()->rowCount(), 0);
    QVERIFY2(!deskTabs->tabTextColor(1).isValid(), "nothing left to confirm: the tab is as the others");
    for (Application *app : {m_desk, m_doctor, m_examiner})
        QTRY_COMPARE_WITH_TIMEOUT(app->station()->store().pendingCount(), 0, 15000);
}

void TestAppJourney::refusalWithdrawsTheOpenExaminations()
{
    const QUuid visit = registerAtTheDesk(u"이서연"_s);
    QVERIFY(!visit.isNull());
    openInDoctorsQueue(visit);
    QList<QUuid> exams;
    prescribeBloodAndXray(visit, exams);
    QCOMPARE(exams.size(), 2);
    QueueView *lab = queueOf(m_examiner, u"examinationQueue"_s);
    QTRY_VERIFY_WITH_TIMEOUT(lab->selectValue(ExaminerQueueModel::IdRole, exams[1]), 15000);

    // Refusing says which examinations will be withdrawn, and asks for a reason.
    press(m_doctor, Qt::Key_F8);
    QWidget *refuse = nullptr;
    QTRY_VERIFY((refuse = shownDialog(m_doctor, u"refuseDialog"_s)));
    const QString withdrawn = refuse->findChild<QWidget *>(u"withdrawnExaminations"_s)->property("text").toString();
    QVERIFY2(withdrawn.contains(u"Blood test"_s) && withdrawn.contains(u"X-ray"_s), qPrintable(withdrawn));
    QTest::keyClicks(refuse->findChild<QPlainTextEdit *>(u"outcomeNote"_s), u"the patient declined"_s);
    press(m_doctor, Qt::CTRL | Qt::Key_Return);
    QTRY_VERIFY(!shownDialog(m_doctor, u"refuseDialog"_s));

    // Both leave the examiner's screen; the board and the desk see the refusal.
    QTRY_VERIFY_WITH_TIMEOUT(!lab->selectValue(ExaminerQueueModel::IdRole, exams[0]) &&
                                 !lab->selectValue(ExaminerQueueModel::IdRole, exams[1]),
                             15000);
    QTRY_COMPARE_WITH_TIMEOUT(boardState(m_board, visit), u"Treatment refused | 0/0"_s, 15000);
    QueueView *toConfirm = queueOf(m_desk, u"confirmations"_s);
    QTRY_COMPARE_WITH_TIMEOUT(toConfirm->model()->rowCount(), 1, 15000);
    // The receptionist clicks the tab: the visit is selected, with the doctor's reason to tell the patient.
    auto *tabs = m_desk->window()->findChild<QTabWidget *>(u"deskTabs"_s);
    QVERIFY(tabs);
    tabs->setCurrentIndex(0); // back at today's visits, nothing chosen among the outcomes
    toConfirm->setCurrentIndex({});
    QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(1).center());
    QCOMPARE(tabs->currentIndex(), 1);
    QCOMPARE(toConfirm->currentValue(OutcomeConfirmationModel::IdRole).toUuid(), visit);
    QCOMPARE(toConfirm->model()->index(0, OutcomeConfirmationModel::NoteColumn).data().toString(),
             u"the patient declined"_s);
}

void TestAppJourney::cancelledVisitLeavesTheDoctorsQueue()
{
    const QUuid visit = registerAtTheDesk(u"박지호"_s);
    QVERIFY(!visit.isNull());
    openInDoctorsQueue(visit);

    // The desk cancels it, with a reason, after confirming.
    QueueView *visits = queueOf(m_desk, u"todayVisits"_s);
    QTRY_VERIFY(visits->selectValue(TodayVisitsModel::IdRole, visit));
    QTest::mouseClick(m_desk->window()->findChild<QPushButton *>(u"cancelVisit"_s), Qt::LeftButton);
    QWidget *dialog = nullptr;
    QTRY_VERIFY((dialog = shownDialog(m_desk, u"cancelVisitDialog"_s)));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"cancelReason"_s), u"left before the doctor"_s);
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"confirmCancelVisit"_s), Qt::LeftButton);

    QueueView *queue = queueOf(m_doctor, u"doctorQueue"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        queue->model() &&
            [&] {
                for (int r = 0; r < queue->model()->rowCount(); ++r) {
                    if (queue->model()->index(r, 0).data(DoctorQueueModel::VisitIdRole).toUuid() == visit)
                        return false;
                }
                return true;
            }(),
        15000);
    QTRY_COMPARE_WITH_TIMEOUT(boardState(m_board, visit), u"Cancelled | "_s, 15000);
}

// A patient lost the slip: the receptionist selects the visit in today's list, and the ticket panel shows that visit's
// ticket, to print again; the one just registered goes back to the panel when its row is selected.
void TestAppJourney::aLostSlipIsPrintedAgainFromItsRow()
{
    const QUuid earlier = registerAtTheDesk(u"최하윤"_s);
    const QUuid latest = registerAtTheDesk(u"정도현"_s);
    QVERIFY(!earlier.isNull() && !latest.isNull());
    QWidget *window = m_desk->window();
    const auto ticketOf = [this](const QUuid &visit) { return m_desk->station()->store().visit(visit)->ticket; };
    auto *ticket = window->findChild<QLabel *>(u"ticketNumber"_s);
    auto *caption = window->findChild<QLabel *>(u"ticketCaption"_s);
    auto *print = window->findChild<QPushButton *>(u"printTicket"_s);
    QVERIFY(ticket && caption && print);
    QCOMPARE(ticket->text(), ticketOf(latest));
    QVERIFY2(caption->text().startsWith(u"Registered"_s), qPrintable(caption->text()));

    QueueView *visits = queueOf(m_desk, u"todayVisits"_s);
    QVERIFY(visits->selectValue(TodayVisitsModel::IdRole, earlier));
    QCOMPARE(ticket->text(), ticketOf(earlier));
    QCOMPARE(caption->text(), u"Ticket of the selected visit"_s);
    QVERIFY(print->isEnabled());
    QVERIFY(visits->selectValue(TodayVisitsModel::IdRole, latest));
    QCOMPARE(ticket->text(), ticketOf(latest));
}

// A new station knows only the built-in roster until the server's arrives: the window's title (the doctor's name in
// the task bar) follows it, as the screen does, on a Korean clinic's server.
void TestAppJourney::aNewDoctorsWindowNamesThemFromTheServersRoster()
{
    AppHarness korean;
    QVERIFY2(korean.startServer({u"--roster"_s, QStringLiteral(CLINICFLOW_ROSTER_KO)}), qPrintable(korean.error()));
    Application *doctor = korean.open(domain::Role::Doctor, u"D9"_s, u"dr.kim"_s, u"ko"_s);
    QVERIFY2(doctor, qPrintable(korean.error()));
    QVERIFY(AppHarness::waitSynced(doctor));
    QTRY_VERIFY2(doctor->window()->windowTitle().contains(u"김민준"_s), qPrintable(doctor->window()->windowTitle()));
    QVERIFY(!doctor->window()->windowTitle().contains(u"Kim Minjun"_s));
}

QTEST_MAIN(TestAppJourney)
#include "TestAppJourney.moc"
