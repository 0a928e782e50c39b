// The doctor's screen with real widgets, offscreen, over a local store fed by the stand-in server (the shared rules
// and saga): a morning's queue in several stages, driven from the keyboard as a doctor would, through the dialogs,
// with the server's confirmations, the examiners' results and the desk's cancellation arriving live.
#include "models/DoctorQueueModel.h"
#include "screens/common/Notice.h"
#include "screens/common/QueueView.h"
#include "screens/doctor/DoctorScreen.h"
#include "screens/doctor/HandOverDialog.h"
#include "screens/doctor/OutcomeDialog.h"
#include "screens/doctor/PrescribeDialog.h"
#include "screens/doctor/VisitPanel.h"
#include "station/Station.h"
#include "support/DomainFixtures.h"
#include "support/StoreHarness.h"

#include <QApplication>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

QList<QWidget *> checklistRows(const VisitPanel *panel)
{
    return panel->findChildren<QWidget *>(u"examinationRow"_s);
}

// Whether every pixel the icon draws is white: the accent button's icon, white like its text.
bool drawnWhite(const QIcon &icon)
{
    const QImage image = icon.pixmap(QSize(16, 16)).toImage().convertToFormat(QImage::Format_ARGB32);
    int drawn = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() < 32)
                continue;
            ++drawn;
            if (c.red() < 250 || c.green() < 250 || c.blue() < 250)
                return false;
        }
    }
    return drawn > 0;
}

} // namespace

class TestDoctorScreen : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void aMorningInTheConsultationRoom();
    void emptyQueue();
    void rejectedOutcomeComesBack();
    void handOverToAColleague();
    void cancelledExaminationsCanBePrescribedAgain();

private:
    QString text(const char *name) const { return screen->findChild<QLabel *>(QString::fromLatin1(name))->text(); }
    QPushButton *button(const char *name) const { return screen->findChild<QPushButton *>(QString::fromLatin1(name)); }
    QUuid openVisit() const { return screen->panel()->visitId(); }
    // A key as the user types it, to the focused widget of the window that has the input: the open dialog, else the
    // screen. The offscreen platform activates neither when a dialog opens or closes, as a window manager would.
    void press(QKeyCombination keys)
    {
        QWidget *window = QApplication::activeModalWidget() ? QApplication::activeModalWidget() : screen.get();
        if (QApplication::activeWindow() != window)
            QApplication::setActiveWindow(window);
        QWidget *target = QApplication::focusWidget() ? QApplication::focusWidget() : window;
        QTest::keyClick(target, keys.key(), keys.keyboardModifiers());
    }
    template<typename Dialog>
    Dialog *shown() const
    {
        auto *dialog = screen->findChild<Dialog *>();
        return dialog && dialog->isVisible() ? dialog : nullptr;
    }

    std::unique_ptr<StoreFixture> f;
    std::unique_ptr<FakeServer> server;
    std::unique_ptr<FixtureStation> station;
    std::unique_ptr<DoctorScreen> screen;
};

void TestDoctorScreen::init()
{
    f = std::make_unique<StoreFixture>(u"DOC1"_s);
    QVERIFY((*f)->setRole(Role::Doctor).ok());
    server = std::make_unique<FakeServer>();
    station = std::make_unique<FixtureStation>(f->store());
}

void TestDoctorScreen::cleanup()
{
    screen.reset();
    station.reset();
    server.reset();
    f.reset();
}

