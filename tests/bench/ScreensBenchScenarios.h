// The screens benchmark's four measurements, run in turn by main() (BenchScreens.cpp).
#pragma once

#include "MainWindow.h"
#include "station/Workstation.h"

#include <QString>
#include <memory>

namespace clinicflow::client {
class BoardScreen;
class Language;
} // namespace clinicflow::client

namespace clinicflow::bench {

// ---- 1 and 2: the board over 100,000 visits -----------------------------------------------------------------------

struct Board
{
    std::unique_ptr<client::Workstation> station;
    std::unique_ptr<client::MainWindow> window;
    client::BoardScreen *screen = nullptr;
};

Board openBoard(const QString &path, client::Language &language);
void liveEvents(Board &board, int events);

// ---- 3: the desk --------------------------------------------------------------------------------------------------

void deskActions(const QString &path, int visits, int actions, client::Language &language);

// ---- 4: catching up with the GUI thread watched -------------------------------------------------------------------

void catchUp(const QString &dir, quint64 events, client::Language &language);

} // namespace clinicflow::bench
