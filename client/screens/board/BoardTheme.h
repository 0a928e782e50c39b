// The board's two looks, light and dark, both made to be read from across a room: near-black on white or near-white
// on near-black, and the status language's colours lightened on the dark one, where the desk's shades would be too
// dim (StatusStyle's colours are chosen for a light background).
#pragma once

#include "models/StatusTone.h"

#include <QColor>
#include <QFont>
#include <QPalette>

namespace clinicflow::client {

struct BoardTheme
{
    bool dark = false;

    QPalette palette() const;
    QColor text() const;
    QColor mutedText() const;
    QColor tileBackground() const;
    QColor tone(StatusTone tone) const; // the tone's colour, readable on this theme's background
};

// `base` at a size in pixels, not points: the board is judged by how tall its text is on the wall (SCREENS.md: 24 px
// at least).
QFont pixelFont(const QFont &base, int pixels, bool bold);

} // namespace clinicflow::client
