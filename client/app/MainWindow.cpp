// The window shell (see MainWindow.h).
#include "MainWindow.h"

#include "Language.h"
#include "models/TableModel.h"
#include "screens/common/ConflictsPanel.h"
#include "screens/common/ConnectionIndicator.h"
#include "screens/common/RoleScreen.h"
#include "screens/common/ShortcutText.h"
#include "screens/common/StatusStyle.h"
#include "station/Station.h"
#include "store/LocalStore.h"

#include <QActionGroup>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QEvent>
#include <QHeaderView>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

MainWindow::MainWindow(Station &station, RoleScreen *screen, QString server, Language &language, QWidget *parent)
    : QMainWindow(parent)
    , m_station(station)
    , m_screen(screen)
    , m_server(std::move(server))
    , m_language(language)
    , m_indicator(new ConnectionIndicator(station, this))
    , m_conflicts(new ConflictsPanel(station, this))
    , m_conflictsDock(new QDockWidget(this))
    , m_conflictsButton(new QToolButton(this))
{
    setObjectName(u"mainWindow"_s);
    StatusStyle::ensureIcons();
    setWindowIcon(QIcon(u":/icons/clinicflow.svg"_s));
    setCentralWidget(m_screen);
    m_conflictsDock->setObjectName(u"conflictsDock"_s);
    m_conflictsDock->setWidget(m_conflicts);
    m_conflictsDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::BottomDockWidgetArea, m_conflictsDock);
    m_conflictsDock->hide();
    m_conflictsButton->setObjectName(u"conflictsButton"_s);
    m_conflictsButton->setIcon(QIcon(u":/icons/conflict.svg"_s));
    m_conflictsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_conflictsButton->setAutoRaise(true);
    connect(m_conflictsButton, &QToolButton::clicked, this, [this] { m_conflictsDock->show(); });
    connect(m_conflicts, &ConflictsPanel::countChanged, this, &MainWindow::onConflictCount);
    statusBar()->addWidget(m_indicator);
    statusBar()->addPermanentWidget(m_conflictsButton);
    buildMenus();
    retranslate();
    // The title names the doctor from the roster, which a new station first learns from the server.
    connect(&m_station.store(), &LocalStore::catalogueChanged, this, &MainWindow::retranslate);
    onConflictCount(m_conflicts->unacknowledged());
    resize(1400, 900);
}

void MainWindow::buildMenus()
{
    menuBar()->clear();
    QMenu *station = menuBar()->addMenu(tr("&Station"));
    station->addAction(QIcon(u":/icons/settings.svg"_s), tr("&Settings…"), this, &MainWindow::settingsRequested);
    station->addSeparator();
    station->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(QIcon(u":/icons/conflict.svg"_s), tr("&Conflicts"), this, [this] { m_conflictsDock->show(); });
    if (m_screen->wantsFullScreen()) {
        QAction *full = view->addAction(QIcon(u":/icons/fullscreen.svg"_s), tr("&Full screen"));
        full->setObjectName(u"fullScreenAction"_s);
        full->setShortcut(QKeySequence(Qt::Key_F11));
        full->setShortcutContext(Qt::ApplicationShortcut);
        connect(full, &QAction::triggered, this, &MainWindow::toggleFullScreen);
        addAction(full); // stays reachable while the menu bar is hidden in full screen
    }
    QMenu *language = menuBar()->addMenu(tr("&Language"));
    m_languages = new QActionGroup(language);
    for (const auto &[code, name] : {std::pair{u"ko"_s, u"한국어"_s}, std::pair{u"en"_s, u"English"_s}}) {
        QAction *action = language->addAction(name);
        action->setCheckable(true);
        action->setChecked(m_language.current() == code);
        action->setObjectName(u"language-"_s + code);
        m_languages->addAction(action);
        connect(action, &QAction::triggered, this, [this, code] { Q_EMIT languageChosen(code); });
    }
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(QIcon(u":/icons/help.svg"_s), tr("&Keyboard shortcuts"), QKeySequence::HelpContents, this,
                    &MainWindow::showShortcuts);
    help->addAction(tr("&About ClinicFlow"), this, [this] {
        QMessageBox::about(this, tr("About ClinicFlow"),
                           tr("ClinicFlow %1: a hospital's patient flow, from the front desk to the end of treatment.")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        buildMenus();
        retranslate();
        // Models are not widgets: their headers and words are read again here.
        for (TableModel *model : m_screen->findChildren<TableModel *>())
            model->retranslate();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    const LocalStore &store = m_station.store();
    setWindowTitle(tr("%1 · station %2 · %3").arg(m_screen->roleTitle(), store.stationCode(), m_server));
    m_conflictsDock->setWindowTitle(tr("Refused actions"));
    onConflictCount(m_conflicts->unacknowledged());
}

void MainWindow::onConflictCount(int count)
{
    m_conflictsButton->setText(tr("%n refused action(s)", nullptr, count));
    m_conflictsButton->setVisible(count > 0);
    if (count > m_lastConflicts)
        m_conflictsDock->show(); // a new refusal: the user must see it, without a modal box
    m_lastConflicts = count;
}

void MainWindow::toggleFullScreen()
{
    const bool full = !isFullScreen();
    menuBar()->setVisible(!full);
    statusBar()->setVisible(!full);
    full ? showFullScreen() : showNormal();
}

void MainWindow::showShortcuts()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Keyboard shortcuts"));
    auto *table = new QTableWidget(&dialog);
    table->setObjectName(u"shortcutTable"_s);
    QList<Shortcut> all = m_screen->shortcuts();
    all.append({QKeySequence::HelpContents, tr("Show this list")});
    if (m_screen->wantsFullScreen())
        all.append({QKeySequence(Qt::Key_F11), tr("Full screen")});
    table->setColumnCount(2);
    table->setRowCount(int(all.size()));
    table->setHorizontalHeaderLabels({tr("Keys"), tr("Does")});
    for (int i = 0; i < all.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(shortcutText(all[i].keys)));
        table->setItem(i, 1, new QTableWidgetItem(all[i].what));
    }
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnsToContents();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog.resize(560, 360);
    dialog.exec();
}

} // namespace clinicflow::client
