// The status board with real widgets, offscreen, over a local store fed by the stand-in server: rows and counts
// follow the store live (rows in place, counts throttled), nothing on it can be edited or clicked, it asks for full
// screen, the dark theme toggles with Ctrl+D, the type is large and the clock reads 24-hour.
#include "domain/Diagnosis.h"
#include "models/ModelText.h"
#include "models/StatusBoardModel.h"
#include "screens/board/BoardCounts.h"
#include "screens/board/BoardScreen.h"
#include "screens/board/BoardTable.h"
#include "screens/common/QueueView.h"
#include "station/Station.h"
#include "support/StoreHarness.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTextEdit>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

QDateTime pinned()
{
    return startTime().addSecs(40 * 60);
}

struct Board
{
    Board()
        : f(u"BRD"_s)
        , station(f.store())
        , screen(station)
    {
        QVERIFY(f->setRole(Role::Board).ok());
        screen.setClock(pinned);
    }
    StoreFixture f;
    FakeServer server;
    FixtureStation station;
    BoardScreen screen;
};

QString cell(BoardScreen &screen, int row, int column)
{
    return screen.table()->model()->index(row, column).data().toString();
}

} // namespace

class TestBoardScreen : public QObject
{
    Q_OBJECT

private slots:
    void rowsAndCountsFollowTheStore();
    void countsAreThrottled();
    void readOnly();
    void fullScreenAndShortcuts();
    void darkThemeToggles();
    void largeTypeAndClock();
    void pagesTurn();
    void manyVisits();
    void closedVisitsSayHowTheyEnded();
    void aBoardWithoutTheServerSaysSince();
};