void TestDoctorScreen::aMorningInTheConsultationRoom()
{
    // Four of dr.kim's patients in three stages, and one of dr.lee's.
    const QDateTime t0 = startTime();
    const QUuid v1 = registerElsewhere(*server, u"A"_s, 1, t0, u"dr.kim"_s);
    const QUuid v2 = registerElsewhere(*server, u"A"_s, 2, t0.addSecs(300), u"dr.kim"_s, Priority::Urgent);
    const QUuid v3 = registerElsewhere(*server, u"A"_s, 3, t0.addSecs(60), u"dr.kim"_s);
    const QUuid v4 = registerElsewhere(*server, u"A"_s, 4, t0.addSecs(120), u"dr.kim"_s);
    registerElsewhere(*server, u"A"_s, 5, t0.addSecs(180), u"dr.lee"_s);
    prescribeElsewhere(*server, v3, u"BLOOD"_s, t0.addSecs(600));
    const QUuid ecg = prescribeElsewhere(*server, v4, u"ECG"_s, t0.addSecs(660));
    server->act(PerformExamination{ecg, u"sinus rhythm"_s}, u"LAB1"_s, t0.addSecs(900));
    catchUp(*f, *server);
    f->setNow(t0.addSecs(30 * 60));

    screen = std::make_unique<DoctorScreen>(*station, u"dr.kim"_s);
    screen->resize(1400, 900);
    screen->show();
    QApplication::setActiveWindow(screen.get());
    QVERIFY(QTest::qWaitForWindowActive(screen.get()));
    QCOMPARE(screen->roleTitle(), u"Consultation: Kim Minjun"_s);
    QCOMPARE(text("doctorName"), u"Kim Minjun · Internal medicine"_s);

    // Waiting first (urgent before), then results ready, then at the examinations; with the counts above.
    DoctorQueueModel *model = screen->queueModel();
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(model->visitAt(0), v2);
    QCOMPARE(model->visitAt(1), v1);
    QCOMPARE(model->visitAt(2), v4);
    QCOMPARE(model->visitAt(3), v3);
    QCOMPARE(text("countWaiting"), u"Waiting 2"_s);
    QCOMPARE(text("countResults"), u"Results ready 1"_s);
    QCOMPARE(text("countExaminations"), u"At examinations 1"_s);
    QVERIFY(button("prescribe")->text().endsWith(u"F5"_s));

    // The keyboard starts in the queue, on the next patient; Down opens the one after.
    screen->focusFirst(); // as the window does when it opens
    QCOMPARE(QApplication::focusWidget(), screen->queue());
    QCOMPARE(openVisit(), v2);
    QCOMPARE(screen->queue()->currentValue(DoctorQueueModel::VisitIdRole).toUuid(), v2);
    QVERIFY(screen->findChild<QLabel *>(u"visitUrgent"_s)->isVisible());
    press(Qt::Key_Down);
    QCOMPARE(openVisit(), v1);
    QCOMPARE(text("visitTicket"), u"A-001"_s);
    QCOMPARE(text("visitPatient"), u"Patient A-1"_s);
    QCOMPARE(text("visitComplaint"), u"persistent cough"_s);
    QVERIFY(!screen->findChild<QLabel *>(u"visitUrgent"_s)->isVisible());
    QVERIFY(button("prescribe")->isEnabled());
    QVERIFY(!button("review")->isEnabled());
    QVERIFY(button("complete")->isEnabled()); // no examination needed is a choice too
    QVERIFY(button("refuse")->isEnabled());
    QCOMPARE(button("prescribe")->property("primary").toBool(), true);
    QVERIFY(drawnWhite(button("prescribe")->icon()));
    QVERIFY(!drawnWhite(button("complete")->icon())); // the others keep their colours
    QVERIFY(text("nextStep").startsWith(u"New patient"_s));

    // A new patient arrives above: the open visit and the selection stay where they are.
    const QUuid v6 = registerElsewhere(*server, u"A"_s, 6, t0.addSecs(20), u"dr.kim"_s, Priority::Urgent);
    catchUp(*f, *server);
    QCOMPARE(model->visitAt(0), v6);
    QCOMPARE(screen->queue()->currentValue(DoctorQueueModel::VisitIdRole).toUuid(), v1);
    QCOMPARE(openVisit(), v1);

    // Prescribe two examinations through the dialog, from the keyboard.
    press(Qt::Key_F5);
    QTRY_VERIFY(shown<PrescribeDialog>());
    auto *prescribe = shown<PrescribeDialog>();
    auto *search = prescribe->findChild<QLineEdit *>(u"examinationSearch"_s);
    QTRY_COMPARE(QApplication::focusWidget(), search);
    QTest::keyClicks(search, u"blood"_s);
    QTest::keyClick(search, Qt::Key_Return); // ticks the match, and the next typing replaces the search
    QTest::keyClicks(search, u"xr"_s);
    QTest::keyClick(search, Qt::Key_Return);
    QCOMPARE(prescribe->codes(), (QStringList{u"BLOOD"_s, u"XRAY"_s}));
    QVERIFY(prescribe->findChild<QPushButton *>(u"confirmPrescribe"_s)->text().startsWith(u"Prescribe 2 "_s));
    // The key named as the keyboard and the other screens name it, never Qt's "Return".
    QVERIFY2(prescribe->findChild<QPushButton *>(u"confirmPrescribe"_s)->text().endsWith(u"Ctrl+Enter"_s),
             qPrintable(prescribe->findChild<QPushButton *>(u"confirmPrescribe"_s)->text()));
    QTest::keyClicks(prescribe->findChild<QLineEdit *>(u"prescriptionNote"_s), u"fasting"_s);
    press(Qt::CTRL | Qt::Key_Return);
    QTRY_VERIFY(!screen->findChild<PrescribeDialog *>());

    // Shown at once, pending; the patient moves to the examinations' stage, still open and selected.
    QList<QWidget *> rows = checklistRows(screen->panel());
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0]->property("code").toString(), u"BLOOD"_s);
    QCOMPARE(rows[1]->property("code").toString(), u"XRAY"_s);
    QVERIFY(rows[0]->property("pending").toBool());
    QVERIFY(rows[1]->property("pending").toBool());
    QCOMPARE(rows[0]->findChild<QLabel *>(u"examinationNote"_s)->text(), u"Note: fasting"_s);
    QCOMPARE(model->visitAt(3), v1); // at the examinations, before A-003 who came later
    QCOMPARE(screen->queue()->currentValue(DoctorQueueModel::VisitIdRole).toUuid(), v1);
    QCOMPARE(text("countExaminations"), u"At examinations 2"_s);
    QVERIFY(screen->findChild<QLabel *>(u"notice"_s)->text().contains(u"prescribed for Patient A-1 (A-001)"_s));
    QVERIFY(screen->findChild<QWidget *>(u"visitPending"_s)->isVisible());
    QVERIFY(!button("review")->isEnabled());
    QVERIFY(!button("complete")->isEnabled());

    server->sync(f->store()); // the server confirms
    rows = checklistRows(screen->panel());
    QCOMPARE(rows.size(), 2);
    QVERIFY(!rows[0]->property("pending").toBool());
    QVERIFY(!rows[1]->property("pending").toBool());
    QVERIFY(!screen->findChild<QWidget *>(u"visitPending"_s)->isVisible());

    // Review is not possible yet, and F6 says why.
    press(Qt::Key_F6);
    QVERIFY(!screen->findChild<OutcomeDialog *>());
    QVERIFY(screen->findChild<QLabel *>(u"notice"_s)->text().contains(u"Examinations are still pending"_s));

    // The lab sends both results: review becomes the next action, then completion.
    const auto d1 = f->store().diagnosisOfVisit(v1);
    server->act(PerformExamination{d1->prescriptions[0].examinationId, u"Hb 13.2 g/dL"_s}, u"LAB1"_s,
                t0.addSecs(40 * 60));
    server->act(PerformExamination{d1->prescriptions[1].examinationId, u"clear lungs"_s}, u"LAB2"_s,
                t0.addSecs(45 * 60));
    catchUp(*f, *server);
    rows = checklistRows(screen->panel());
    QCOMPARE(rows[0]->property("status").toString(), u"performed"_s);
    QCOMPARE(rows[0]->findChild<QLabel *>(u"examinationResult"_s)->text(), u"Hb 13.2 g/dL"_s);
    QCOMPARE(rows[1]->findChild<QLabel *>(u"examinationResult"_s)->text(), u"clear lungs"_s);
    QVERIFY(button("review")->isEnabled());
    QVERIFY(!button("complete")->isEnabled());
    QCOMPARE(button("review")->property("primary").toBool(), true);
    QVERIFY(drawnWhite(button("review")->icon()));
    QVERIFY(!drawnWhite(button("prescribe")->icon())); // no longer the accent: its own colours again

    press(Qt::Key_F6);
    QTRY_VERIFY(shown<OutcomeDialog>());
    auto *review = shown<OutcomeDialog>();
    QCOMPARE(review->objectName(), u"reviewDialog"_s);
    // The review closes the prescriptions (the rules refuse one after it): the dialog says so before, and the
    // screen offers only what the rules allow after.
    const QString reviewText = [review] {
        QStringList texts;
        for (const QLabel *label : review->findChildren<QLabel *>())
            texts.append(label->text());
        return texts.join(u' ');
    }();
    QVERIFY2(reviewText.contains(u"No more examinations can be prescribed"_s), qPrintable(reviewText));
    QVERIFY(review->findChild<QPushButton *>(u"confirmOutcomeDialog"_s)->text().endsWith(u"Ctrl+Enter"_s));
    QTest::keyClicks(review->findChild<QPlainTextEdit *>(u"outcomeNote"_s), u"no anaemia"_s);
    press(Qt::CTRL | Qt::Key_Return);
    QTRY_VERIFY(!screen->findChild<OutcomeDialog *>());
    QCOMPARE_NAMED(f->store().diagnosisOfVisit(v1)->status, DiagnosisStatus::Reviewed);
    QVERIFY(button("complete")->isEnabled());
    QVERIFY(!button("review")->isEnabled());
    QCOMPARE(button("complete")->property("primary").toBool(), true);
    QVERIFY(!button("prescribe")->isEnabled());
    QVERIFY2(!text("nextStep").contains(u"prescribe"_s, Qt::CaseInsensitive), qPrintable(text("nextStep")));
    QVERIFY2(text("nextStep").contains(u"complete the treatment"_s), qPrintable(text("nextStep")));
    QVERIFY(text("visitNotes").contains(u"no anaemia"_s));

    // Refusing A-003 names the examination it withdraws; the reason is required.
    QVERIFY(screen->queue()->selectValue(DoctorQueueModel::VisitIdRole, v3));
    screen->queue()->setFocus();
    QCOMPARE(openVisit(), v3);
    press(Qt::Key_F8);
    QTRY_VERIFY(shown<OutcomeDialog>());
    auto *refuse = shown<OutcomeDialog>();
    QCOMPARE(refuse->objectName(), u"refuseDialog"_s);
    QVERIFY(refuse->findChild<QLabel *>(u"withdrawnExaminations"_s)->text().contains(u"Blood test"_s));
    auto *confirmRefusal = refuse->findChild<QPushButton *>(u"confirmOutcomeDialog"_s);
    QVERIFY(!confirmRefusal->isEnabled());
    QTest::keyClicks(refuse->findChild<QPlainTextEdit *>(u"outcomeNote"_s), u"declined the blood test"_s);
    QVERIFY(confirmRefusal->isEnabled());
    press(Qt::CTRL | Qt::Key_Return);
    QTRY_VERIFY(!screen->findChild<OutcomeDialog *>());
    // It leaves the queue; the panel stays on it and says so, and nothing else is selected in its place.
    QCOMPARE(model->rowOf(v3), -1);
    QCOMPARE(openVisit(), v3);
    QCOMPARE(text("visitTicket"), u"A-003"_s);
    QVERIFY(screen->findChild<QLabel *>(u"visitGone"_s)->isVisible());
    QVERIFY(text("visitGone").contains(u"Treatment refused"_s));
    QVERIFY(!screen->queue()->currentValue(DoctorQueueModel::VisitIdRole).isValid());
    for (const char *name : {"prescribe", "review", "complete", "refuse"})
        QVERIFY2(!button(name)->isEnabled(), name);

    // Complete A-001, chosen from the keyboard.
    press(Qt::Key_F2); // nothing selected: the first row
    QCOMPARE(openVisit(), v6);
    while (openVisit() != v1 && screen->queue()->currentIndex().row() < model->rowCount() - 1)
        press(Qt::Key_Down);
    QCOMPARE(openVisit(), v1);
    press(Qt::Key_F7);
    QTRY_VERIFY(shown<OutcomeDialog>());
    auto *complete = shown<OutcomeDialog>();
    QCOMPARE(complete->objectName(), u"completeDialog"_s);
    press(Qt::CTRL | Qt::Key_Return);
    QTRY_VERIFY(!screen->findChild<OutcomeDialog *>());
    QVERIFY(text("visitGone").contains(u"Treatment completed"_s));
    server->sync(f->store());
    QCOMPARE_NAMED(f->store().visit(v1)->receptionStatus, ReceptionStatus::TreatmentCompleted);

    // The desk cancels the urgent patient the doctor has open.
    press(Qt::Key_F2);
    QCOMPARE(openVisit(), v6);
    server->act(CancelVisit{v6, u"went to the ER"_s}, u"A"_s, t0.addSecs(50 * 60));
    catchUp(*f, *server);
    QCOMPARE(model->rowOf(v6), -1);
    QCOMPARE(openVisit(), v6);
    QVERIFY(screen->findChild<QLabel *>(u"visitGone"_s)->isVisible());
    QVERIFY(text("visitGone").contains(u"The desk cancelled this visit (went to the ER)"_s));
    QVERIFY(!screen->queue()->currentValue(DoctorQueueModel::VisitIdRole).isValid());
    QCOMPARE(text("countWaiting"), u"Waiting 1"_s);
    QCOMPARE(text("countResults"), u"Results ready 1"_s);
    QCOMPARE(text("countExaminations"), u"At examinations 0"_s);
    press(Qt::Key_Down); // nothing selected: the first patient of the queue
    QCOMPARE(openVisit(), model->visitAt(0));
    QVERIFY(!screen->findChild<QLabel *>(u"visitGone"_s)->isVisible());
}

