// Manual benchmark (not a ctest): how fast a fresh station's SyncEngine catches up with a server holding ~100,000
// events. Starts the real server on free ports, fills it with pipelined RegisterVisit commands (each makes three
// events through the saga), then times, for each run, a new engine from start() to its last event delivered on this
// thread. For scale it also prints the wire alone (TestStation paging the log without converting) and the engine's
// own CPU share (decode + convert of the same events).
//
//   clinicflow-bench-sync-catchup [--visits 33400] [--runs 3]
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "proto/Codec.h"
#include "proto/Convert.h"
#include "sync/SyncEngine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

double perSecond(quint64 count, qint64 ns)
{
    return ns > 0 ? double(count) * 1e9 / double(ns) : 0;
}

// Submits in windows, reading every answer before the next window, so the server is busy but never flooded.
bool fill(TestStation &desk, int visits)
{
    constexpr int kWindow = 1000;
    QElapsedTimer timer;
    timer.start();
    for (int done = 0; done < visits;) {
        const int window = std::min(kWindow, visits - done);
        for (int i = 0; i < window; ++i)
            desk.submit(registerVisit());
        for (int answered = 0; answered < window;) {
            auto reply = desk.receive(30s);
            if (!reply) {
                std::fprintf(stderr, "no answer from the server while filling: %s\n", qPrintable(desk.lastError()));
                return false;
            }
            if (reply->has_rejected() || reply->has_error()) {
                std::fprintf(stderr, "a fill command was refused\n");
                return false;
            }
            answered += reply->has_applied() ? 1 : 0;
        }
        done += window;
    }
    std::printf("filled %d visits in %.1f s (%.0f commands/s)\n", visits, double(timer.elapsed()) / 1000,
                perSecond(quint64(visits), timer.nsecsElapsed()));
    return true;
}

quint64 waitForHead(TestStation &desk, quint64 atLeast)
{
    QElapsedTimer timer;
    timer.start();
    quint64 head = 0;
    while (timer.elapsed() < 120000) {
        if (auto batch = desk.fetchEvents(0, 1))
            head = batch->head_sequence();
        if (head >= atLeast)
            break;
        QThread::msleep(100);
    }
    return head;
}

// One fresh engine from sequence 0 to `head`; nanoseconds from start() to the last event delivered.
qint64 timeEngine(const ServerProcess &server, quint64 head, int run)
{
    client::SyncSettings settings;
    settings.requestEndpoint = u"tcp://127.0.0.1:%1"_s.arg(server.port());
    settings.publishEndpoint = u"tcp://127.0.0.1:%1"_s.arg(server.pubPort());
    settings.station = u"B%1"_s.arg(run);
    settings.role = domain::Role::Doctor;
    if (const auto enrolment = server.enrol(settings.station, settings.role))
        settings.keys = enrolment->keys;
    client::SyncEngine engine(settings);
    QEventLoop loop;
    quint64 last = 0;
    qint64 batches = 0;
    bool broken = false;
    QElapsedTimer timer;
    QObject::connect(&engine, &client::SyncEngine::eventsReceived, &loop, [&](const QList<domain::Event> &events) {
        broken = broken || events.front().sequence != last + 1;
        last = events.back().sequence;
        ++batches;
        if (last >= head)
            loop.quit();
    });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    timer.start();
    engine.start(0, {});
    loop.exec();
    const qint64 ns = timer.nsecsElapsed();
    engine.stop();
    if (last < head || broken) {
        std::fprintf(stderr, "run %d: delivered up to %llu of %llu%s\n", run, (unsigned long long)last,
                     (unsigned long long)head, broken ? " with a broken sequence" : "");
        return -1;
    }
    std::printf("engine run %d: %llu events in %.3f s = %.0f events/s (%lld signals)\n", run, (unsigned long long)head,
                double(ns) / 1e9, perSecond(head, ns), batches);
    return ns;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QLoggingCategory::setFilterRules(u"clinicflow.*.debug=false\nclinicflow.*.info=false"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption(
        {u"visits"_s, u"RegisterVisit commands to fill the server with (3 events each)"_s, u"n"_s, u"33400"_s});
    parser.addOption({u"runs"_s, u"engine catch-ups to time"_s, u"n"_s, u"3"_s});
    parser.process(app);
    const int visits = std::max(1, parser.value(u"visits"_s).toInt());
    const int runs = std::max(1, parser.value(u"runs"_s).toInt());

    ServerProcess server;
    if (!server.start({u"--log-level"_s, u"warning"_s})) {
        std::fprintf(stderr, "cannot start the server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    TestStation desk;
    desk.connect(server.port());
    if (!desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST) || !fill(desk, visits))
        return 1;
    const quint64 head = waitForHead(desk, quint64(visits) * 3);
    std::printf("server head: %llu events\n", (unsigned long long)head);

    // The wire alone: the same pages without conversion, one request at a time.
    QElapsedTimer timer;
    timer.start();
    const EventLogRead log = desk.fetchAllEvents(5000, 120s);
    const qint64 wireNs = timer.nsecsElapsed();
    std::printf("wire only (TestStation, sequential pages): %.0f events/s\n",
                perSecond(quint64(log.events.size()), wireNs));
    // The engine's own CPU work per event: decode the envelope pages and convert every event.
    v1::Envelope page;
    for (std::size_t i = 0; i < std::min<std::size_t>(log.events.size(), 2000); ++i)
        *page.mutable_event_batch()->add_events() = log.events[i];
    const std::string bytes = proto::encode(page);
    timer.restart();
    quint64 converted = 0;
    for (std::size_t done = 0; done < log.events.size(); done += std::size_t(page.event_batch().events_size())) {
        auto decoded = proto::decode(std::string_view(bytes), 4 * proto::kMaxMessageSize);
        if (!decoded)
            return 1;
        for (const v1::Event &e : decoded->event_batch().events())
            converted += proto::fromProto(e).ok() ? 1 : 0;
    }
    std::printf("engine CPU share (decode + convert): %.0f events/s\n", perSecond(converted, timer.nsecsElapsed()));

    qint64 best = -1;
    for (int run = 1; run <= runs; ++run) {
        const qint64 ns = timeEngine(server, head, run);
        if (ns < 0)
            return 1;
        best = best < 0 ? ns : std::min(best, ns);
    }
    std::printf("best: %.0f events/s end to end (target: 50000)\n", perSecond(head, best));
    return 0;
}