void TestBoardScreen::rowsAndCountsFollowTheStore()
{
    Board b;
    QSignalSpy reset(b.screen.table()->model(), &QAbstractItemModel::modelReset);
    QCOMPARE(b.screen.table()->model()->rowCount(), 0);
    QVERIFY(!b.screen.table()->emptyText().isEmpty());
    b.screen.refreshCounts();
    QCOMPARE(b.screen.counts()->toneCount(StatusTone::Waiting), 0);

    const QUuid v1 = registerElsewhere(b.server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid v2 = registerElsewhere(b.server, u"A"_s, 2, startTime().addSecs(600), u"dr.lee"_s, Priority::Urgent);
    catchUp(b.f, b.server);
    QCOMPARE(b.screen.table()->model()->rowCount(), 2);
    QCOMPARE(cell(b.screen, 0, StatusBoardModel::TicketColumn), u"A-001"_s);
    QCOMPARE(cell(b.screen, 0, StatusBoardModel::PatientColumn), u"P*********1"_s); // masked: others read it
    QCOMPARE(cell(b.screen, 0, StatusBoardModel::WaitingColumn), u"40 min"_s);
    QTRY_COMPARE(b.screen.counts()->toneCount(StatusTone::Waiting), 2);
    QVERIFY(b.screen.counts()->departmentsText().contains(u"Internal medicine 2"_s));

    // The doctor prescribes for v1, the desk cancels v2: rows change in place, the counts follow.
    b.server.act(PrescribeExamination{diagnosis::idForVisit(v1), newId(), u"XRAY"_s, {}}, u"DOC1"_s,
                 startTime().addSecs(900));
    b.server.act(CancelVisit{v2, u"left"_s}, u"A"_s, startTime().addSecs(1200));
    catchUp(b.f, b.server);
    QCOMPARE(cell(b.screen, 0, StatusBoardModel::StatusColumn), u"At examinations"_s);
    QCOMPARE(cell(b.screen, 0, StatusBoardModel::ExaminationsColumn), u"0/1"_s);
    QCOMPARE(cell(b.screen, 1, StatusBoardModel::StatusColumn), u"Cancelled"_s);
    QTRY_COMPARE(b.screen.counts()->toneCount(StatusTone::InTreatment), 1);
    QCOMPARE(b.screen.counts()->toneCount(StatusTone::Cancelled), 1);
    QCOMPARE(b.screen.counts()->toneCount(StatusTone::Waiting), 0);
    QCOMPARE(reset.count(), 0);                    // never rebuilt for a change: no flicker
    QEvent languageChange(QEvent::LanguageChange); // the words are redrawn, the rows stay
    QCoreApplication::sendEvent(&b.screen, &languageChange);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(b.screen.table()->model()->rowCount(), 2);
    QVERIFY(b.screen.findChild<QLabel *>(u"boardDate"_s)->text().contains(u"2"_s));
}

void TestBoardScreen::countsAreThrottled()
{
    Board b;
    b.screen.refreshCounts();
    for (int n = 1; n <= 40; ++n)
        registerElsewhere(b.server, u"A"_s, n, startTime().addSecs(n * 10), u"dr.kim"_s);
    // One event at a time, as the sync engine delivers them live: 40 visits, hundreds of row changes.
    for (const Event &e : b.server.eventsAfter(b.f->lastSequence()))
        QVERIFY(b.f->applyEvents({e}).ok());
    QCOMPARE(b.screen.table()->model()->rowCount(), 40);
    QCOMPARE(b.screen.counts()->toneCount(StatusTone::Waiting), 0); // not recounted on every change...
    QElapsedTimer waited;
    waited.start();
    QTRY_COMPARE(b.screen.counts()->toneCount(StatusTone::Waiting), 40); // ...but within a moment
    QVERIFY2(waited.elapsed() < 1500, qPrintable(QString::number(waited.elapsed())));
}

void TestBoardScreen::readOnly()
{
    Board b;
    registerElsewhere(b.server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    catchUp(b.f, b.server);
    b.screen.resize(1400, 900);
    b.screen.show();
    QVERIFY(QTest::qWaitForWindowExposed(&b.screen));
    // Nothing to type into, nothing to press.
    QVERIFY(b.screen.findChildren<QLineEdit *>().isEmpty());
    QVERIFY(b.screen.findChildren<QTextEdit *>().isEmpty());
    QVERIFY(b.screen.findChildren<QPlainTextEdit *>().isEmpty());
    QVERIFY(b.screen.findChildren<QAbstractSpinBox *>().isEmpty());
    QVERIFY(b.screen.findChildren<QComboBox *>().isEmpty());
    for (const QAbstractButton *button : b.screen.findChildren<QAbstractButton *>())
        QVERIFY2(!button->isVisible(), button->metaObject()->className()); // the table's hidden corner
    QueueView *table = b.screen.table();
    QCOMPARE(table->editTriggers(), QAbstractItemView::NoEditTriggers);
    QCOMPARE(table->selectionMode(), QAbstractItemView::NoSelection);
    QCOMPARE(table->focusPolicy(), Qt::NoFocus);
    QVERIFY(!table->horizontalHeader()->sectionsClickable());
    const QModelIndex first = table->model()->index(0, StatusBoardModel::DoctorColumn);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
    QVERIFY(b.screen.findChildren<QLineEdit *>().isEmpty()); // no editor opened
    QVERIFY(!table->selectionModel()->hasSelection());
    QVERIFY(!(table->model()->flags(first) & Qt::ItemIsEditable));
    // Widths never come from measuring the rows (a day of 100,000 visits).
    for (int c = 0; c < table->model()->columnCount(); ++c)
        QVERIFY(table->horizontalHeader()->sectionResizeMode(c) != QHeaderView::ResizeToContents);
}

void TestBoardScreen::fullScreenAndShortcuts()
{
    Board b;
    QVERIFY(b.screen.wantsFullScreen());
    QVERIFY(!b.screen.roleTitle().isEmpty());
    QList<QKeySequence> keys;
    for (const Shortcut &s : b.screen.shortcuts()) {
        QVERIFY(!s.what.isEmpty());
        keys.append(s.keys);
    }
    QVERIFY(keys.contains(QKeySequence(Qt::Key_F11)));
    QVERIFY(keys.contains(QKeySequence(Qt::CTRL | Qt::Key_D)));
}

void TestBoardScreen::darkThemeToggles()
{
    Board b;
    QSignalSpy changed(&b.screen, &BoardScreen::darkThemeChanged);
    QVERIFY(!b.screen.darkTheme());
    const QColor lightBase = b.screen.table()->palette().color(QPalette::Base);
    QVERIFY(lightBase.lightnessF() > 0.8);

    b.screen.resize(1400, 900);
    b.screen.show();
    b.screen.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&b.screen));
    QTest::keyClick(&b.screen, Qt::Key_D, Qt::ControlModifier);
    QVERIFY(b.screen.darkTheme());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.takeFirst().at(0).toBool(), true);
    QVERIFY(b.screen.table()->palette().color(QPalette::Base).lightnessF() < 0.2);
    QVERIFY(b.screen.table()->palette().color(QPalette::Text).lightnessF() > 0.9);
    auto *action = b.screen.findChild<QAction *>(u"darkTheme"_s);
    QVERIFY(action && action->isChecked()); // the right-click menu says so too

    QTest::keyClick(&b.screen, Qt::Key_D, Qt::ControlModifier);
    QVERIFY(!b.screen.darkTheme());
    QCOMPARE(b.screen.table()->palette().color(QPalette::Base), lightBase);

    // The app restores the remembered choice through the property.
    QVERIFY(b.screen.setProperty("darkTheme", true));
    QVERIFY(b.screen.darkTheme());
    QCOMPARE(changed.count(), 2);
    b.screen.setDarkTheme(true); // no change, no signal
    QCOMPARE(changed.count(), 2);
}

