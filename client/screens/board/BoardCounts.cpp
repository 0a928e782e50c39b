// The board's counts (see BoardCounts.h).
#include "BoardCounts.h"

#include "screens/common/StatusStyle.h"

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
        tiles->addWidget(t.frame, 1);
        m_tiles.insert(tone, t);
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

void BoardCounts::setCounts(const QHash<StatusTone, int> &tones, const QList<std::pair<QString, int>> &departments)
{
    // Nothing is redrawn when nothing changed: counts are refreshed on a timer, most often to the same numbers.
    if (m_counted && tones == m_tones && departments == m_departments)
        return;
    m_counted = true;
    m_tones = tones;
    m_departments = departments;
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

QString BoardCounts::departmentsText() const
{
    QStringList parts;
    for (const auto &[name, count] : m_departments)
        parts.append(QStringLiteral("%1 %2").arg(name).arg(count));
    return parts.join(QStringLiteral(" · "));
}

} // namespace clinicflow::client
