// The examination room's screen with real widgets, offscreen, over a local store fed by the stand-in server: the
// queue follows the room's types, the selected request's details, perform with a result from the keyboard, cancel
// with a reason, a request withdrawn under the examiner's eyes, and refusals said in the notice line.
#include "domain/Diagnosis.h"
#include "models/ExaminerQueueModel.h"
#include "screens/common/Notice.h"
#include "screens/common/QueueView.h"
#include "screens/examiner/CancelExaminationDialog.h"
#include "screens/examiner/ExamTypesButton.h"
#include "screens/examiner/ExaminerScreen.h"
#include "screens/examiner/RequestPanel.h"
#include "station/Station.h"
#include "support/StoreHarness.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

// A morning at the X-ray room: two X-rays (the second for an urgent visit), a blood test and a CT.
struct Morning
{
    Morning()
        : f(u"XR1"_s)
        , station(f.store())
    {
        QVERIFY(f->setRole(Role::Examiner).ok());
        v1 = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
        v2 = registerElsewhere(server, u"A"_s, 2, startTime().addSecs(60), u"dr.lee"_s, Priority::Urgent);
        v3 = registerElsewhere(server, u"A"_s, 3, startTime().addSecs(120), u"dr.kim"_s);
        xray1 = prescribeElsewhere(server, v1, u"XRAY"_s, startTime().addSecs(600), u"left wrist, fall"_s);
        blood1 = prescribeElsewhere(server, v1, u"BLOOD"_s, startTime().addSecs(610));
        xray2 = prescribeElsewhere(server, v2, u"XRAY"_s, startTime().addSecs(900), u"chest PA, suspected pneumonia"_s);
        ct3 = prescribeElsewhere(server, v3, u"CT"_s, startTime().addSecs(950));
        xray3 = prescribeElsewhere(server, v3, u"XRAY"_s, startTime().addSecs(1000));
        catchUp(f, server);
        f.setNow(startTime().addSecs(1800));
    }
    StoreFixture f;
    FakeServer server;
    FixtureStation station;
    QUuid v1, v2, v3, xray1, blood1, xray2, ct3, xray3;
};

QUuid idAt(ExaminerScreen &screen, int row)
{
    return screen.queue()->model()->index(row, 0).data(ExaminerQueueModel::IdRole).toUuid();
}

QString label(ExaminerScreen &screen, const QString &name)
{
    auto *l = screen.findChild<QLabel *>(name);
    return l ? l->text() : u"<no %1>"_s.arg(name);
}

void showAndActivate(QWidget &w)
{
    w.resize(1400, 900);
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
}

} // namespace

class TestExaminerScreen : public QObject
{
    Q_OBJECT

private slots:
    void queueFollowsTheRoomsTypes();
    void detailsOfTheSelectedRequest();
    void performWithTheKeyboard();
    void blankResultIsSaidUnderTheField();
    void draftsFollowTheirRequest();
    void cancelWithAReason();
    void withdrawnRequestLeavesTheQueue();
    void withdrawnVisitWithTwoRequests();
    void refusalsSayWhy();
    void theHeadIsInHandUntilTheExaminerChooses();
};

