// The board's headline, on top (SCREENS.md): one tile per status tone (its icon, its colour, the count and its word,
// always all of them in the same places, so the eye learns where to look), and below them the count per department.
// The closed tile also says, beside its word, how those visits' treatment ended (completed and refused, each with its
// tone's icon): where the window leaves no room for it, the tile shows its count alone rather than cut text.
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

    // Of the closed visits, how many had their treatment completed, and how many refused.
    struct ClosedOutcomes
    {
        int completed = 0;
        int refused = 0;
        friend bool operator==(const ClosedOutcomes &, const ClosedOutcomes &) = default;
    };

    // departments: (name, count) in the roster's order.
    void setCounts(const QHash<StatusTone, int> &tones, const QList<std::pair<QString, int>> &departments,
                   ClosedOutcomes closed);
    void setTheme(const BoardTheme &theme);
    void retranslate();

    // What is shown, for tests.
    int toneCount(StatusTone tone) const { return m_tones.value(tone); }
    QString departmentsText() const;
    ClosedOutcomes closedOutcomes() const { return m_closed; }
    bool closedOutcomesShown() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Tile
    {
        QFrame *frame = nullptr;
        QLabel *icon = nullptr;
        QLabel *count = nullptr;
        QLabel *word = nullptr;
    };
    void render();
    void fitClosedOutcomes(); // shown when there are some and the closed tile has room beside its word

    BoardTheme m_theme;
    bool m_counted = false; // until the first count, a dash rather than a misleading 0
    QHash<StatusTone, int> m_tones;
    QList<std::pair<QString, int>> m_departments;
    QHash<StatusTone, Tile> m_tiles;
    ClosedOutcomes m_closed;
    QWidget *m_closedOutcomes; // in the closed tile: the completed icon and count, the refused ones
    QLabel *m_closedCompleted;
    QLabel *m_closedRefused;
    QLabel *m_departmentsLine;
};

} // namespace clinicflow::client
