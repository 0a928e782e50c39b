// A shortcut as the screens write it beside an action ("Prescribe  F5"): the platform's own words for the keys.
#pragma once

#include <QKeySequence>
#include <QString>

namespace clinicflow::client {

inline QString shortcutText(const QKeySequence &keys)
{
    return keys.toString(QKeySequence::NativeText);
}

} // namespace clinicflow::client