// F9 hands the open patient over: the colleagues of the department come first, and the patient leaves the queue.
void TestDoctorScreen::handOverToAColleague()
{
    const QDateTime t0 = startTime();
    const QUuid mine = registerElsewhere(*server, u"A"_s, 1, t0, u"dr.kim"_s);
    catchUp(*f, *server);
    f->setNow(t0.addSecs(10 * 60));
    screen = std::make_unique<DoctorScreen>(*station, u"dr.kim"_s);
    screen->resize(1400, 900);
    screen->show();
    QApplication::setActiveWindow(screen.get());
    QVERIFY(QTest::qWaitForWindowActive(screen.get()));
    QVERIFY(screen->queue()->selectValue(DoctorQueueModel::VisitIdRole, mine));
    screen->queue()->setFocus();
    QVERIFY(button("handOver")->isEnabled());
    QVERIFY(button("handOver")->text().contains(u"F9"_s));

    press(Qt::Key_F9);
    QTRY_VERIFY(shown<HandOverDialog>());
    auto *dialog = shown<HandOverDialog>();
    auto *colleague = dialog->findChild<QComboBox *>(u"handOverDoctor"_s);
    QCOMPARE(colleague->count(), 5);
    QCOMPARE(colleague->currentText(), u"Lee Seoyeon · Internal medicine"_s);
    QCOMPARE(dialog->doctorId(), u"dr.lee"_s);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"handOverNote"_s), u"end of my shift"_s);
    dialog->findChild<QPushButton *>(u"confirmHandOver"_s)->click();
    QTRY_VERIFY(!screen->findChild<HandOverDialog *>());

    QCOMPARE(screen->queueModel()->rowOf(mine), -1); // dr.lee's now
    QCOMPARE(f->store().diagnosis(diagnosis::idForVisit(mine))->doctor, u"dr.lee"_s);
    server->sync(f->store());
    catchUp(*f, *server);
    QCOMPARE(f->store().visit(mine)->doctor, u"dr.lee"_s);
    QCOMPARE(f->store().pendingCount(), 0);
    for (const char *name : {"prescribe", "review", "complete", "refuse", "handOver"})
        QVERIFY2(!button(name)->isEnabled(), name);
}