void TestBoardScreen::largeTypeAndClock()
{
    Board b;
    registerElsewhere(b.server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    catchUp(b.f, b.server);
    for (const QSize size : {QSize(1920, 1080), QSize(1400, 900), QSize(1366, 768)}) {
        b.screen.resize(size);
        b.screen.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b.screen));
        // Read from three metres: every text on the board at least 24 px tall.
        QVERIFY(QFontInfo(b.screen.table()->font()).pixelSize() >= 24);
        QVERIFY(QFontInfo(b.screen.table()->horizontalHeader()->font()).pixelSize() >= 24);
        for (const QLabel *label : b.screen.findChildren<QLabel *>()) {
            if (!label->text().isEmpty())
                QVERIFY2(QFontInfo(label->font()).pixelSize() >= 24, qPrintable(label->objectName()));
        }
        // The ticket is never cut.
        const QFontMetrics fm(b.screen.table()->font());
        QVERIFY(b.screen.table()->columnWidth(StatusBoardModel::TicketColumn) > fm.horizontalAdvance(u"A-001"_s));
        // Nor is the visit's state, any of its phrases in bold beside its icon, even on a laptop's screen.
        QFont bold = b.screen.table()->font();
        bold.setBold(true);
        for (const QString &state : ModelText::visitStates()) {
            QVERIFY2(b.screen.table()->columnWidth(StatusBoardModel::StatusColumn) >
                         QFontMetrics(bold).horizontalAdvance(state) + b.screen.table()->iconSize().width(),
                     qPrintable(u"%1 at %2x%3"_s.arg(state).arg(size.width()).arg(size.height())));
        }
    }
    QCOMPARE(b.screen.clockText(), QLocale().toString(pinned().toLocalTime().time(), u"HH:mm"));

    // 24-hour in Korean: 14:05, not 오후 2:05.
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::Korean, QLocale::SouthKorea));
    const QDateTime afternoon = QDateTime(QDate(2024, 3, 4), QTime(14, 5)).toUTC();
    b.screen.setClock([afternoon] { return afternoon; });
    QCOMPARE(b.screen.clockText(), u"14:05"_s);
    QLocale::setDefault(before);
}

