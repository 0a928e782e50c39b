// The status language's colours, icons and words (see StatusStyle.h).
#include "StatusStyle.h"

#include <QHash>

// Outside any namespace, as Q_INIT_RESOURCE requires.
static void registerIcons()
{
    Q_INIT_RESOURCE(clinicflow);
}

namespace clinicflow::client {

namespace {

// One QIcon per file for the life of the app. A new QIcon per call would parse its SVG again, and, being a new icon,
// miss the pixmaps already rendered for it: the delegates ask for one for every cell they paint.
QIcon cachedIcon(const QString &path)
{
    StatusStyle::ensureIcons();
    static QHash<QString, QIcon> *icons = nullptr;
    if (!icons) {
        icons = new QHash<QString, QIcon>;
        qAddPostRoutine([] { // before the application (and what icons need of it) goes
            delete icons;
            icons = nullptr;
        });
    }
    auto it = icons->find(path);
    if (it == icons->end())
        it = icons->insert(path, QIcon(path));
    return *it;
}

} // namespace

void StatusStyle::ensureIcons()
{
    static const bool registered = (registerIcons(), true);
    Q_UNUSED(registered);
}

QColor StatusStyle::colour(StatusTone tone)
{
    switch (tone) {
    case StatusTone::Waiting:
        return QColor(0xD9, 0x77, 0x06); // amber
    case StatusTone::InTreatment:
        return QColor(0x25, 0x63, 0xEB); // blue
    case StatusTone::ResultsReady:
        return QColor(0x0D, 0x94, 0x88); // teal
    case StatusTone::Completed:
        return QColor(0x16, 0xA3, 0x4A); // green
    case StatusTone::Refused:
        return QColor(0x7C, 0x3A, 0xED); // purple
    case StatusTone::Closed:
        return QColor(0x6B, 0x72, 0x80); // grey
    case StatusTone::Cancelled:
        break;
    }
    return QColor(0xDC, 0x26, 0x26); // red
}

QIcon StatusStyle::icon(StatusTone tone)
{
    switch (tone) {
    case StatusTone::Waiting:
        return cachedIcon(QStringLiteral(":/icons/status-waiting.svg"));
    case StatusTone::InTreatment:
        return cachedIcon(QStringLiteral(":/icons/status-in-treatment.svg"));
    case StatusTone::ResultsReady:
        return cachedIcon(QStringLiteral(":/icons/status-results-ready.svg"));
    case StatusTone::Completed:
        return cachedIcon(QStringLiteral(":/icons/status-completed.svg"));
    case StatusTone::Refused:
        return cachedIcon(QStringLiteral(":/icons/status-refused.svg"));
    case StatusTone::Closed:
        return cachedIcon(QStringLiteral(":/icons/status-closed.svg"));
    case StatusTone::Cancelled:
        break;
    }
    return cachedIcon(QStringLiteral(":/icons/status-cancelled.svg"));
}

QString StatusStyle::word(StatusTone tone)
{
    switch (tone) {
    case StatusTone::Waiting:
        return tr("Waiting");
    case StatusTone::InTreatment:
        return tr("In treatment");
    case StatusTone::ResultsReady:
        return tr("Results ready");
    case StatusTone::Completed:
        return tr("Completed");
    case StatusTone::Refused:
        return tr("Refused");
    case StatusTone::Closed:
        return tr("Closed");
    case StatusTone::Cancelled:
        break;
    }
    return tr("Cancelled");
}

QList<StatusTone> StatusStyle::allTones()
{
    return {StatusTone::Waiting, StatusTone::InTreatment, StatusTone::ResultsReady, StatusTone::Completed,
            StatusTone::Refused, StatusTone::Closed,      StatusTone::Cancelled};
}

QIcon StatusStyle::pendingIcon()
{
    return cachedIcon(QStringLiteral(":/icons/pending.svg"));
}

QIcon StatusStyle::urgentIcon()
{
    return cachedIcon(QStringLiteral(":/icons/urgent.svg"));
}

QIcon StatusStyle::conflictIcon()
{
    return cachedIcon(QStringLiteral(":/icons/conflict.svg"));
}

QColor StatusStyle::mutedText()
{
    return QColor(0x6B, 0x72, 0x80);
}

QColor StatusStyle::urgentColour()
{
    return QColor(0xDC, 0x26, 0x26);
}

} // namespace clinicflow::client