void TestExaminerScreen::queueFollowsTheRoomsTypes()
{
    Morning m;
    ExaminerScreen screen(m.station, {u"XRAY"_s});
    QSignalSpy codes(&screen, &ExaminerScreen::codesChanged);
    QCOMPARE(screen.queue()->model()->rowCount(), 3);
    QCOMPARE(idAt(screen, 0), m.xray2); // urgent first, then the oldest
    QCOMPARE(idAt(screen, 1), m.xray1);
    QCOMPARE(idAt(screen, 2), m.xray3);
    QCOMPARE(screen.currentExamination(), m.xray2); // the head of the queue is in hand from the start
    QCOMPARE(screen.roleTitle(), u"Examinations: X-ray"_s);
    auto *types = screen.findChild<ExamTypesButton *>(u"examTypes"_s);
    QVERIFY(types);
    QVERIFY(types->text().contains(u"X-ray"_s));

    // The room also does CT: ticked in the Types menu.
    auto *ct = types->findChild<QAction *>(u"examType:CT"_s);
    QVERIFY(ct);
    QVERIFY(!ct->isChecked());
    ct->trigger();
    QCOMPARE(codes.count(), 1);
    QCOMPARE(codes.takeFirst().at(0).value<QSet<QString>>(), (QSet<QString>{u"XRAY"_s, u"CT"_s}));
    QCOMPARE(screen.codes(), (QSet<QString>{u"XRAY"_s, u"CT"_s}));
    QCOMPARE(screen.queue()->model()->rowCount(), 4);
    QVERIFY(screen.roleTitle().contains(u"X-ray"_s) && screen.roleTitle().contains(u"CT scan"_s));
    QCOMPARE(screen.currentExamination(), m.xray2); // still in hand after the queue was rebuilt

    auto *all = types->findChild<QAction *>(u"examType:*"_s);
    QVERIFY(all);
    all->trigger();
    QCOMPARE(codes.takeFirst().at(0).value<QSet<QString>>(), QSet<QString>());
    QCOMPARE(screen.queue()->model()->rowCount(), 5);
    QCOMPARE(screen.roleTitle(), u"Examinations: all types"_s);

    // Ticking in the open menu keeps it open, to tick several types in a row.
    QMenu *menu = types->menu();
    menu->popup(types->mapToGlobal(QPoint(0, types->height())));
    QVERIFY(QTest::qWaitForWindowExposed(menu));
    auto *blood = types->findChild<QAction *>(u"examType:BLOOD"_s);
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(blood).center());
    QVERIFY(blood->isChecked());
    QVERIFY(menu->isVisible());
    QCOMPARE(codes.takeFirst().at(0).value<QSet<QString>>(), QSet<QString>{u"BLOOD"_s});
    menu->hide();

    // From the app's settings: no signal back.
    screen.setCodes({u"MRI"_s});
    QCOMPARE(codes.count(), 0);
    QCOMPARE(screen.queue()->model()->rowCount(), 0);
    QVERIFY(screen.currentExamination().isNull());
    QVERIFY(screen.queue()->emptyText().contains(u"MRI"_s));
    QVERIFY(!screen.findChild<QPushButton *>(u"perform"_s)->isEnabled());
    QVERIFY(screen.findChild<QLabel *>(u"requestPlaceholder"_s)->isVisibleTo(&screen));
}

void TestExaminerScreen::detailsOfTheSelectedRequest()
{
    Morning m;
    ExaminerScreen screen(m.station, {u"XRAY"_s});
    showAndActivate(screen);
    QCOMPARE(label(screen, u"requestExamination"_s), u"X-ray"_s);
    QCOMPARE(label(screen, u"requestTicket"_s), u"A-002"_s);
    QCOMPARE(label(screen, u"requestPatient"_s), u"Patient A-2"_s);
    QVERIFY(label(screen, u"requestBirth"_s).contains(u"1980"_s));
    QVERIFY(label(screen, u"requestBirth"_s).contains(u"43 F"_s));
    QVERIFY(label(screen, u"requestDepartment"_s).contains(u"Internal medicine"_s));
    QVERIFY(label(screen, u"requestDepartment"_s).contains(u"Lee Seoyeon"_s));
    QVERIFY(label(screen, u"requestTime"_s).contains(u"14 min ago"_s)); // requested 09:15:10, now 09:30
    QCOMPARE(label(screen, u"requestNote"_s), u"chest PA, suspected pneumonia"_s);
    QVERIFY(screen.findChild<QLabel *>(u"requestUrgent"_s)->isVisible());
    // What the room may not see: the phone and the address the desk took.
    for (const QLabel *l : screen.details()->findChildren<QLabel *>()) {
        QVERIFY2(!l->text().contains(u"010-0000-0000"_s), qPrintable(l->objectName()));
        QVERIFY2(!l->text().contains(u"Test Road"_s), qPrintable(l->objectName()));
    }

    screen.queue()->selectRow(1); // the examiner clicks another request
    QCOMPARE(screen.currentExamination(), m.xray1);
    QCOMPARE(label(screen, u"requestTicket"_s), u"A-001"_s);
    QCOMPARE(label(screen, u"requestNote"_s), u"left wrist, fall"_s);
    QVERIFY(!screen.findChild<QLabel *>(u"requestUrgent"_s)->isVisible());
    screen.queue()->selectRow(2);
    QCOMPARE(label(screen, u"requestNote"_s), u"No note"_s);
}