// The examination room cancelled what the doctor prescribed: "results ready" brings no result, and the screen says
// that a new prescription is still possible, before the review closes them.
void TestDoctorScreen::cancelledExaminationsCanBePrescribedAgain()
{
    const QDateTime t0 = startTime();
    const QUuid v1 = registerElsewhere(*server, u"A"_s, 1, t0, u"dr.kim"_s);
    const QUuid v2 = registerElsewhere(*server, u"A"_s, 2, t0, u"dr.kim"_s);
    const QUuid blood = prescribeElsewhere(*server, v1, u"BLOOD"_s, t0.addSecs(600));
    server->act(CancelExamination{blood, u"equipment down"_s}, u"LAB1"_s, t0.addSecs(900));
    const QUuid performed = prescribeElsewhere(*server, v2, u"BLOOD"_s, t0.addSecs(600));
    const QUuid ecg = prescribeElsewhere(*server, v2, u"ECG"_s, t0.addSecs(600));
    const QUuid xray = prescribeElsewhere(*server, v2, u"XRAY"_s, t0.addSecs(600));
    server->act(PerformExamination{performed, u"Hb 13.2 g/dL"_s}, u"LAB1"_s, t0.addSecs(900));
    server->act(CancelExamination{ecg, u"equipment down"_s}, u"LAB1"_s, t0.addSecs(900));
    server->act(CancelExamination{xray, u"equipment down"_s}, u"LAB1"_s, t0.addSecs(900));
    catchUp(*f, *server);
    QCOMPARE_NAMED(f->store().diagnosisOfVisit(v1)->status, DiagnosisStatus::ResultsReady);
    QCOMPARE_NAMED(f->store().diagnosisOfVisit(v2)->status, DiagnosisStatus::ResultsReady);

    screen = std::make_unique<DoctorScreen>(*station, u"dr.kim"_s);
    screen->show();
    QVERIFY(screen->queue()->selectValue(DoctorQueueModel::VisitIdRole, v1));
    QCOMPARE(openVisit(), v1);
    QVERIFY(button("prescribe")->isEnabled());
    QVERIFY2(text("nextStep").startsWith(u"No result"_s), qPrintable(text("nextStep")));
    QVERIFY2(text("nextStep").contains(u"Prescribe again (F5)"_s), qPrintable(text("nextStep")));

    QVERIFY(screen->queue()->selectValue(DoctorQueueModel::VisitIdRole, v2));
    const QString next = text("nextStep"); // the source text: no translator here, "examination(s)"
    QVERIFY2(next.startsWith(u"Results are ready: review them (F6). 2 examination"_s), qPrintable(next));
    QVERIFY2(next.contains(u"prescribe again (F5) before the review"_s), qPrintable(next));
}

