// The desktop app in a test: the real clinicflow-server as a child process, and one Application (the window of a
// role's screen over a Workstation with its own store) per station, opened as `clinicflow --role ... --station ...`
// would open it, offscreen. Helpers fill the desk's form as a receptionist would and read what each screen shows.
#pragma once

#include "Application.h"
#include "MainWindow.h"
#include "ServerProcess.h"
#include "domain/Types.h"

#include <QTemporaryDir>
#include <memory>
#include <vector>

namespace clinicflow::testsupport {

class AppHarness
{
public:
    AppHarness();
    ~AppHarness();

    bool startServer(const QStringList &extraArgs = {}); // extraArgs: ServerProcess::start's
    ServerProcess &server() { return m_server; }

    // Opens a station's window (its store in this harness's folder); nullptr with the reason in error().
    client::Application *open(domain::Role role, const QString &station, const QString &doctor = {},
                              const QString &language = QStringLiteral("en"));
    QString error() const { return m_error; }

    // The window's screen or widget of that type (and objectName, when given).
    template<typename T>
    static T *find(client::Application *app, const QString &name = {})
    {
        return app->window()->findChild<T *>(name);
    }

    // Until the station says Online and has every event the server announced.
    static bool waitSynced(client::Application *app, int timeoutMs = 20000);

private:
    ServerProcess m_server;
    QTemporaryDir m_stores;
    std::vector<std::unique_ptr<client::Application>> m_apps;
    QString m_error;
};

// Types into a widget as a person does: Latin text key by key, Korean (or any text beyond ASCII) as the input method
// commits it.
void typeText(QWidget *widget, const QString &text);

// The desk's form, filled in as a receptionist types it, and sent with Ctrl+Enter.
struct DeskEntry
{
    QString name{};
    QString birthDate = QStringLiteral("1980-05-17");
    QString department = QStringLiteral("IM"); // catalogue code
    QString complaint = QStringLiteral("cough for two weeks");
    QString doctor{}; // roster id; empty: any doctor
    bool urgent = false;
};
void fillAndRegister(client::Application *desk, const DeskEntry &entry);

// A key as the user presses it in that station's window: to the focused widget of its open dialog, else of the
// window, which becomes the active one first (the offscreen platform has no window manager to do it).
void press(client::Application *app, QKeyCombination keys);
// The station's open dialog of that object name, once it is shown; nullptr otherwise.
QWidget *shownDialog(client::Application *app, const QString &name);

} // namespace clinicflow::testsupport
