// Measurements 1 and 2 of the screens benchmark: the board opening over 100,000 visits, then live events on it.
#include "Language.h"
#include "ScreensBenchData.h"
#include "ScreensBenchScenarios.h"
#include "ScreensBenchSupport.h"
#include "models/StatusBoardModel.h"
#include "screens/board/BoardScreen.h"
#include "screens/common/QueueView.h"
#include "store/LocalStore.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::domain;

namespace clinicflow::bench {

// ---- 1 and 2: the board over 100,000 visits -----------------------------------------------------------------------

// A board station opens over the first rows of its store and reads the rest a step at a time while its window shows
// (Workstation, LocalStore::Rows::InSteps): the bar is from opening the station to the first paint; the board is whole
// once every row is on it.
Board openBoard(const QString &path, Language &language)
{
    heading(u"1. The board opening over its local store (Workstation::open + MainWindow + BoardScreen, offscreen)"_s);
    Board board;
    const double rssBefore = memoryMb("VmRSS");
    QElapsedTimer clock;
    clock.start();
    board.station = openStation(path, u"BRD"_s, Role::Board);
    if (!board.station)
        return board;
    const qint64 opened = clock.nsecsElapsed();
    const double rssOpened = memoryMb("VmRSS");

    board.screen = new BoardScreen(*board.station);
    PaintWatch watch(board.screen->table()->viewport());
    board.window = std::make_unique<MainWindow>(*board.station, board.screen, kNoServer, language);
    const qint64 constructed = clock.nsecsElapsed();
    board.station->start();
    board.window->show();
    StallMeter filling; // from the first paint until every row is on the board, and the counts after it
    const bool painted = waitUntil([&] { return watch.seen(); }, 60000);
    const qint64 firstPaint = clock.nsecsElapsed();
    filling.start();
    const int rowsAtFirstPaint = board.screen->model()->rowCount();
    const double rssPainted = memoryMb("VmRSS");
    const bool whole = waitUntil([&] { return !board.station->store().rowsPending(); }, 60000);
    runFor(0); // the last step's rows into the model
    const qint64 allRows = clock.nsecsElapsed();
    const int visits = int(board.station->store().visitIds().size());
    runFor(2500);
    filling.stop();
    const double rssSettled = memoryMb("VmRSS");

    line("visits in the store (today, every status)", visits, "");
    line("rows on the board at the first paint", rowsAtFirstPaint, "");
    line("rows on the board once every row is read", board.screen->model()->rowCount(), "");
    line("station open (store, first 2,000 rows)", ms(opened), "ms");
    line("construct MainWindow + BoardScreen", ms(constructed - opened), "ms");
    line("station open -> first paint of the table", painted ? ms(firstPaint) : -1, "ms",
         bar(ms(firstPaint), 300, "ms"));
    line("station open -> every row on the board", whole ? ms(allRows) : -1, "ms");
    line("longest GUI stall from the first paint to 2.5 s after the last row", filling.longestMs(), "ms");
    line("resident memory before opening the store (VmRSS)", rssBefore, "MB");
    line("resident memory after the station opened", rssOpened, "MB");
    line("resident memory at the first paint", rssPainted, "MB", bar(rssPainted, 200, "MB"));
    line("resident memory 2.5 s after every row", rssSettled, "MB", bar(rssSettled, 200, "MB"));
    line("peak resident memory (VmHWM)", memoryMb("VmHWM"), "MB");
    return board;
}

namespace {

// Counts what a model tells its views.
struct SignalCount
{
    int resets = 0;
    int layouts = 0;
    int inserted = 0;
    int removed = 0;
    int moved = 0;
    int changed = 0;
    int widestChange = 0; // rows in the largest dataChanged
    int widestMove = 0;

