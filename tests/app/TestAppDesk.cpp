// The front desk's window against the real server: a field the rules refuse shows its message beside it and stores
// nothing; with the server gone the indicator says offline, registrations go on with their tickets and pending
// marks, and when the server returns the marks clear and another station's board shows the visits; a name pasted with a
// control or invisible character is refused beside its field.
#include "AppHarness.h"
#include "MainWindow.h"
#include "models/StatusBoardModel.h"
#include "models/TodayVisitsModel.h"
#include "screens/common/ConnectionIndicator.h"
#include "screens/common/QueueView.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"
#include "support/OfflineDeadline.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;
using client::ConnectionState;

class TestAppDesk : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void refusedFieldsShowTheirMessageAndStoreNothing();
    void offlineRegistrationsAreMarkedThenSynced();
    void controlCharactersAreRefusedBesideTheirField();

private:
    AppHarness m_harness;
};

void TestAppDesk::initTestCase()
{
    QVERIFY2(m_harness.startServer(), qPrintable(m_harness.error()));
}

void TestAppDesk::refusedFieldsShowTheirMessageAndStoreNothing()
{
    client::Application *desk = m_harness.open(domain::Role::Receptionist, u"V"_s);
    QVERIFY2(desk, qPrintable(m_harness.error()));
    QVERIFY(AppHarness::waitSynced(desk));
    const auto *nameError = AppHarness::find<QLabel>(desk, u"nameError"_s);
    const auto *birthError = AppHarness::find<QLabel>(desk, u"birthError"_s);
    const auto *complaintError = AppHarness::find<QLabel>(desk, u"complaintError"_s);
    QVERIFY(nameError && birthError && complaintError);
    QVERIFY(nameError->isHidden() && birthError->isHidden());

    // No name, a birth date in the future, no complaint.
    fillAndRegister(desk, {.name = {}, .birthDate = u"2099-01-01"_s, .complaint = {}});
    QVERIFY(nameError->isVisible());
    QCOMPARE(nameError->text(), u"Enter the patient's name"_s);
    QVERIFY(birthError->isVisible());
    QCOMPARE(birthError->text(), u"The birth date cannot be after today"_s);
    QVERIFY(complaintError->isVisible());
    QCOMPARE(desk->station()->store().outbox().size(), 0);                                // nothing stored
    QVERIFY(QApplication::focusWidget() == AppHarness::find<QLineEdit>(desk, u"name"_s)); // the first to fix

    // Fixed, it goes through, and the messages go away.
    auto *birth = AppHarness::find<QLineEdit>(desk, u"birthDate"_s);
    birth->clear();
    fillAndRegister(desk, {.name = u"김민준"_s, .complaint = u"기침"_s});
    QVERIFY(nameError->isHidden() && birthError->isHidden() && complaintError->isHidden());
    QCOMPARE(desk->station()->store().outbox().size(), 1);
}

