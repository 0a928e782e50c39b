// The desktop app put together: the options (command line, else the setup dialog's saved settings), the language,
// the station (its local store wired to the server) and the window with the role's screen. Changing the station's
// settings from the menu builds the station and the window again. SIGINT and SIGTERM close the windows, so the
// store and the engine stop cleanly (Ctrl-C in the README's run command).
#pragma once

#include "Language.h"
#include "StationOptions.h"

#include <QObject>
#include <memory>

class QApplication;

namespace clinicflow::client {

class MainWindow;
class RoleScreen;
class Workstation;

class Application : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Application)

public:
    explicit Application(QApplication &app);
    ~Application() override;

    // Parses the arguments, asks what is missing, opens the station and its window; then runs until it is closed.
    int run();

    // For tests: opens a station and its window as run() would, without a command line or dialogs.
    bool open(const StationOptions &options, QString *error);
    MainWindow *window() const { return m_window.get(); }
    Workstation *station() const { return m_station.get(); }

private:
    RoleScreen *makeScreen();
    void changeSettings();
    void chooseLanguage(const QString &code);

    QApplication &m_app;
    Language m_language;
    StationOptions m_options;
    bool m_saveOptions = false; // they came from the setup dialog, not the command line
    std::unique_ptr<Workstation> m_station;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace clinicflow::client
