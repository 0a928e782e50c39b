// The status board (SCREENS.md): every visit of the day, live, made to be read from across a room. On top the title,
// the date and a large clock; under them the counts per status and per department; then the visits (ticket, masked
// patient, department, doctor, visit and consultation status, examinations done / total, waiting time) in large
// type, updated in place. Read-only: nothing to click or type. Full screen suits it (the main window toggles F11);
// Ctrl+D toggles the dark theme, which the app remembers through the darkTheme property. When the visits do not fit,
// the board turns the page every few seconds, so everyone's row comes into view. When the station has been without
// the server for a few seconds, a banner across the board says since when: its rows may be out of date, and the
// status bar's indicator is too small to read from across the room.
#pragma once

#include "BoardTheme.h"
#include "screens/common/RoleScreen.h"

#include <QDateTime>
#include <functional>

class QAction;
class QLabel;
class QTimer;

namespace clinicflow::client {

class BoardCounts;
class BoardTable;
class QueueView;
class Station;
class StatusBoardModel;

class BoardScreen : public RoleScreen
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BoardScreen)
    Q_PROPERTY(bool darkTheme READ darkTheme WRITE setDarkTheme NOTIFY darkThemeChanged)

public:
    explicit BoardScreen(Station &station, QWidget *parent = nullptr);
    ~BoardScreen() override;

    QString roleTitle() const override;
    QList<Shortcut> shortcuts() const override;
    bool wantsFullScreen() const override { return true; }

    bool darkTheme() const { return m_theme.dark; }
    void setDarkTheme(bool dark);

    // The time the clock shows and waiting times count from (UTC); tests pin it. The day shown follows it.
    void setClock(std::function<QDateTime()> clock);

    // For tests: what the board shows.
    StatusBoardModel *model() const { return m_model; }
    QueueView *table() const;
    BoardCounts *counts() const { return m_counts; }
    QString clockText() const;
    // The banner's text while it shows; empty while the board is connected.
    QString disconnectedText() const;
    // Recounts now, instead of at the next tick of the throttle.
    void refreshCounts();

Q_SIGNALS:
    void darkThemeChanged(bool dark);

protected:
    void changeEvent(QEvent *event) override;

private:
    void scheduleCounts();
    void tick();
    void refreshPage();
    void connectionChanged();
    void refreshBanner();
    void retranslate();

    Station &m_station;
    std::function<QDateTime()> m_clock;
    BoardTheme m_theme;
    StatusBoardModel *m_model;
    QLabel *m_title;
    QLabel *m_date;
    QLabel *m_clockLabel;
    BoardCounts *m_counts;
    BoardTable *m_table;
    QLabel *m_page;
    QLabel *m_banner;
    QDateTime m_disconnectedSince; // by m_clock; null while connected
    QAction *m_darkAction;
    QTimer *m_countsTimer; // single shot: counts at most a few times a second, however fast rows change
    QTimer *m_clockTimer;
    QTimer *m_pageTimer;
};

} // namespace clinicflow::client