// A name pasted with a bell, a zero-width space or a right-to-left override (which shows "Kim" + "nujniM" reversed on
// screen): refused beside the field, in the desk's words, and nothing stored; a complaint keeps its line breaks.
void TestAppDesk::controlCharactersAreRefusedBesideTheirField()
{
    client::Application *desk = m_harness.open(domain::Role::Receptionist, u"VC"_s);
    QVERIFY2(desk, qPrintable(m_harness.error()));
    QVERIFY(AppHarness::waitSynced(desk));
    auto *name = AppHarness::find<QLineEdit>(desk, u"name"_s);
    auto *complaint = AppHarness::find<QPlainTextEdit>(desk, u"complaint"_s);
    const auto *nameError = AppHarness::find<QLabel>(desk, u"nameError"_s);
    const auto *complaintError = AppHarness::find<QLabel>(desk, u"complaintError"_s);
    QVERIFY(name && complaint && nameError && complaintError);
    fillAndRegister(desk, {.name = {}, .complaint = u"cough"_s});
    QCOMPARE(nameError->text(), u"Enter the patient's name"_s);
    for (const QString &pasted : {u"Kim\u202EnujniM"_s, u"Kim\u200BMinjun"_s, u"Kim\u0007Minjun"_s}) {
        name->clear();
        name->insert(pasted); // as a paste does: typing cannot enter these
        QTest::keyClick(name, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(nameError->isVisible());
        QCOMPARE(nameError->text(), u"Remove line breaks, tabs and invisible characters"_s);
        QCOMPARE(desk->station()->store().outbox().size(), 0);
    }
    name->clear();
    name->insert(u"김민준"_s);
    complaint->setPlainText(u"cough\n\tsince Monday"_s);
    QTest::keyClick(name, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(nameError->isHidden() && complaintError->isHidden());
    QCOMPARE(desk->station()->store().outbox().size(), 1);
}

void TestAppDesk::offlineRegistrationsAreMarkedThenSynced()
{
    client::Application *desk = m_harness.open(domain::Role::Receptionist, u"W"_s);
    client::Application *board = m_harness.open(domain::Role::Board, u"WB"_s);
    QVERIFY2(desk && board, qPrintable(m_harness.error()));
    QVERIFY(AppHarness::waitSynced(desk));
    QVERIFY(AppHarness::waitSynced(board));
    auto *indicator = desk->window()->indicator();
    QVERIFY(indicator->stateText().startsWith(u"Online"_s));

    // The promise to the desk is "offline within 3 s": the engine says so once it has heard nothing for its offline
    // timeout, which the app keeps under that. The wait below allows a slow machine more, and prints what it took.
    QVERIFY(client::SyncSettings{}.offlineTimeout <= std::chrono::seconds(3));
    QVERIFY2(m_harness.server().terminate(), qPrintable(m_harness.server().errorString()));
    QElapsedTimer stopped;
    stopped.start();
    QTRY_VERIFY_WITH_TIMEOUT(indicator->stateText().startsWith(u"Offline"_s), client::testing::offlineDeadlineMs());
    qInfo("the desk said offline %lld ms after the server stopped", stopped.elapsed());

    for (const QString &name : {u"이서연"_s, u"박지호"_s, u"최하윤"_s})
        fillAndRegister(desk, {.name = name});
    auto *visits = AppHarness::find<client::QueueView>(desk, u"todayVisits"_s);
    QVERIFY(visits);
    // Today's visits lists every desk's; this desk's three carry its tickets and the pending mark.
    QAbstractItemModel *rows = visits->model();
    const auto ownRows = [rows] {
        QList<int> own;
        for (int r = 0; r < rows->rowCount(); ++r) {
            if (rows->index(r, client::TodayVisitsModel::TicketColumn).data().toString().startsWith(u"W-"_s))
                own.append(r);
        }
        return own;
    };
    QCOMPARE(ownRows().size(), 3);
    for (int i = 0; i < 3; ++i) {
        const int r = ownRows().at(i);
        QCOMPARE(rows->index(r, client::TodayVisitsModel::TicketColumn).data().toString(),
                 u"W-%1"_s.arg(i + 1, 3, 10, QLatin1Char('0')));
        QVERIFY(rows->index(r, 0).data(client::TableModel::PendingRole).toBool());
    }

    QVERIFY2(m_harness.server().restart(), qPrintable(m_harness.server().errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(desk->station()->store().pendingCount() == 0, 30000);
    for (int r : ownRows())
        QVERIFY(!rows->index(r, 0).data(client::TableModel::PendingRole).toBool());
    auto *boardRows = board->window()->findChild<client::StatusBoardModel *>();
    QVERIFY(boardRows);
    QTRY_COMPARE_WITH_TIMEOUT(boardRows->rowCount(), 3 + 1, 30000); // and the first test's visit
    QTRY_VERIFY_WITH_TIMEOUT(indicator->stateText().startsWith(u"Online"_s), 30000);
}

QTEST_MAIN(TestAppDesk)
#include "TestAppDesk.moc"
