// clinicflow-bench-screens: the screens' figures as the user sees them, printed with the bar beside each, never
// asserted (benchmarks print, tests assert). Offscreen (QT_QPA_PLATFORM=offscreen unless set), real widgets.
//   clinicflow-bench-screens [--visits 100000] [--desk-visits 2000] [--actions 500] [--events 100000]
//                            [--only board,live,desk,catchup] [--dir <folder for the stores>]
// 1. board: a board station's store holds --visits visits of today, in every state (written by a child process, so
//    this process starts as the app does: a store on disk, nothing in memory). From opening the station
//    (Workstation::open) to the table's first paint, then until every row is on the board (the rest of the store is
//    read in steps while the window shows), the longest GUI stall meanwhile, and the resident memory.
// 2. live: on that board, single events applied to rows on screen: the model's signals (never a reset) and the time
//    from LocalStore::applyEvents to the table's repaint.
// 3. desk: the real ReceptionScreen over a store holding --desk-visits visits of today: the form filled as typed,
//    Ctrl+Enter, until the new row is in today's visits and the table has repainted; --actions times, each with its
//    durable local commit.
// 4. catchup: the real server with --events events in its log; a fresh board station, then a fresh doctor station,
//    each with its window open, catch up while a 1 ms timer on the GUI thread records the longest gap between ticks.
#include "Language.h"
#include "ScreensBenchData.h"
#include "ScreensBenchScenarios.h"
#include "ScreensBenchSupport.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace clinicflow::client;
using namespace clinicflow::bench;

int main(int argc, char **argv)
{
    // The child's work: write the board's store, then exit (see openBoard).
    for (int i = 1; i + 1 < argc; ++i) {
        if (qstrcmp(argv[i], "--make-board-store") == 0) {
            QCoreApplication child(argc, argv);
            const int at = int(child.arguments().indexOf(u"--visits"_s));
            return makeBoardStore(child.arguments().at(i + 1),
                                  at > 0 ? child.arguments().value(at + 1).toInt() : 100000);
        }
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QLoggingCategory::setFilterRules(u"clinicflow.*.debug=false\nclinicflow.*.info=false"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"ClinicFlow screens benchmark: figures printed, never asserted"_s);
    parser.addHelpOption();
    parser.addOption({u"visits"_s, u"Visits of today in the board's store (default 100000)."_s, u"n"_s, u"100000"_s});
    parser.addOption({u"live"_s, u"Live events applied under the board (default 20)."_s, u"n"_s, u"20"_s});
    parser.addOption({u"desk-visits"_s, u"Visits of today in the desk's store (default 2000)."_s, u"n"_s, u"2000"_s});
    parser.addOption({u"actions"_s, u"Registrations timed at the desk (default 500)."_s, u"n"_s, u"500"_s});
    parser.addOption(
        {u"events"_s, u"Events in the server's log to catch up on (default 100000)."_s, u"n"_s, u"100000"_s});
    parser.addOption({u"only"_s, u"Measurements to run: board,live,desk,catchup (default all)."_s, u"list"_s,
                      u"board,live,desk,catchup"_s});
    parser.addOption({u"dir"_s, u"Folder for the stores (default: a new temporary folder)."_s, u"path"_s});
    parser.process(app);
    const QStringList only = parser.value(u"only"_s).split(u',');
    QTemporaryDir temporary;
    const QString dir = parser.isSet(u"dir"_s) ? parser.value(u"dir"_s) : temporary.path();
    printContext(dir);

    Language language;
    language.apply(u"en"_s);
    if (only.contains(u"board"_s) || only.contains(u"live"_s)) {
        const QString path = dir + u"/board.sqlite"_s;
        QFile::remove(path);
        if (QProcess::execute(QCoreApplication::applicationFilePath(),
                              {u"--make-board-store"_s, path, u"--visits"_s, parser.value(u"visits"_s)}) != 0)
            return 1;
        Board board = openBoard(path, language);
        if (!board.screen)
            return 1;
        if (only.contains(u"live"_s))
            liveEvents(board, parser.value(u"live"_s).toInt());
        board.station->stop();
    }
    if (only.contains(u"desk"_s))
        deskActions(dir + u"/desk.sqlite"_s, parser.value(u"desk-visits"_s).toInt(), parser.value(u"actions"_s).toInt(),
                    language);
    if (only.contains(u"catchup"_s))
        catchUp(dir, parser.value(u"events"_s).toULongLong(), language);
    return 0;
}
