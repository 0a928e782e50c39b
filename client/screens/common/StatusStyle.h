// The status language drawn (SCREENS.md): one colour, one icon and one word per tone, the same on every screen, and
// the marks every row may carry (pending, urgent, conflict). Colour is never the only signal: each tone has its word
// and its icon too, for colour-blind users and printed lists.
#pragma once

#include "models/StatusTone.h"

#include <QColor>
#include <QCoreApplication>
#include <QIcon>

namespace clinicflow::client {

class StatusStyle
{
    Q_DECLARE_TR_FUNCTIONS(StatusStyle)

public:
    static QColor colour(StatusTone tone);
    static QIcon icon(StatusTone tone);
    static QString word(StatusTone tone); // the tone's name in the legend and the board's counts
    static QList<StatusTone> allTones();

    static QIcon pendingIcon();  // not yet confirmed by the server
    static QIcon urgentIcon();   // the urgent badge
    static QIcon conflictIcon(); // a refused action
    static QColor mutedText();   // a pending row's text
    static QColor urgentColour();

    // Registers the icons (resources/clinicflow.qrc, compiled into this static library) before their first use: a
    // static library's resources are not registered by themselves. Every accessor above calls it; so may others.
    static void ensureIcons();
};

} // namespace clinicflow::client
