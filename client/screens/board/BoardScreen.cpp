// The status board (see BoardScreen.h).
#include "BoardScreen.h"

#include "BoardCounts.h"
#include "BoardTable.h"
#include "models/StatusBoardModel.h"
#include "station/Station.h"
#include "store/LocalStore.h"

#include <QAction>
#include <QElapsedTimer>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

namespace {

constexpr int kCountsIntervalMs = 300;     // counts walk every row: at most about three times a second,
constexpr int kCountsMaxIntervalMs = 2000; // and less often when a walk is slow (a day of 100,000 visits)
constexpr int kPageIntervalMs = 15'000;
// Without the server this long, the board says so: a reconnection's handshake passes unseen.
constexpr int kBannerAfterSeconds = 5;

} // namespace

BoardScreen::BoardScreen(Station &station, QWidget *parent)
    : RoleScreen(parent)
    , m_station(station)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
    , m_model(new StatusBoardModel(station.store(), QDate::currentDate(), this))
    , m_title(new QLabel(this))
    , m_date(new QLabel(this))
    , m_clockLabel(new QLabel(this))
    , m_counts(new BoardCounts(this))
    , m_table(new BoardTable(m_model, station.store(), this))
    , m_page(new QLabel(this))
    , m_banner(new QLabel(this))
    , m_darkAction(new QAction(this))
    , m_countsTimer(new QTimer(this))
    , m_clockTimer(new QTimer(this))
    , m_pageTimer(new QTimer(this))
{
    setObjectName(u"boardScreen"_s);
    setAutoFillBackground(true);
    m_title->setObjectName(u"boardTitle"_s);
    m_title->setFont(pixelFont(font(), 36, true));
    m_date->setObjectName(u"boardDate"_s);
    m_date->setFont(pixelFont(font(), 26, false));
    m_clockLabel->setObjectName(u"clock"_s);
    m_clockLabel->setFont(pixelFont(font(), 76, true));
    m_clockLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_page->setObjectName(u"page"_s);
    m_page->setFont(pixelFont(font(), 24, false));
    m_page->setAlignment(Qt::AlignRight);
    m_banner->setObjectName(u"disconnectedBanner"_s);
    m_banner->setFont(pixelFont(font(), 26, true));
    m_banner->setWordWrap(true);
    m_banner->setContentsMargins(16, 8, 16, 8);
    m_banner->hide();

    auto *titles = new QVBoxLayout;
    titles->addWidget(m_title);
    titles->addWidget(m_date);
    auto *top = new QHBoxLayout;
    top->addLayout(titles, 1);
    top->addWidget(m_clockLabel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 12);
    layout->setSpacing(12);
    layout->addLayout(top);
    layout->addWidget(m_banner);
    layout->addWidget(m_counts);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_page);

    // No buttons on a wall: Ctrl+D (and the right-click menu, for a mouse) switches the theme.
    m_darkAction->setObjectName(u"darkTheme"_s);
    m_darkAction->setCheckable(true);
    m_darkAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    connect(m_darkAction, &QAction::toggled, this, &BoardScreen::setDarkTheme);
    addAction(m_darkAction);
    setContextMenuPolicy(Qt::ActionsContextMenu);

    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(kCountsIntervalMs);
    connect(m_countsTimer, &QTimer::timeout, this, &BoardScreen::refreshCounts);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, &BoardScreen::scheduleCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &BoardScreen::scheduleCounts);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &BoardScreen::scheduleCounts);
    connect(&station.store(), &LocalStore::catalogueChanged, this, &BoardScreen::scheduleCounts);
    connect(m_clockTimer, &QTimer::timeout, this, &BoardScreen::tick);
    m_clockTimer->start(1000);
    connect(m_pageTimer, &QTimer::timeout, m_table, &BoardTable::turnPage);
    m_pageTimer->start(kPageIntervalMs);
    connect(m_table, &BoardTable::pageChanged, this, &BoardScreen::refreshPage);
    connect(&station, &Station::stateChanged, this, &BoardScreen::connectionChanged);
    connect(&station, &Station::lastContactChanged, this, &BoardScreen::refreshBanner);
    connectionChanged();

    m_theme.dark = true; // so that the first setDarkTheme(false) applies the light look
    setDarkTheme(false);
    retranslate();
    scheduleCounts(); // not before the first paint: the rows come first, the counts a moment later
}

BoardScreen::~BoardScreen() = default;

QString BoardScreen::roleTitle() const
{
    return tr("Status board");
}

QList<Shortcut> BoardScreen::shortcuts() const
{
    return {{QKeySequence(Qt::Key_F11), tr("Full screen on and off")},
            {QKeySequence(Qt::CTRL | Qt::Key_D), tr("Dark theme on and off")}};
}

