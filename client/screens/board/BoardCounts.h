// The board's headline, on top (SCREENS.md): one tile per status tone (its icon, its colour, the count and its word,
// always all of them in the same places, so the eye learns where to look), and below them the count per department.
#pragma once

#include "BoardTheme.h"

#include <QHash>
#include <QWidget>

class QFrame;
class QLabel;

namespace clinicflow::client {

class BoardCounts : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BoardCounts)

public:
    explicit BoardCounts(QWidget *parent = nullptr);

    // departments: (name, count) in the roster's order.
    void setCounts(const QHash<StatusTone, int> &tones, const QList<std::pair<QString, int>> &departments);
    void setTheme(const BoardTheme &theme);
    void retranslate();

    // What is shown, for tests.
    int toneCount(StatusTone tone) const { return m_tones.value(tone); }
    QString departmentsText() const;

private:
    struct Tile
    {
        QFrame *frame = nullptr;
        QLabel *icon = nullptr;
        QLabel *count = nullptr;
        QLabel *word = nullptr;
    };
    void render();

    BoardTheme m_theme;
    bool m_counted = false; // until the first count, a dash rather than a misleading 0
    QHash<StatusTone, int> m_tones;
    QList<std::pair<QString, int>> m_departments;
    QHash<StatusTone, Tile> m_tiles;
    QLabel *m_departmentsLine;
};

} // namespace clinicflow::client