void TestDoctorScreen::emptyQueue()
{
    screen = std::make_unique<DoctorScreen>(*station, u"dr.kim"_s);
    screen->show();
    QApplication::setActiveWindow(screen.get());
    QVERIFY(QTest::qWaitForWindowActive(screen.get()));
    screen->queue()->setFocus();
    QVERIFY(screen->queue()->emptyText().startsWith(u"No patients waiting"_s));
    QCOMPARE(text("countWaiting"), u"Waiting 0"_s);
    QVERIFY(screen->findChild<QLabel *>(u"visitEmpty"_s)->isVisible()); // no visit open: it says how to open one
    for (const char *name : {"prescribe", "review", "complete", "refuse"})
        QVERIFY2(!button(name)->isEnabled(), name);
    press(Qt::Key_F5); // nothing open: says what to do instead
    QVERIFY(screen->findChild<QLabel *>(u"notice"_s)->text().contains(u"Select a patient"_s));

    // The first patient arrives live.
    const QUuid v1 = registerElsewhere(*server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    catchUp(*f, *server);
    QCOMPARE(screen->queueModel()->rowCount(), 1);
    QCOMPARE(text("countWaiting"), u"Waiting 1"_s);
    screen->focusFirst();
    QCOMPARE(openVisit(), v1);
    // The warning asked for a patient to be selected: one is, so it no longer stands beside the work.
    QCOMPARE(screen->findChild<QLabel *>(u"notice"_s)->text(), QString());
}

// The doctor completes a treatment the server then rejects: the visit comes back into the queue, open again, with
// its actions; what the server said is the conflicts panel's to show (the main window's).
void TestDoctorScreen::rejectedOutcomeComesBack()
{
    const QUuid v1 = registerElsewhere(*server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    catchUp(*f, *server);
    screen = std::make_unique<DoctorScreen>(*station, u"dr.kim"_s);
    screen->show();
    QApplication::setActiveWindow(screen.get());
    QVERIFY(QTest::qWaitForWindowActive(screen.get()));
    screen->focusFirst();
    QCOMPARE(openVisit(), v1);

    press(Qt::Key_F7);
    QTRY_VERIFY(shown<OutcomeDialog>());
    press(Qt::CTRL | Qt::Key_Return);
    QTRY_VERIFY(!screen->findChild<OutcomeDialog *>());
    QCOMPARE(screen->queueModel()->rowCount(), 0);
    QVERIFY(screen->findChild<QLabel *>(u"visitGone"_s)->isVisible());
    QVERIFY(!button("complete")->isEnabled());

    const QList<OutgoingCommand> sent = f->store().unansweredCommands();
    QCOMPARE(sent.size(), 1);
    QVERIFY(f->store().markOutcome({sent[0].meta.commandId, false, {}, makeError(ErrorCode::NotYourPatient)}).ok());
    QCOMPARE(screen->queueModel()->rowCount(), 1);
    QCOMPARE(openVisit(), v1);
    QCOMPARE(screen->queue()->currentValue(DoctorQueueModel::VisitIdRole).toUuid(), v1);
    QVERIFY(!screen->findChild<QLabel *>(u"visitGone"_s)->isVisible());
    QVERIFY(button("complete")->isEnabled());
}

QTEST_MAIN(TestDoctorScreen)
#include "TestDoctorScreen.moc"