void TestExaminerScreen::performWithTheKeyboard()
{
    Morning m;
    ExaminerScreen screen(m.station, {u"XRAY"_s});
    showAndActivate(screen);
    screen.focusFirst();
    QTRY_COMPARE(QApplication::focusWidget(), screen.resultField());
    QTest::keyClicks(screen.resultField(), u"Right lower lobe consolidation"_s);
    QTest::keyClick(screen.resultField(), Qt::Key_Return, Qt::ControlModifier);

    const auto x = m.f->examination(m.xray2);
    QCOMPARE(toString(x->status), toString(ExaminationStatus::Performed));
    QCOMPARE(x->result, u"Right lower lobe consolidation"_s);
    QCOMPARE(m.f->pendingCount(), 1);
    QCOMPARE(screen.queue()->model()->rowCount(), 2);
    QCOMPARE(screen.currentExamination(), m.xray1); // the next request, ready for its result
    QCOMPARE(label(screen, u"requestTicket"_s), u"A-001"_s);
    QVERIFY(screen.resultField()->toPlainText().isEmpty());
    QCOMPARE(QApplication::focusWidget(), screen.resultField());
    QVERIFY(screen.notice()->text().contains(u"performed"_s));
    QVERIFY(screen.notice()->text().contains(u"A-002"_s));

    // The keypad's Enter too, then the queue runs dry.
    QTest::keyClicks(screen.resultField(), u"No fracture"_s);
    QTest::keyClick(screen.resultField(), Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
    QCOMPARE(m.f->examination(m.xray1)->result, u"No fracture"_s);
    QCOMPARE(screen.currentExamination(), m.xray3);
    QTest::keyClicks(screen.resultField(), u"Normal"_s);
    QTest::mouseClick(screen.findChild<QPushButton *>(u"perform"_s), Qt::LeftButton);
    QCOMPARE(toString(m.f->examination(m.xray3)->status), toString(ExaminationStatus::Performed));
    QCOMPARE(screen.queue()->model()->rowCount(), 0);
    QVERIFY(screen.currentExamination().isNull());
    QVERIFY(screen.findChild<QLabel *>(u"requestPlaceholder"_s)->isVisible());

    m.server.sync(m.f.store()); // the server applies all three
    QCOMPARE(m.f->pendingCount(), 0);
    QVERIFY(m.f->conflicts().isEmpty());
}

void TestExaminerScreen::blankResultIsSaidUnderTheField()
{
    Morning m;
    ExaminerScreen screen(m.station, {u"XRAY"_s});
    showAndActivate(screen);
    screen.focusFirst();
    QTest::keyClicks(screen.resultField(), u"   "_s);
    QTest::keyClick(screen.resultField(), Qt::Key_Return, Qt::ControlModifier);
    auto *error = screen.findChild<QLabel *>(u"resultError"_s);
    QVERIFY(error->isVisible());
    QVERIFY(!error->text().isEmpty());
    QCOMPARE(m.f->pendingCount(), 0);
    QCOMPARE(screen.currentExamination(), m.xray2);
    QCOMPARE(QApplication::focusWidget(), screen.resultField());
    QTest::keyClicks(screen.resultField(), u"ok"_s); // typing clears the message
    QVERIFY(!error->isVisible());
}

void TestExaminerScreen::draftsFollowTheirRequest()
{
    Morning m;
    ExaminerScreen screen(m.station, {u"XRAY"_s});
    showAndActivate(screen);
    screen.focusFirst();
    QTest::keyClicks(screen.resultField(), u"half typed"_s);
    QTest::keyClick(screen.resultField(), Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(screen.currentExamination(), m.xray1);
    QVERIFY(screen.resultField()->toPlainText().isEmpty()); // never another patient's text
    QTest::keyClick(screen.resultField(), Qt::Key_Up, Qt::AltModifier);
    QCOMPARE(screen.currentExamination(), m.xray2);
    QCOMPARE(screen.resultField()->toPlainText(), u"half typed"_s);
    // Switching the language redraws the words, not the work in hand.
    QEvent languageChange(QEvent::LanguageChange);
    QCoreApplication::sendEvent(&screen, &languageChange);
    QCOMPARE(screen.currentExamination(), m.xray2);
    QCOMPARE(screen.resultField()->toPlainText(), u"half typed"_s);
    QCOMPARE(label(screen, u"requestTicket"_s), u"A-002"_s);
}

void TestExaminerScreen::cancelWithAReason()
{
    Morning m;
    ExaminerScreen screen(m.station, {u"XRAY"_s});
    showAndActivate(screen);
    // Changed her mind: Esc keeps the request.
    QTest::mouseClick(screen.findChild<QPushButton *>(u"cancelExamination"_s), Qt::LeftButton);
    auto *dialog = screen.findChild<CancelExaminationDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY(dialog->windowTitle().contains(u"A-002"_s));
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(!screen.findChild<CancelExaminationDialog *>());
    QCOMPARE(toString(m.f->examination(m.xray2)->status), toString(ExaminationStatus::Requested));

    // Ctrl+Delete, even from the result field; the reason is required before the dialog lets go.
    screen.activateWindow(); // the window manager's part, when the dialog has gone
    QVERIFY(QTest::qWaitForWindowActive(&screen));
    screen.focusFirst();
    QTest::keyClick(screen.resultField(), Qt::Key_Delete, Qt::ControlModifier);
    dialog = screen.findChild<CancelExaminationDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *confirm = dialog->findChild<QPushButton *>(u"confirmCancelExamination"_s);
    QVERIFY(!confirm->isEnabled());
    auto *reason = dialog->findChild<QComboBox *>(u"cancelExaminationReason"_s);
    QTest::keyClicks(reason, u"The patient is pregnant"_s); // the editable list passes the keys to its field
    QVERIFY(confirm->isEnabled());
    QTest::keyClick(reason->lineEdit(), Qt::Key_Return);
    QTRY_VERIFY(!screen.findChild<CancelExaminationDialog *>());

    const auto x = m.f->examination(m.xray2);
    QCOMPARE(toString(x->status), toString(ExaminationStatus::Cancelled));
    QCOMPARE(x->cancelReason, u"The patient is pregnant"_s);
    QCOMPARE(screen.currentExamination(), m.xray1);
    QVERIFY(screen.notice()->text().contains(u"cancelled"_s));
    screen.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&screen));
    QCOMPARE(QApplication::focusWidget(), screen.resultField()); // where the keyboard is once the dialog has gone
}