    void watch(QAbstractItemModel *model, QObject *context)
    {
        QObject::connect(model, &QAbstractItemModel::modelReset, context, [this] { ++resets; });
        QObject::connect(model, &QAbstractItemModel::layoutChanged, context, [this] { ++layouts; });
        QObject::connect(model, &QAbstractItemModel::rowsInserted, context, [this] { ++inserted; });
        QObject::connect(model, &QAbstractItemModel::rowsRemoved, context, [this] { ++removed; });
        QObject::connect(model, &QAbstractItemModel::rowsMoved, context,
                         [this](const QModelIndex &, int first, int last) {
                             ++moved;
                             widestMove = std::max(widestMove, last - first + 1);
                         });
        QObject::connect(model, &QAbstractItemModel::dataChanged, context,
                         [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                             ++changed;
                             widestChange = std::max(widestChange, bottomRight.row() - topLeft.row() + 1);
                         });
    }
};

// A live event for a visit on screen: a prescription (the row changes in place) or a cancellation at the desk (the
// row moves down among the visits that are over).
Event liveEvent(const LocalStore &store, const QUuid &visitId, bool moves)
{
    const auto row = store.visit(visitId);
    Event e;
    e.sequence = store.lastSequence() + 1;
    e.id = newId();
    e.visitId = visitId;
    e.causationId = newId();
    e.at = QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
    if (moves) {
        e.aggregateId = visitId;
        e.station = u"A"_s;
        e.payload = ReceptionCancelled{visitId, u"patient left"_s};
    } else {
        e.aggregateId = row->diagnosisId;
        e.station = u"DOC1"_s;
        e.payload = ExaminationPrescribed{row->diagnosisId, newId(), u"ECG"_s, {}};
    }
    return e;
}

} // namespace

void liveEvents(Board &board, int events)
{
    heading(u"2. A live event on the board showing %1 visits (one event per applyEvents, rows on screen)"_s.arg(
        board.screen->model()->rowCount()));
    LocalStore &store = board.station->store();
    StatusBoardModel *model = board.screen->model();
    QueueView *table = board.screen->table();
    PaintWatch watch(table->viewport());
    SignalCount total;
    QObject counting; // the connections end with this function
    total.watch(model, &counting);
    std::vector<double> toApplied, toPaint, stalls;
    int sent = 0;
    bool everyPaint = true;
    for (int k = 0; k < events; ++k) {
        const int top = std::max(0, table->rowAt(0));
        int bottom = table->rowAt(table->viewport()->height() - 1);
        bottom = bottom < 0 ? model->rowCount() - 1 : bottom;
        QUuid visit;
        for (int r = top + k % std::max(1, bottom - top + 1); r <= bottom && visit.isNull(); ++r) {
            const auto row = store.visit(model->idAt(r));
            if (row && !isFinal(row->receptionStatus) && !row->finishedAt.isValid() && !row->diagnosisId.isNull())
                visit = row->visitId;
        }
        if (visit.isNull())
            break;
        const Event e = liveEvent(store, visit, k % 2 == 1);
        watch.arm();
        QElapsedTimer clock;
        clock.start();
        if (auto applied = store.applyEvents({e}); !applied) {
            std::fprintf(stderr, "live event refused: %s\n", qPrintable(applied.error().message()));
            return;
        }
        toApplied.push_back(ms(clock.nsecsElapsed()));
        everyPaint = waitUntil([&] { return watch.seen(); }, 5000) && everyPaint;
        toPaint.push_back(ms(clock.nsecsElapsed()));
        ++sent;
        // The counts follow a moment later (throttled): the longest the screen froze until the next event.
        StallMeter after;
        after.start();
        runFor(1000);
        after.stop();
        stalls.push_back(after.longestMs());
    }
    line("events applied (half in place, half moving the row)", sent, "");
    line("modelReset signals", total.resets, "", total.resets == 0 ? u"(must be 0: met)"_s : u"(must be 0: MISSED)"_s);
    line("layoutChanged signals", total.layouts, "");
    line("dataChanged signals / rows in the widest", total.changed, "", u"/ %1 row(s)"_s.arg(total.widestChange));
    line("rowsMoved signals / rows in the widest", total.moved, "", u"/ %1 row(s)"_s.arg(total.widestMove));
    line("rowsInserted + rowsRemoved signals", total.inserted + total.removed, "");
    line("applyEvents (commit, models updated), median", percentile(toApplied, 0.5), "ms");
    line("applyEvents, max", percentile(toApplied, 1), "ms");
    line("applyEvents -> table repainted, median", percentile(toPaint, 0.5), "ms");
    line("applyEvents -> table repainted, max", percentile(toPaint, 1), "ms",
         everyPaint ? QString() : u"(a repaint never came)"_s);
    line("longest GUI stall in the second after an event (counts), max", percentile(stalls, 1), "ms");
}

} // namespace clinicflow::bench
