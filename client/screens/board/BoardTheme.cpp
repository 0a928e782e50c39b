// The board's light and dark looks (see BoardTheme.h).
#include "BoardTheme.h"

#include "screens/common/StatusStyle.h"

namespace clinicflow::client {

QFont pixelFont(const QFont &base, int pixels, bool bold)
{
    QFont font = base;
    font.setPixelSize(pixels);
    font.setBold(bold);
    return font;
}

QPalette BoardTheme::palette() const
{
    const QColor window = dark ? QColor(0x0B, 0x10, 0x20) : QColor(0xF3, 0xF4, 0xF6);
    const QColor base = dark ? QColor(0x11, 0x18, 0x27) : QColor(0xFF, 0xFF, 0xFF);
    const QColor alternate = dark ? QColor(0x1C, 0x25, 0x36) : QColor(0xEC, 0xEF, 0xF4);
    const QColor header = dark ? QColor(0x1F, 0x29, 0x37) : QColor(0xE2, 0xE6, 0xEC);
    QPalette p;
    for (const QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        p.setColor(group, QPalette::Window, window);
        p.setColor(group, QPalette::WindowText, text());
        p.setColor(group, QPalette::Base, base);
        p.setColor(group, QPalette::AlternateBase, alternate);
        p.setColor(group, QPalette::Text, text());
        p.setColor(group, QPalette::Button, header);
        p.setColor(group, QPalette::ButtonText, text());
        p.setColor(group, QPalette::PlaceholderText, mutedText());
        p.setColor(group, QPalette::Highlight, alternate); // nothing is ever selected; just in case
        p.setColor(group, QPalette::HighlightedText, text());
        p.setColor(group, QPalette::ToolTipBase, base);
        p.setColor(group, QPalette::ToolTipText, text());
        p.setColor(group, QPalette::Light, header.lighter(130));
        p.setColor(group, QPalette::Midlight, header.lighter(115));
        p.setColor(group, QPalette::Mid, header.darker(120));
        p.setColor(group, QPalette::Dark, header.darker(150));
        p.setColor(group, QPalette::Shadow, Qt::black);
    }
    return p;
}

QColor BoardTheme::text() const
{
    return dark ? QColor(0xF9, 0xFA, 0xFB) : QColor(0x0B, 0x12, 0x20);
}

QColor BoardTheme::mutedText() const
{
    return dark ? QColor(0xB6, 0xBE, 0xCB) : QColor(0x37, 0x41, 0x51);
}

QColor BoardTheme::tileBackground() const
{
    return dark ? QColor(0x1A, 0x22, 0x33) : QColor(0xFF, 0xFF, 0xFF);
}

QColor BoardTheme::tone(StatusTone tone) const
{
    const QColor colour = StatusStyle::colour(tone);
    if (!dark)
        return colour;
    // Same hue, lifted to a lightness that keeps at least 4.5:1 against the dark rows.
    float h = 0, s = 0, l = 0;
    colour.getHslF(&h, &s, &l);
    return QColor::fromHslF(h, s, std::max(l, 0.70f));
}

} // namespace clinicflow::client
