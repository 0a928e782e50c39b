// The window shell around a role's screen (kept thin: STYLE.md): the title says the role, the station and the
// server; the status bar holds the connection indicator and the conflicts count; the conflicts panel is a dock that
// opens by itself when the server refuses an action; menus for the station's settings, the language, full screen and
// the keyboard shortcuts. Everything a role does is in its screen.
#pragma once

#include <QMainWindow>

class QActionGroup;
class QDockWidget;
class QToolButton;

namespace clinicflow::client {

class ConflictsPanel;
class ConnectionIndicator;
class Language;
class RoleScreen;
class Station;

class MainWindow : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // The window owns the screen; station and language outlive it.
    MainWindow(Station &station, RoleScreen *screen, QString server, Language &language, QWidget *parent = nullptr);

    RoleScreen *screen() const { return m_screen; }
    ConnectionIndicator *indicator() const { return m_indicator; }
    ConflictsPanel *conflicts() const { return m_conflicts; }

Q_SIGNALS:
    void settingsRequested();
    void languageChosen(const QString &code);

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildMenus();
    void retranslate();
    void showShortcuts();
    void toggleFullScreen();
    void onConflictCount(int count);

    Station &m_station;
    RoleScreen *m_screen;
    QString m_server;
    Language &m_language;
    ConnectionIndicator *m_indicator;
    ConflictsPanel *m_conflicts;
    QDockWidget *m_conflictsDock;
    QToolButton *m_conflictsButton;
    QActionGroup *m_languages = nullptr;
    int m_lastConflicts = 0;
};

} // namespace clinicflow::client
