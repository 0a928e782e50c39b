// The board's counts (see BoardCounts.h).
#include "BoardCounts.h"

#include "screens/common/StatusStyle.h"

#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace clinicflow::client {

namespace {

QString toneName(StatusTone tone)
{
    switch (tone) {
    case StatusTone::Waiting:
        return QStringLiteral("waiting");
    case StatusTone::InTreatment:
        return QStringLiteral("in_treatment");
    case StatusTone::ResultsReady:
        return QStringLiteral("results_ready");
    case StatusTone::Completed:
        return QStringLiteral("completed");
    case StatusTone::Refused:
        return QStringLiteral("refused");
    case StatusTone::Closed:
        return QStringLiteral("closed");
    case StatusTone::Cancelled:
        break;
    }
    return QStringLiteral("cancelled");
}

} // namespace

BoardCounts::BoardCounts(QWidget *parent)
    : QWidget(parent)
    , m_closedOutcomes(new QWidget(this))
    , m_closedCompleted(new QLabel(m_closedOutcomes))
    , m_closedRefused(new QLabel(m_closedOutcomes))
    , m_departmentsLine(new QLabel(this))
{
    setObjectName(QStringLiteral("boardCounts"));
    auto *tiles = new QHBoxLayout;
    tiles->setSpacing(12);
    for (StatusTone tone : StatusStyle::allTones()) {
        Tile t;
        t.frame = new QFrame(this);
        t.frame->setObjectName(QStringLiteral("tone_%1").arg(toneName(tone)));
        t.icon = new QLabel(t.frame);
        t.icon->setPixmap(StatusStyle::icon(tone).pixmap(QSize(36, 36), devicePixelRatioF()));
        t.count = new QLabel(t.frame);
        t.count->setObjectName(QStringLiteral("count_%1").arg(toneName(tone)));
        t.count->setFont(pixelFont(font(), 52, true));
        t.word = new QLabel(t.frame);
        t.word->setFont(pixelFont(font(), 24, true));
        auto *grid = new QGridLayout(t.frame);
        grid->setContentsMargins(16, 8, 12, 10);
        grid->setHorizontalSpacing(10);
        grid->setVerticalSpacing(0);
        grid->addWidget(t.icon, 0, 0, Qt::AlignLeft | Qt::AlignVCenter);
        grid->addWidget(t.count, 0, 1, Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(t.word, 1, 0, 1, 2, Qt::AlignLeft);
        if (tone == StatusTone::Closed) {
            // In the word's cell, on its right: the word alone sets the tile's width, as in every other tile.
            grid->addWidget(m_closedOutcomes, 1, 0, 1, 2, Qt::AlignRight | Qt::AlignVCenter);
            t.frame->installEventFilter(this); // its width decides whether the outcomes fit
        }
        tiles->addWidget(t.frame, 1);
        m_tiles.insert(tone, t);
    }
    m_closedOutcomes->setObjectName(QStringLiteral("closedOutcomes"));
    // It never widens its tile (the tiles keep equal widths): where the tile leaves no room, fitClosedOutcomes() hides
    // it.
    m_closedOutcomes->setMinimumWidth(1);
    auto *outcomes = new QHBoxLayout(m_closedOutcomes);
    outcomes->setContentsMargins(0, 0, 0, 0);
    outcomes->setSpacing(3);
    for (const auto &[tone, count] :
         {std::pair{StatusTone::Completed, m_closedCompleted}, std::pair{StatusTone::Refused, m_closedRefused}}) {
        auto *icon = new QLabel(m_closedOutcomes);
        icon->setPixmap(StatusStyle::icon(tone).pixmap(QSize(20, 20), devicePixelRatioF()));
        count->setObjectName(QStringLiteral("closed_%1").arg(toneName(tone)));
        count->setFont(pixelFont(font(), 24, true));
        if (tone == StatusTone::Refused)
            outcomes->addSpacing(6);
        outcomes->addWidget(icon);
        outcomes->addWidget(count);
    }
    m_departmentsLine->setObjectName(QStringLiteral("departmentCounts"));
    m_departmentsLine->setFont(pixelFont(font(), 26, false));
    m_departmentsLine->setTextFormat(Qt::RichText);
    m_departmentsLine->setWordWrap(true);
    m_departmentsLine->setMinimumHeight(QFontMetrics(m_departmentsLine->font()).height()); // no jump when it fills
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    layout->addLayout(tiles);
    layout->addWidget(m_departmentsLine);
    setTheme(m_theme);
}

void BoardCounts::setCounts(const QHash<StatusTone, int> &tones, const QList<std::pair<QString, int>> &departments,
                            ClosedOutcomes closed)
{
    // Nothing is redrawn when nothing changed: counts are refreshed on a timer, most often to the same numbers.
    if (m_counted && tones == m_tones && departments == m_departments && closed == m_closed)
        return;
    m_counted = true;
    m_tones = tones;
    m_departments = departments;
    m_closed = closed;
    render();
}

void BoardCounts::setTheme(const BoardTheme &theme)
{
    m_theme = theme;
    for (auto it = m_tiles.cbegin(); it != m_tiles.cend(); ++it) {
        const QColor colour = m_theme.tone(it.key());
        it->frame->setStyleSheet(QStringLiteral("QFrame#%1 { background: %2; border: 1px solid %3; "
                                                "border-left: 10px solid %3; border-radius: 6px; }")
                                     .arg(it->frame->objectName(), m_theme.tileBackground().name(), colour.name()));
        it->count->setStyleSheet(QStringLiteral("color: %1;").arg(colour.name()));
        it->word->setStyleSheet(QStringLiteral("color: %1;").arg(m_theme.text().name()));
    }
    m_closedCompleted->setStyleSheet(QStringLiteral("color: %1;").arg(m_theme.tone(StatusTone::Completed).name()));
    m_closedRefused->setStyleSheet(QStringLiteral("color: %1;").arg(m_theme.tone(StatusTone::Refused).name()));
    render();
}

void BoardCounts::retranslate()
{
    for (auto it = m_tiles.cbegin(); it != m_tiles.cend(); ++it)
        it->word->setText(StatusStyle::word(it.key()));
    render();
}

void BoardCounts::render()
{
    for (auto it = m_tiles.cbegin(); it != m_tiles.cend(); ++it) {
        it->count->setText(m_counted ? QLocale().toString(m_tones.value(it.key())) : QStringLiteral("–"));
        it->word->setText(StatusStyle::word(it.key()));
    }
    m_closedCompleted->setText(QLocale().toString(m_closed.completed));
    m_closedRefused->setText(QLocale().toString(m_closed.refused));
    m_closedOutcomes->setToolTip(
        tr("Closed visits: %1 completed, %2 refused")
            .arg(QLocale().toString(m_closed.completed), QLocale().toString(m_closed.refused)));
    fitClosedOutcomes();
    if (m_departments.isEmpty()) {
        m_departmentsLine->clear(); // the table says that nobody has come yet
        return;
    }
    QStringList parts;
    for (const auto &[name, count] : m_departments) {
        const QString number = QStringLiteral("<b>%1</b>").arg(QLocale().toString(count));
        parts.append(tr("%1 %2", "a department's name, then its count of visits").arg(name.toHtmlEscaped(), number));
    }
    m_departmentsLine->setText(QStringLiteral("<span style=\"color:%1\">%2</span>")
                                   .arg(m_theme.text().name(), parts.join(QStringLiteral(" &nbsp;·&nbsp; "))));
}

void BoardCounts::fitClosedOutcomes()
{
    const Tile tile = m_tiles.value(StatusTone::Closed);
    const QGridLayout *grid = static_cast<QGridLayout *>(tile.frame->layout());
    const QMargins margins = grid->contentsMargins() + tile.frame->contentsMargins();
    const int room = tile.frame->width() - margins.left() - margins.right() - grid->horizontalSpacing();
    const bool fits = tile.word->sizeHint().width() + m_closedOutcomes->sizeHint().width() <= room;
    m_closedOutcomes->setVisible(m_counted && m_closed.completed + m_closed.refused > 0 && fits);
}

bool BoardCounts::closedOutcomesShown() const
{
    return m_closedOutcomes->isVisibleTo(this);
}

bool BoardCounts::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize && watched == m_tiles.value(StatusTone::Closed).frame)
        fitClosedOutcomes();
    return QWidget::eventFilter(watched, event);
}

QString BoardCounts::departmentsText() const
{
    QStringList parts;
    for (const auto &[name, count] : m_departments)
        parts.append(QStringLiteral("%1 %2").arg(name).arg(count));
    return parts.join(QStringLiteral(" · "));
}

} // namespace clinicflow::client