// More visits than fit: the board turns the page by itself, and says which page is shown.
void TestBoardScreen::pagesTurn()
{
    Board b;
    for (int n = 1; n <= 40; ++n)
        registerElsewhere(b.server, u"A"_s, n, startTime().addSecs(n * 10), u"dr.kim"_s);
    catchUp(b.f, b.server);
    b.screen.resize(1400, 900);
    b.screen.show();
    QVERIFY(QTest::qWaitForWindowExposed(&b.screen));
    auto *table = qobject_cast<BoardTable *>(b.screen.table());
    QVERIFY(table);
    const int pages = table->pageCount();
    QVERIFY(pages >= 3);
    auto *page = b.screen.findChild<QLabel *>(u"page"_s);
    QVERIFY(page->text().contains(u"1"_s) && page->text().contains(QString::number(pages)));
    const int firstRow = table->rowAt(0);
    QCOMPARE(firstRow, 0);
    table->turnPage();
    QCOMPARE(table->page(), 2);
    QVERIFY(table->rowAt(0) > firstRow);
    for (int n = 2; n < pages; ++n)
        table->turnPage();
    QCOMPARE(table->page(), pages);
    table->turnPage(); // and back to the top
    QCOMPARE(table->page(), 1);
    QCOMPARE(table->rowAt(0), 0);
    // Whole rows only: the height is a whole number of rows (to within a pixel per row).
    const int rowHeight = table->rowHeight(0);
    QVERIFY(table->viewport()->height() % rowHeight < table->viewport()->height() / rowHeight + 1);
}

