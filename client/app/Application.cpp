// The desktop app put together (see Application.h).
#include "Application.h"

#include "MainWindow.h"
#include "SetupDialog.h"
#include "common/Config.h"
#include "common/SignalWatcher.h"
#include "screens/board/BoardScreen.h"
#include "screens/common/ErrorText.h"
#include "screens/doctor/DoctorScreen.h"
#include "screens/examiner/ExaminerScreen.h"
#include "screens/reception/ReceptionScreen.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

Application::Application(QApplication &app)
    : m_app(app)
{
}

Application::~Application()
{
    m_window.reset(); // the screens first: they hold on to the station's store
    m_station.reset();
}

RoleScreen *Application::makeScreen()
{
    Station &station = *m_station;
    switch (m_options.role) {
    case Role::Receptionist:
        return new ReceptionScreen(station);
    case Role::Doctor:
        return new DoctorScreen(station, m_options.doctor);
    case Role::Examiner: {
        auto *screen = new ExaminerScreen(station, m_options.examTypes);
        connect(screen, &ExaminerScreen::codesChanged, this, [this](const QSet<QString> &codes) {
            m_options.examTypes = codes;
            if (m_saveOptions)
                m_options.save();
        });
        return screen;
    }
    case Role::Board:
        break;
    }
    // The board's theme is the room's choice: kept for the next start.
    auto *board = new BoardScreen(station);
    QSettings settings;
    board->setDarkTheme(settings.value(u"board/darkTheme"_s, false).toBool());
    connect(board, &BoardScreen::darkThemeChanged, this,
            [](bool dark) { QSettings().setValue(u"board/darkTheme"_s, dark); });
    return board;
}

bool Application::open(const StationOptions &options, QString *error)
{
    m_window.reset();
    m_station.reset();
    m_options = options;
    m_language.apply(options.language);
    auto enrolment = options.loadEnrolment();
    if (!enrolment) {
        if (error)
            *error = enrolment.error().detail;
        return false;
    }
    WorkstationSettings settings;
    settings.keys = enrolment->keys;
    settings.storePath = options.storePath();
    settings.station = options.station;
    settings.role = options.role;
    settings.requestEndpoint = options.server;
    settings.publishEndpoint = options.publishEndpoint();
    auto opened = Workstation::open(settings);
    if (!opened) {
        if (error)
            *error = ErrorText::sentence(opened.error());
        return false;
    }
    m_station = std::move(opened).value();
    m_window = std::make_unique<MainWindow>(*m_station, makeScreen(), options.server, m_language);
    connect(m_window.get(), &MainWindow::settingsRequested, this, &Application::changeSettings, Qt::QueuedConnection);
    connect(m_window.get(), &MainWindow::languageChosen, this, &Application::chooseLanguage);
    m_station->start();
    return true;
}

void Application::chooseLanguage(const QString &code)
{
    m_language.apply(code);
    m_options.language = code;
    // The language is the user's, whatever the station: kept even when the station came from the command line.
    StationOptions saved = StationOptions::load();
    saved.language = code;
    saved.save();
}

void Application::changeSettings()
{
    const Catalogue roster = m_station ? m_station->store().catalogue() : Catalogue::builtIn();
    SetupDialog dialog(m_options, roster, m_window.get());
    if (dialog.exec() != QDialog::Accepted)
        return;
    const StationOptions chosen = dialog.options();
    chosen.save();
    m_saveOptions = true;
    QString error;
    if (!open(chosen, &error)) {
        QMessageBox::warning(nullptr, tr("Station not opened"), error);
        return;
    }
    m_window->show();
    m_window->screen()->focusFirst();
}

int Application::run()
{
    // The language first, so that --help and the options' errors speak it: --lang if given, else the saved one.
    const QStringList args = m_app.arguments();
    const qsizetype lang = args.indexOf(u"--lang"_s);
    m_language.apply(lang >= 0 && lang + 1 < args.size() ? args.at(lang + 1) : StationOptions::load().language);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("ClinicFlow workstation: front desk, consultation, examinations or status board."));
    parser.addHelpOption();
    parser.addVersionOption();
    StationOptions::addTo(parser);
    parser.process(m_app);

    StationOptions saved = StationOptions::load();
    QString error;
    auto options = StationOptions::fromParser(parser, saved, &error);
    if (!options) {
        fprintf(stderr, "clinicflow: %s\n", qPrintable(error));
        return 2;
    }
    m_language.apply(options->language); // the setup dialog speaks it too
    // Values given on the command line are this run's; the setup dialog's are kept for the next.
    const bool fromCommandLine = parser.isSet(u"station"_s) || parser.isSet(u"server"_s) || parser.isSet(u"role"_s) ||
                                 parser.isSet(u"enrolment"_s);
    if (!options->isComplete() || parser.isSet(u"setup"_s)) {
        SetupDialog dialog(*options, Catalogue::builtIn());
        if (dialog.exec() != QDialog::Accepted)
            return 0;
        options = dialog.options();
        options->save();
        m_saveOptions = true;
    } else {
        m_saveOptions = !fromCommandLine;
    }
    if (!open(*options, &error)) {
        QMessageBox::critical(nullptr, tr("ClinicFlow"), tr("The station cannot start: %1").arg(error));
        return 1;
    }
    common::SignalWatcher stopSignals;
    connect(&stopSignals, &common::SignalWatcher::stopRequested, &m_app, &QApplication::closeAllWindows);
    m_window->show();
    m_window->screen()->focusFirst();
    return m_app.exec();
}

} // namespace clinicflow::client