void TestExaminerScreen::withdrawnRequestLeavesTheQueue()
{
    Morning m;
    ExaminerScreen screen(m.station, {u"XRAY"_s});
    showAndActivate(screen);
    screen.focusFirst();
    QTest::keyClicks(screen.resultField(), u"started typing"_s);
    // The desk cancels visit A-002 while its X-ray is in hand: the saga withdraws it.
    m.server.act(CancelVisit{m.v2, u"went home"_s}, u"A"_s, startTime().addSecs(1700));
    catchUp(m.f, m.server);
    QCOMPARE(screen.queue()->model()->rowCount(), 2);
    QCOMPARE(screen.currentExamination(), m.xray1);
    QVERIFY(screen.resultField()->toPlainText().isEmpty());
    const QString notice = screen.notice()->text();
    QVERIFY2(notice.contains(u"A-002"_s) && notice.contains(u"the visit was cancelled"_s),
             qPrintable(notice + u" / "_s + screen.notice()->text()));

    // The doctor refuses A-003's treatment: a request not in hand leaves quietly.
    m.server.act(RefuseTreatment{diagnosis::idForVisit(m.v3), u"declined"_s}, u"DOC1"_s, startTime().addSecs(1750));
    catchUp(m.f, m.server);
    QCOMPARE(screen.queue()->model()->rowCount(), 1);
    QCOMPARE(screen.currentExamination(), m.xray1);
    QCOMPARE(screen.notice()->text(), notice);
}

// A visit with two requests in this room is cancelled while the first is in hand: the notice names that one (not the
// second, which the view steps over on its way out), and the next request of another visit is taken.
void TestExaminerScreen::withdrawnVisitWithTwoRequests()
{
    Morning m;
    ExaminerScreen screen(m.station, {}); // every type: A-001 has an X-ray and a blood test here
    QVERIFY(screen.queue()->selectValue(ExaminerQueueModel::IdRole, m.xray1));
    QCOMPARE(screen.currentExamination(), m.xray1);
    QCOMPARE(idAt(screen, 2), m.blood1);
    m.server.act(CancelVisit{m.v1, u"went home"_s}, u"A"_s, startTime().addSecs(1700));
    catchUp(m.f, m.server);
    QCOMPARE(screen.queue()->model()->rowCount(), 3);
    QCOMPARE(screen.currentExamination(), m.ct3);
    const QString notice = screen.notice()->text();
    QVERIFY2(notice.startsWith(u"X-ray for A-001"_s), qPrintable(notice));
}