// A snapshot of a very busy day: the board builds and paints it without measuring rows.
void TestBoardScreen::manyVisits()
{
    StoreFixture f(u"BRD"_s);
    QVERIFY(f->setRole(Role::Board).ok());
    QList<VisitStatus> rows;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // All of them today, as the board counts days, even in the first minutes after midnight.
    const QDateTime dayStart = QDate::currentDate().startOfDay().toUTC();
    for (int i = 0; i < 20'000; ++i) {
        VisitStatus v;
        v.visitId = newId();
        v.ticket = u"A-%1"_s.arg(i % 9999 + 1, 3, 10, QChar(u'0'));
        v.patientName = u"김민준"_s;
        v.department = i % 2 ? u"IM"_s : u"GS"_s;
        v.receptionStatus = ReceptionStatus(i % 6);
        v.receivedAt = std::max(now.addSecs(-(i % 600)), dayStart);
        v.lastSequence = 1;
        rows.append(v);
    }
    QVERIFY(f->applySnapshot(rows, 1).ok());
    FixtureStation station(f.store());
    QElapsedTimer t;
    t.start();
    BoardScreen screen(station);
    const qint64 built = t.restart();
    screen.resize(1920, 1080);
    screen.show();
    screen.grab();
    const qint64 painted = t.restart();
    screen.refreshCounts();
    const qint64 counted = t.elapsed();
    qInfo("20,000 visits: built in %lld ms, first paint %lld ms, counts %lld ms", built, painted, counted);
    QCOMPARE(screen.table()->model()->rowCount(), 20'000);
    QCOMPARE(screen.counts()->toneCount(StatusTone::Closed), 20'000 / 6);
    QVERIFY(painted < 1000); // painting the visible rows only, whatever the day's size
}

// The closed tile counts completed and refused treatments together; beside its word it says how many of each, when
// the screen leaves room for it, and never widens its tile for it.
void TestBoardScreen::closedVisitsSayHowTheyEnded()
{
    StoreFixture f(u"BRD"_s);
    QVERIFY(f->setRole(Role::Board).ok());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime dayStart = QDate::currentDate().startOfDay().toUTC();
    QList<VisitStatus> rows;
    const std::pair<ReceptionStatus, std::optional<DiagnosisStatus>> states[] = {
        {ReceptionStatus::Closed, DiagnosisStatus::Completed},
        {ReceptionStatus::Closed, DiagnosisStatus::Completed},
        {ReceptionStatus::Closed, DiagnosisStatus::Refused},
        {ReceptionStatus::TreatmentRefused, DiagnosisStatus::Refused},
        {ReceptionStatus::Cancelled, std::nullopt}};
    for (const auto &[reception, diagnosis] : states) {
        VisitStatus v;
        v.visitId = newId();
        v.ticket = u"A-%1"_s.arg(rows.size() + 1, 3, 10, QChar(u'0'));
        v.patientName = u"김민준"_s;
        v.department = u"IM"_s;
        v.receptionStatus = reception;
        v.diagnosisStatus = diagnosis;
        v.receivedAt = std::max(now.addSecs(-600), dayStart);
        v.lastSequence = 1;
        rows.append(v);
    }
    QVERIFY(f->applySnapshot(rows, 1).ok());
    FixtureStation station(f.store());
    BoardScreen screen(station);
    screen.resize(1920, 1080);
    screen.show();
    QVERIFY(QTest::qWaitForWindowExposed(&screen));
    screen.refreshCounts();
    BoardCounts *counts = screen.counts();
    QCOMPARE(counts->toneCount(StatusTone::Closed), 3);
    QCOMPARE(counts->toneCount(StatusTone::Refused), 1); // refused, not yet confirmed: its own tile
    QCOMPARE(counts->closedOutcomes(), (BoardCounts::ClosedOutcomes{2, 1}));
    QTRY_VERIFY(counts->closedOutcomesShown());
    QCOMPARE(counts->findChild<QLabel *>(u"closed_completed"_s)->text(), u"2"_s);
    QCOMPARE(counts->findChild<QLabel *>(u"closed_refused"_s)->text(), u"1"_s);

    // Too narrow for both: the count alone. Shown or not, the tile is no wider than its word and count make it.
    QWidget *closed = counts->findChild<QWidget *>(u"tone_closed"_s);
    QVERIFY(closed);
    const int minimum = closed->minimumSizeHint().width();
    screen.resize(1100, 700);
    QTRY_VERIFY(!counts->closedOutcomesShown());
    QCOMPARE(closed->minimumSizeHint().width(), minimum);
    // "Closed" is shorter than "Cancelled", and each count is one digit.
    QVERIFY(minimum <= counts->findChild<QWidget *>(u"tone_cancelled"_s)->minimumSizeHint().width());
    screen.resize(1920, 1080);
    QTRY_VERIFY(counts->closedOutcomesShown());
}

// Read from across the room, a board that lost the server must say so, and since when: its rows may be out of date.
// Not for a reconnection's few seconds; gone as soon as it is connected again.
void TestBoardScreen::aBoardWithoutTheServerSaysSince()
{
    Board b;
    b.screen.show();
    QVERIFY(b.screen.disconnectedText().isEmpty());
    QDateTime now = pinned();
    b.screen.setClock([&now] { return now; });
    const QDateTime lastHeard = now.addSecs(-3);
    b.station.setConnection(ConnectionState::Offline, lastHeard);
    now = now.addSecs(4);
    b.screen.setClock([&now] { return now; }); // a tick of the clock
    QVERIFY2(b.screen.disconnectedText().isEmpty(), qPrintable(b.screen.disconnectedText()));
    b.station.setConnection(ConnectionState::Connecting, lastHeard); // still without it: the wait goes on
    now = now.addSecs(2);
    b.screen.setClock([&now] { return now; });
    const QString text = b.screen.disconnectedText();
    QVERIFY2(text.contains(QLocale().toString(lastHeard.toLocalTime().time(), u"HH:mm")), qPrintable(text));
    auto *banner = b.screen.findChild<QLabel *>(u"disconnectedBanner"_s);
    QVERIFY(banner && banner->isVisible());
    QVERIFY2(banner->font().pixelSize() >= 24, "read from three metres");
    QVERIFY(banner->geometry().bottom() < b.screen.table()->geometry().top()); // above the rows, not over them

    b.station.setConnection(ConnectionState::Syncing, now);
    QVERIFY(b.screen.disconnectedText().isEmpty());
    QVERIFY(!banner->isVisible());

    // A board that never reached the server says that instead.
    b.station.setConnection(ConnectionState::Connecting, QDateTime());
    now = now.addSecs(10);
    b.screen.setClock([&now] { return now; });
    QVERIFY2(b.screen.disconnectedText().contains(u"yet"_s), qPrintable(b.screen.disconnectedText()));
}

QTEST_MAIN(TestBoardScreen)
#include "TestBoardScreen.moc"
