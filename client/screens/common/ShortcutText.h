// A shortcut as the screens write it beside an action ("Prescribe  F5"): the platform's own words for the keys, but
// "Enter" for the key a PC keyboard labels so, which Qt calls Return (the screens' own words say "Ctrl+Enter", and one
// key must not have two names in one window). Every shortcut a screen shows is written here.
#pragma once

#include <QKeySequence>
#include <QString>

namespace clinicflow::client {

inline QString shortcutText(const QKeySequence &keys)
{
    return keys.toString(QKeySequence::NativeText).replace(QStringLiteral("Return"), QStringLiteral("Enter"));
}

} // namespace clinicflow::client