void TestExaminerScreen::refusalsSayWhy()
{
    Morning m;
    ExaminerScreen screen(m.station, {u"XRAY"_s});
    showAndActivate(screen);

    // The other X-ray room performed A-002 first; this station has not heard yet, so it is stored here and the
    // server refuses it: the notice says so in the examiner's words.
    m.server.act(PerformExamination{m.xray2, u"done next door"_s}, u"XR2"_s, startTime().addSecs(1750));
    screen.focusFirst();
    QTest::keyClicks(screen.resultField(), u"mine"_s);
    QTest::keyClick(screen.resultField(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(m.f->pendingCount(), 1);
    m.server.sync(m.f.store());
    QCOMPARE(m.f->conflicts().size(), 1);
    QString notice = screen.notice()->text();
    QVERIFY2(notice.contains(u"A-002"_s) && notice.contains(u"already performed"_s), qPrintable(notice));
    QCOMPARE(screen.queue()->model()->rowCount(), 2); // and it does not come back: it is done

    // A cancellation asked for while the request was being withdrawn: refused at once, with the reason.
    QCOMPARE(screen.currentExamination(), m.xray1);
    QTest::mouseClick(screen.findChild<QPushButton *>(u"cancelExamination"_s), Qt::LeftButton);
    auto *dialog = screen.findChild<CancelExaminationDialog *>();
    QVERIFY(dialog);
    m.server.act(RefuseTreatment{diagnosis::idForVisit(m.v1), u"declined"_s}, u"DOC1"_s, startTime().addSecs(1790));
    catchUp(m.f, m.server);
    auto *reason = dialog->findChild<QComboBox *>(u"cancelExaminationReason"_s);
    reason->setCurrentIndex(0);
    dialog->accept();
    notice = screen.notice()->text();
    QVERIFY2(notice.contains(u"not cancelled"_s) && notice.contains(u"the treatment was refused"_s),
             qPrintable(notice));
    QCOMPARE(toString(m.f->examination(m.xray1)->status), toString(ExaminationStatus::Withdrawn));
}

// A room's station that starts mid-morning (a new one, or after a day off) catches up on requests made and done
// before it came: until the examiner chooses, the head of the queue is in hand, an urgent request that arrives on
// top included. Once they click a request, or type a result, what arrives never takes it from them.
void TestExaminerScreen::theHeadIsInHandUntilTheExaminerChooses()
{
    StoreFixture f(u"XR9"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    FixtureStation station(f.store());
    ExaminerScreen screen(station, {});
    showAndActivate(screen);
    QList<QUuid> requests;
    const auto prescribeFor = [&](int ticket, Priority priority) {
        const QDateTime at = startTime().addSecs(ticket * 60);
        const QUuid visit = registerElsewhere(server, u"A"_s, ticket, at, u"dr.kim"_s, priority);
        requests.append(prescribeElsewhere(server, visit, u"XRAY"_s, at.addSecs(600)));
        requests.append(prescribeElsewhere(server, visit, u"BLOOD"_s, at.addSecs(610)));
    };
    for (int n = 1; n <= 4; ++n)
        prescribeFor(n, Priority::Normal);
    catchUp(f, server);
    QCOMPARE(screen.currentExamination(), requests[0]);
    // In the room next door, on the same queue, the examiner starts typing the head's result.
    ExaminerScreen typing(station, {});
    showAndActivate(typing);
    QCOMPARE(typing.currentExamination(), requests[0]);
    typing.focusFirst();
    QTest::keyClicks(typing.resultField(), u"started"_s);

    // The morning goes on: an urgent visit's requests go on top.
    prescribeFor(5, Priority::Urgent);
    catchUp(f, server);
    QCOMPARE(screen.queue()->model()->rowCount(), 10);
    QCOMPARE(idAt(screen, 0), requests[8]);
    QCOMPARE(screen.currentExamination(), requests[8]);
    QCOMPARE(typing.currentExamination(), requests[0]);
    QCOMPARE(typing.resultField()->toPlainText(), u"started"_s);

    // The examiner clicks the third request; the head is done elsewhere and another urgent visit arrives: the one
    // clicked stays in hand.
    screen.queue()->selectRow(2);
    const QUuid clicked = screen.currentExamination();
    QCOMPARE(clicked, idAt(screen, 2));
    server.act(PerformExamination{requests[8], u"done"_s}, u"XR2"_s, startTime().addSecs(1500));
    prescribeFor(6, Priority::Urgent);
    catchUp(f, server);
    QCOMPARE(screen.currentExamination(), clicked);
    QCOMPARE(screen.queue()->model()->rowCount(), 11);
}

QTEST_MAIN(TestExaminerScreen)
#include "TestExaminerScreen.moc"
