// The app in a test (see AppHarness.h).
#include "AppHarness.h"

#include "MainWindow.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QInputMethodEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSettings>
#include <QTest>

using namespace Qt::StringLiterals;

namespace clinicflow::testsupport {

AppHarness::AppHarness()
{
    // The stations' settings (language, the board's theme) go to this test's folder, never the user's own.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_stores.filePath(u"settings"_s));
}

AppHarness::~AppHarness()
{
    m_apps.clear(); // windows and stations before the server
}

bool AppHarness::startServer(const QStringList &extraArgs)
{
    if (m_server.start(extraArgs))
        return true;
    m_error = m_server.errorString();
    return false;
}

client::Application *AppHarness::open(domain::Role role, const QString &station, const QString &doctor,
                                      const QString &language)
{
    // As at a real station: enrolled by the server, and its enrolment imported.
    client::StationOptions options;
    options.dataDir = m_stores.path();
    options.language = language;
    const auto enrolment = m_server.enrol(station, role, doctor);
    if (!enrolment) {
        m_error = u"station %1 could not be enrolled"_s.arg(station);
        return nullptr;
    }
    if (!options.importEnrolment(*enrolment, &m_error))
        return nullptr;
    auto app = std::make_unique<client::Application>(*qApp);
    if (!app->open(options, &m_error))
        return nullptr;
    app->window()->show();
    m_apps.push_back(std::move(app));
    return m_apps.back().get();
}

bool AppHarness::waitSynced(client::Application *app, int timeoutMs)
{
    client::Workstation *station = app->station();
    return pollUntil(
        [station] {
            return station->state() == client::ConnectionState::Online &&
                   station->store().lastSequence() >= station->headSequence();
        },
        timeoutMs, 20);
}

void typeText(QWidget *widget, const QString &text)
{
    QString ascii;
    const auto flush = [&] {
        if (!ascii.isEmpty())
            QTest::keyClicks(widget, ascii);
        ascii.clear();
    };
    for (const QChar c : text) {
        if (c.unicode() < 128) {
            ascii += c;
            continue;
        }
        flush();
        QInputMethodEvent commit;
        commit.setCommitString(QString(c));
        QCoreApplication::sendEvent(widget, &commit);
    }
    flush();
}

void press(client::Application *app, QKeyCombination keys)
{
    QWidget *window = app->window();
    for (QDialog *dialog : window->findChildren<QDialog *>()) {
        if (dialog->isVisible())
            window = dialog;
    }
    if (QApplication::activeWindow() != window)
        QApplication::setActiveWindow(window);
    QWidget *focus = QApplication::focusWidget();
    QWidget *target = focus && focus->window() == window ? focus : window;
    QTest::keyClick(target, keys.key(), keys.keyboardModifiers());
}

QWidget *shownDialog(client::Application *app, const QString &name)
{
    auto *dialog = app->window()->findChild<QDialog *>(name);
    return dialog && dialog->isVisible() ? dialog : nullptr;
}

void fillAndRegister(client::Application *desk, const DeskEntry &entry)
{
    auto *window = desk->window();
    auto *name = window->findChild<QLineEdit *>(u"name"_s);
    auto *birth = window->findChild<QLineEdit *>(u"birthDate"_s);
    auto *department = window->findChild<QComboBox *>(u"department"_s);
    auto *complaint = window->findChild<QPlainTextEdit *>(u"complaint"_s);
    QVERIFY(name && birth && department && complaint);
    // The receptionist works in the desk's window: it is the active one (its shortcuts answer only then). The
    // offscreen platform has no window manager to activate it on a click.
    QApplication::setActiveWindow(window);
    QTRY_COMPARE(QApplication::activeWindow(), window);
    name->setFocus();
    typeText(name, entry.name);
    typeText(birth, entry.birthDate);
    department->setCurrentIndex(department->findData(entry.department));
    if (!entry.doctor.isEmpty()) {
        auto *doctor = window->findChild<QComboBox *>(u"doctor"_s);
        doctor->setCurrentIndex(doctor->findData(entry.doctor));
    }
    typeText(complaint, entry.complaint);
    if (entry.urgent)
        window->findChild<QRadioButton *>(u"urgentPriority"_s)->setChecked(true);
    QTest::keyClick(name, Qt::Key_Return, Qt::ControlModifier);
}

} // namespace clinicflow::testsupport
