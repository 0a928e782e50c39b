// Manual benchmark, not a ctest: how fast a workstation's local store catches up on the server's log.
//   clinicflow-bench-store-catchup [events = 100000] [batch = 2000]
// Builds a realistic log with the shared rules and saga (whole journeys of 14 events, 500 visits in flight at a
// time), applies it to a fresh store in batches as the sync engine would, then again with the board's and the
// desk's models attached, and reopens the file (the replay at start-up). Prints the figures; asserts nothing.
#include "models/StatusBoardModel.h"
#include "models/TodayVisitsModel.h"
#include "store/LocalStore.h"
#include "support/SagaPlayer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kStart(QDate(2024, 3, 4), QTime(8, 0), Qt::UTC);

// One visit's whole journey through a player of its own (so doctor loads stay O(1)): registration, two
// examinations, review, completion, confirmation.
Events journey(int n)
{
    fixtures::SagaPlayer player;
    const QDateTime at = kStart.addSecs(n);
    player.setNow(at);
    RegisterVisit r;
    r.receptionId = newId();
    r.ticket = Ticket{u"A"_s, 1 + n % 9999};
    r.patient = Patient{{}, u"Bench Patient %1"_s.arg(n), QDate(1970, 1, 1), Sex::Male, {}, {}, {}};
    r.department = u"IM"_s;
    r.chiefComplaint = u"check-up"_s;
    const QUuid dx = diagnosis::idForVisit(r.receptionId);
    const QUuid blood = newId();
    const QUuid xray = newId();
    const QList<std::pair<Command, QString>> steps{
        {r, u"A"_s},
        {PrescribeExamination{dx, blood, u"BLOOD"_s, {}}, u"DOC1"_s},
        {PrescribeExamination{dx, xray, u"XRAY"_s, {}}, u"DOC1"_s},
        {PerformExamination{blood, u"normal"_s}, u"LAB1"_s},
        {PerformExamination{xray, u"clear"_s}, u"LAB2"_s},
        {ReviewResults{dx, u"fine"_s}, u"DOC1"_s},
        {CompleteTreatment{dx, u"discharged"_s}, u"DOC1"_s},
        {ConfirmOutcome{r.receptionId}, u"A"_s},
    };
    for (const auto &[command, station] : steps) {
        if (auto done = player.submit(command, CommandMeta{newId(), station, at}); !done)
            qFatal("journey refused: %s", qPrintable(done.error().message()));
    }
    return player.log();
}

// Journeys interleaved as on a busy day: each wave of visits advances one step at a time.
QList<Event> buildLog(int wanted)
{
    QList<Event> log;
    log.reserve(wanted);
    int visit = 0;
    while (log.size() < wanted) {
        std::vector<Events> wave;
        for (int i = 0; i < 500; ++i)
            wave.push_back(journey(visit++));
        for (std::size_t step = 0; step < wave.front().size(); ++step) {
            for (const Events &j : wave) {
                if (step < j.size() && log.size() < wanted) {
                    Event e = j[step];
                    e.sequence = quint64(log.size()) + 1;
                    log.append(std::move(e));
                }
            }
        }
    }
    return log;
}

double catchUp(LocalStore &store, const QList<Event> &log, int batch)
{
    QElapsedTimer timer;
    timer.start();
    for (qsizetype i = 0; i < log.size(); i += batch) {
        if (auto applied = store.applyEvents(log.mid(i, batch)); !applied)
            qFatal("apply failed: %s", qPrintable(applied.error().message()));
    }
    return double(timer.nsecsElapsed()) / 1e9;
}

std::unique_ptr<LocalStore> openStore(const QString &path)
{
    auto store = LocalStore::open(path);
    if (!store)
        qFatal("open failed: %s", qPrintable(store.error().message()));
    return std::move(store.value());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int wanted = args.size() > 1 ? args[1].toInt() : 100'000;
    const int batch = args.size() > 2 ? args[2].toInt() : 2'000;
    QTemporaryDir dir;

    QElapsedTimer timer;
    timer.start();
    const QList<Event> log = buildLog(wanted);
    qInfo("log: %lld events built with the shared rules in %.2f s", qlonglong(log.size()), timer.elapsed() / 1000.0);

    const QString plain = dir.filePath(u"plain.sqlite"_s);
    double seconds = 0;
    {
        auto store = openStore(plain);
        seconds = catchUp(*store, log, batch);
        qInfo("catch-up, store alone: %lld events in %.2f s = %.0f events/s (batches of %d, %lld visits)",
              qlonglong(log.size()), seconds, double(log.size()) / seconds, batch, qlonglong(store->visitIds().size()));
    }
    {
        auto store = openStore(dir.filePath(u"models.sqlite"_s));
        StatusBoardModel board(*store);
        TodayVisitsModel today(*store, kStart.toLocalTime().date());
        seconds = catchUp(*store, log, batch);
        qInfo("catch-up, board + desk models attached: %.2f s = %.0f events/s (%d board rows)", seconds,
              double(log.size()) / seconds, board.rowCount());
    }
    timer.restart();
    auto reopened = openStore(plain);
    qInfo("reopen (replays %llu events into the aggregates): %.2f s",
          static_cast<unsigned long long>(reopened->lastSequence()), timer.elapsed() / 1000.0);
    return 0;
}
