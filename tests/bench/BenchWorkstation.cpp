// clinicflow-bench-workstation: issue #4's figures for whole workstations (store + sync engine) against the real
// server, printed, never asserted.
//   clinicflow-bench-workstation [--offline 10000] [--events 100000]
// 1. Replay: with the server down, two desks register --offline visits; the server starts; time from the station's
//    reconnect until every registration is Applied and the saga has assigned each visit a doctor.
// 2. Catch-up: the log is filled to --events events; an empty doctor station (events) and an empty board station
//    (a snapshot when the server advises one) start; time until each has applied the log up to the head.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "WorkstationHarness.h"
#include "store/LocalStore.h"
#include "sync/SyncEngine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::testsupport;

namespace {

void line(const char *what, double value, const char *unit)
{
    std::printf("  %-60s %12.1f %s\n", what, value, unit);
    std::fflush(stdout);
}

// Waits (running the event loop) until done() or the timeout; the elapsed seconds, or -1 on timeout.
double timeUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return -1;
        // Sleeps in the event loop: a spinning check would take a core from the stations and the server.
        QEventLoop wait;
        QTimer::singleShot(5, &wait, &QEventLoop::quit);
        wait.exec();
    }
    return double(clock.nsecsElapsed()) / 1e9;
}

// Registers visits through a plain station, `window` in flight, until the log holds `events` events.
bool fillLog(TestStation &desk, quint64 events)
{
    const int window = 400;
    while (true) {
        const auto pong = desk.ping(10s);
        if (!pong)
            return false;
        if (pong->head_sequence() >= events)
            return true;
        QList<QUuid> sent;
        // Each registration makes three events (registered, doctor assigned, treatment started).
        const quint64 wanted = std::min<quint64>(window, (events - pong->head_sequence() + 2) / 3 + 1);
        for (quint64 i = 0; i < wanted; ++i)
            sent.append(desk.submit(registerVisit(u"PED"_s)));
        for (const QUuid &id : sent) {
            if (!desk.waitOutcome(id, 30s).answered)
                return false;
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"ClinicFlow workstation benchmark"_s);
    parser.addHelpOption();
    parser.addOption({u"offline"_s, u"Registrations made offline (default 10000)."_s, u"n"_s, u"10000"_s});
    parser.addOption({u"events"_s, u"Events in the log for the catch-up (default 100000)."_s, u"n"_s, u"100000"_s});
    parser.process(app);
    const int offline = parser.value(u"offline"_s).toInt();
    const quint64 events = parser.value(u"events"_s).toULongLong();

    ServerProcess server;
    if (!server.start({u"--log-level"_s, u"warning"_s})) {
        std::fprintf(stderr, "cannot start the server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    // Two desks share the registrations: a station's tickets run out at 9,999 a day.
    QTemporaryDir dir;
    std::vector<std::unique_ptr<client::Workstation>> desks;
    for (const QString &code : {u"A"_s, u"C"_s}) {
        desks.push_back(openWorkstation(server, dir.filePath(u"desk-%1.sqlite"_s.arg(code)), code, Role::Receptionist));
        if (!desks.back())
            return 1;
    }
    server.terminate();
    for (auto &desk : desks)
        desk->start();

    std::printf("Replay of %d offline registrations (two desk stations)\n", offline);
    QElapsedTimer clock;
    clock.start();
    QList<std::pair<client::Workstation *, QUuid>> visits;
    for (int i = 0; i < offline; ++i) {
        client::Workstation &desk = *desks[i % 2];
        RegisterVisit r = registerVisit(i % 2 ? u"IM"_s : u"ORTH"_s);
        r.receptionId = {};
        auto registered = desk.store().registerVisit(r);
        if (!registered) {
            std::fprintf(stderr, "registration refused: %s\n", qPrintable(registered.error().message()));
            return 1;
        }
        visits.append({&desk, registered->visitId});
    }
    const double registering = double(clock.nsecsElapsed()) / 1e9;
    line("offline registrations stored (each a durable local commit)", offline / registering, "registrations/s");

    if (!server.restart()) {
        std::fprintf(stderr, "cannot restart the server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    const auto pending = [&] { return desks[0]->store().pendingCount() + desks[1]->store().pendingCount(); };
    const auto allAssigned = [&] {
        if (pending() > 0)
            return false;
        for (const auto &[desk, id] : std::as_const(visits)) {
            const auto row = desk->store().confirmedVisit(id);
            if (!row || row->doctor.isEmpty())
                return false;
        }
        return true;
    };
    // From the stations' reconnect (their own backoff decides when, after the server is back).
    timeUntil([&] { return desks[0]->state() != client::ConnectionState::Offline; }, 30000);
    const double replay = timeUntil([&] { return pending() == 0; }, 600000);
    const double assigned = timeUntil(allAssigned, 600000) + replay;
    line("reconnect -> every registration Applied", replay, "s");
    line("reconnect -> Applied and every visit has its doctor", assigned, "s");
    line("replay rate", offline / assigned, "commands/s");

    // The log is filled by one desk far faster than a station's share of the gateway allows (--station-rate, 200
    // requests a second): the server that takes the fill has no such limit, and the stations then catch up from
    // the same data on a server with the defaults.
    for (auto &desk : desks)
        desk->stop();
    const QStringList defaults{u"--log-level"_s, u"warning"_s};
    if (!server.terminate() || !server.restart(defaults + QStringList{u"--station-rate"_s, u"1000000"_s})) {
        std::fprintf(stderr, "cannot restart the server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    quint64 head = 0;
    {
        TestStation filler;
        filler.connect(server.port());
        if (!filler.hello(u"B"_s, v1::ROLE_RECEPTIONIST) || !fillLog(filler, events)) {
            std::fprintf(stderr, "cannot fill the log: %s\n", qPrintable(filler.lastError()));
            return 1;
        }
        head = filler.ping(10s)->head_sequence();
    }
    if (!server.terminate() || !server.restart(defaults)) {
        std::fprintf(stderr, "cannot restart the server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("\nCatch-up of an empty station from a log of %llu events\n", static_cast<unsigned long long>(head));
    for (Role role : {Role::Doctor, Role::Board}) {
        auto station = openWorkstation(server, dir.filePath(u"fresh-%1.sqlite"_s.arg(toString(role))),
                                       role == Role::Doctor ? u"DK"_s : u"BRD"_s, role);
        if (!station)
            return 1;
        station->start();
        const double took = timeUntil([&] { return station->store().lastSequence() >= head; }, 600000);
        const QString label = role == Role::Doctor ? u"doctor station (events)"_s : u"board station (snapshot)"_s;
        line(qPrintable(label + u": time to the head"_s), took, "s");
        line(qPrintable(label + u": rate"_s), double(head) / took, "events/s");
        line(qPrintable(label + u": visits in the replica"_s), double(station->store().visitIds().size()), "");
        station->stop();
    }
    server.terminate();
    return 0;
}
