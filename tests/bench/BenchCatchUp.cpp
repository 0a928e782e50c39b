// Measurement 4 of the screens benchmark: the GUI thread, watched by a 1 ms timer, while a fresh station catches up.
#include "Language.h"
#include "ScreensBenchData.h"
#include "ScreensBenchScenarios.h"
#include "ScreensBenchSupport.h"
#include "ServerProcess.h"
#include "TestStation.h"
#include "models/DoctorQueueModel.h"
#include "models/StatusBoardModel.h"
#include "screens/board/BoardScreen.h"
#include "screens/doctor/DoctorScreen.h"
#include "store/LocalStore.h"

#include <QElapsedTimer>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::domain;

namespace clinicflow::bench {

// ---- 4: catching up with the GUI thread watched -------------------------------------------------------------------

void catchUp(const QString &dir, quint64 events, Language &language)
{
    heading(u"4. The GUI thread while a fresh station catches up on the server's log (real server, 1 ms timer)"_s);
    // The log is filled by one desk far faster than a station's share of the gateway allows (--station-rate, 200
    // requests a second): the server that takes the fill has no such limit, and the stations then catch up from
    // the same data on a server with the defaults.
    const QStringList defaults{u"--log-level"_s, u"warning"_s};
    testsupport::ServerProcess server;
    if (!server.start(defaults + QStringList{u"--station-rate"_s, u"1000000"_s})) {
        std::fprintf(stderr, "cannot start the server: %s\n", qPrintable(server.errorString()));
        return;
    }
    quint64 head = 0;
    {
        testsupport::TestStation filler;
        filler.connect(server.port());
        QElapsedTimer fill;
        fill.start();
        if (!filler.hello(u"B"_s, v1::ROLE_RECEPTIONIST) || !fillLog(filler, events)) {
            std::fprintf(stderr, "cannot fill the log: %s\n", qPrintable(filler.lastError()));
            return;
        }
        head = filler.ping(10s)->head_sequence();
        std::printf("  (server log filled to %llu events in %.1f s)\n", static_cast<unsigned long long>(head),
                    fill.elapsed() / 1e3);
    }
    if (!server.terminate() || !server.restart(defaults)) {
        std::fprintf(stderr, "cannot restart the server: %s\n", qPrintable(server.errorString()));
        return;
    }
    const QString requests = u"tcp://127.0.0.1:%1"_s.arg(server.port());
    const QString publish = u"tcp://127.0.0.1:%1"_s.arg(server.pubPort());

    for (const Role role : {Role::Board, Role::Doctor}) {
        const bool isBoard = role == Role::Board;
        const QString code = isBoard ? u"BRD"_s : u"DK"_s;
        const auto enrolment = server.enrol(code, role);
        if (!enrolment)
            return;
        auto station =
            openStation(u"%1/catchup-%2.sqlite"_s.arg(dir, code), code, role, requests, publish, enrolment->keys);
        if (!station)
            return;
        RoleScreen *screen =
            isBoard ? static_cast<RoleScreen *>(new BoardScreen(*station)) : new DoctorScreen(*station, u"dr.choi"_s);
        MainWindow window(*station, screen, requests, language);
        window.show();
        runFor(300); // the empty window painted
        StallMeter meter;
        QElapsedTimer clock;
        meter.start();
        clock.start();
        station->start();
        const bool reached = waitUntil([&] { return station->store().lastSequence() >= head; }, 600000);
        const qint64 took = clock.nsecsElapsed();
        runFor(1500); // what the screen does once the log is in (throttled counts, a last repaint)
        meter.stop();
        const auto *rows = isBoard ? static_cast<QAbstractItemModel *>(static_cast<BoardScreen *>(screen)->model())
                                   : static_cast<DoctorScreen *>(screen)->queueModel();
        std::printf("  %s window (%s)\n", isBoard ? "board" : "doctor (dr.choi)",
                    isBoard ? "the server's snapshot, then live events" : "every event of the log");
        line("  time to the head", reached ? ms(took) / 1e3 : -1, "s");
        line("  rows on the screen at the end", rows->rowCount(), "");
        line("  longest gap between 1 ms ticks", meter.longestMs(), "ms", bar(meter.longestMs(), 50, "ms"));
        line("  ... at (s after start)", meter.longestAtS(), "s");
        line("  gaps > 16 ms / > 50 ms", meter.over(16), "", u"/ %1"_s.arg(meter.over(50)));
        std::printf("    the 8 longest gaps: %s\n", qPrintable(meter.longest(8)));
        line("  time inside gaps > 16 ms", meter.blockedMs(16), "ms");
        station->stop();
    }
}

} // namespace clinicflow::bench