QueueView *BoardScreen::table() const
{
    return m_table;
}

void BoardScreen::setDarkTheme(bool dark)
{
    if (dark == m_theme.dark)
        return;
    m_theme.dark = dark;
    setPalette(m_theme.palette());
    m_table->setTheme(m_theme);
    m_counts->setTheme(m_theme);
    m_date->setStyleSheet(u"color: %1;"_s.arg(m_theme.mutedText().name()));
    m_page->setStyleSheet(u"color: %1;"_s.arg(m_theme.mutedText().name()));
    // Amber, as the status bar's offline state, with dark text on it in both themes.
    m_banner->setStyleSheet(u"background: #F59E0B; color: #1C1917; border-radius: 6px;"_s);
    {
        const QSignalBlocker block(m_darkAction);
        m_darkAction->setChecked(dark);
    }
    Q_EMIT darkThemeChanged(dark);
}

void BoardScreen::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    m_model->setClock(m_clock);
    tick();
}

QString BoardScreen::clockText() const
{
    return m_clockLabel->text();
}

QString BoardScreen::disconnectedText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void BoardScreen::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    RoleScreen::changeEvent(event);
}

void BoardScreen::retranslate()
{
    m_title->setText(tr("Today's patients"));
    m_darkAction->setText(tr("Dark theme"));
    m_table->setEmptyText(tr("No visits yet today. Patients appear here as soon as they are registered."));
    m_model->retranslate();
    m_counts->retranslate();
    m_table->layoutColumns(); // the words' lengths changed
    tick();
    refreshPage();
}

void BoardScreen::connectionChanged()
{
    const ConnectionState state = m_station.state();
    const bool connected = state == ConnectionState::Online || state == ConnectionState::Syncing;
    if (connected)
        m_disconnectedSince = {};
    else if (m_disconnectedSince.isNull())
        m_disconnectedSince = m_clock();
    refreshBanner();
}

void BoardScreen::refreshBanner()
{
    const bool show = !m_disconnectedSince.isNull() && m_disconnectedSince.secsTo(m_clock()) >= kBannerAfterSeconds;
    if (show) {
        const QDateTime last = m_station.lastContact();
        m_banner->setText(last.isNull()
                              ? tr("No connection to the server yet: the board shows only what it has received.")
                              : tr("No connection to the server since %1: later changes are not on the board yet.")
                                    .arg(QLocale().toString(last.toLocalTime().time(), u"HH:mm")));
    }
    m_banner->setVisible(show);
}

void BoardScreen::scheduleCounts()
{
    if (!m_countsTimer->isActive())
        m_countsTimer->start();
}

void BoardScreen::refreshCounts()
{
    m_countsTimer->stop();
    QElapsedTimer took;
    took.start();
    auto [tones, byCode, closedCompleted, closedRefused] = m_model->counts();
    QList<std::pair<QString, int>> departments;
    for (const Department &d : m_station.store().catalogue().departments()) {
        if (const int n = byCode.take(d.code); n > 0)
            departments.append({d.name, n});
    }
    QStringList unknown = byCode.keys(); // a department the roster no longer has: shown by its code, last
    unknown.sort();
    for (const QString &code : std::as_const(unknown))
        departments.append({code, byCode.value(code)});
    m_counts->setCounts(tones, departments, {closedCompleted, closedRefused});
    // A walk that takes long waits longer before the next one, so counting never takes much of the board's time.
    m_countsTimer->setInterval(int(std::clamp<qint64>(3 * took.elapsed(), kCountsIntervalMs, kCountsMaxIntervalMs)));
    tick(); // the total beside the date
}

// Every second: the clock (24-hour, as hospitals read it); at midnight the board moves on to the new day.
void BoardScreen::tick()
{
    const QDateTime now = m_clock().toLocalTime();
    if (now.date() != m_model->day()) {
        m_model->setDay(now.date());
        scheduleCounts();
    }
    m_clockLabel->setText(QLocale().toString(now.time(), u"HH:mm"));
    refreshBanner();
    m_date->setText(tr("%1 · %n visit(s)", "the date, then how many visits the board lists", m_model->rowCount())
                        .arg(QLocale().toString(now.date(), QLocale::LongFormat)));
}

void BoardScreen::refreshPage()
{
    const int pages = m_table->pageCount();
    if (pages <= 1)
        m_page->clear();
    else
        m_page->setText(tr("Page %1 of %2 — the next page comes in a few seconds").arg(m_table->page()).arg(pages));
}

} // namespace clinicflow::client
