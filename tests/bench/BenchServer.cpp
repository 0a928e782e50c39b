// clinicflow-bench-server: the server's figures for issue #3, printed, never asserted.
//   clinicflow-bench-server [--stations N] [--in-flight J] [--seconds S] [--subscribers K] [--rate C]
// Starts the real clinicflow-server (SQLite, synchronous=FULL) in a temporary folder, measures the raw limits of the
// machine (ZeroMQ round trips, SQLite inserts), then full journeys at the highest load N closed-loop stations reach,
// then at half that load for latency, then at half the bar (2,500 commands/s), or --rate, for latency.
//   clinicflow-bench-server --server HOST --enrolments DIR [...]
// A load generator against a server elsewhere (issue #13): see BenchRemote.h.
#include "BenchJourneys.h"
#include "BenchLimits.h"
#include "BenchRemote.h"
#include "ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clinicflow;

namespace {

// CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat.
double cpuSeconds(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and
    // 13th of them.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

// Runs one phase and prints what the server process spent on it: a figure that, unlike throughput, hardly moves when
// other work shares the machine, so it shows whether a change made the server cheaper.
bench::JourneyResult runMeasured(const bench::JourneyOptions &options, qint64 serverPid)
{
    const double before = cpuSeconds(serverPid);
    const bench::JourneyResult result = bench::runJourneys(options);
    const double used = cpuSeconds(serverPid) - before;
    std::printf("  %s: server CPU %.2f cores, %.0f us per applied command\n", qPrintable(options.label),
                used / options.seconds, result.applied > 0 ? used * 1e6 / double(result.applied) : 0.0);
    return result;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"ClinicFlow server benchmark. By default it starts a server of its own on loopback, measures this machine's "
        "raw limits, then plays journeys at full load, half load and 2,500 commands/s (or --rate), with the "
        "server's CPU.\n"
        "With --server HOST it is a load generator against that server instead: first enrol the stations on the "
        "server host (tests/bench/enrol-bench-stations.sh prints or runs the commands), copy their folder here, "
        "then play full load and --rate (or half the full load). The server admits %1 request connections per "
        "source address and each station opens 3: from one address, at most %2 stations; beyond that give "
        "--source-addresses, or run several generator hosts with --first-station."_s.arg(bench::kConnectionsPerAddress)
            .arg(bench::kStationsPerAddress));
    parser.addHelpOption();
    parser.addOption({u"stations"_s, u"Stations playing journeys (default 50)."_s, u"n"_s, u"50"_s});
    parser.addOption({u"in-flight"_s, u"Journeys each station has in flight (default 8)."_s, u"n"_s, u"8"_s});
    parser.addOption({u"seconds"_s, u"Seconds per load phase (default 10)."_s, u"s"_s, u"10"_s});
    parser.addOption({u"subscribers"_s, u"Extra PUB subscribers for fan-out (default 10)."_s, u"n"_s, u"10"_s});
    parser.addOption({u"rate"_s,
                      u"Commands/s of the fixed-rate phase: the last local one (default 2,500), or the second "
                      "remote one (default half the full load)."_s,
                      u"cmds"_s});
    bench::addRemoteOptions(parser);
    parser.process(app);
    if (parser.isSet(u"server"_s))
        return bench::runRemote(parser);
    for (const QString &remoteOnly : bench::remoteOnlyOptions()) {
        if (parser.isSet(remoteOnly)) {
            std::fprintf(stderr, "--%s is for the load generator: give --server HOST too\n", qPrintable(remoteOnly));
            return 2;
        }
    }
    if (parser.isSet(u"rate"_s) && parser.value(u"rate"_s).toDouble() <= 0) {
        std::fprintf(stderr, "--rate: commands per second, more than 0\n");
        return 2;
    }
    const int stations = parser.value(u"stations"_s).toInt();
    const double seconds = parser.value(u"seconds"_s).toDouble();
    const int subscribers = parser.value(u"subscribers"_s).toInt();

    std::printf("Raw limits of this machine\n");
    bench::benchZeroMqRoundTrips(20000);
    QTemporaryDir scratch;
    bench::benchSqliteInserts(scratch.path(), 2000, 1);
    bench::benchSqliteInserts(scratch.path(), 200000, 100);

    testsupport::ServerProcess server;
    if (!server.start({u"--log-level"_s, u"warning"_s})) {
        std::fprintf(stderr, "cannot start the server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    // The stations stand for other machines, but here they share the server's two cores. From now on this process
    // (and every thread it starts) yields to the server, as a load generator on a machine of its own would.
    const bool yielding = setpriority(PRIO_PROCESS, 0, 10) == 0;
    std::printf("\nclinicflow-server, %d stations x (desk + doctor + examiner) with %s journeys in flight each, "
                "%d subscribers, %.0f s per phase%s\n",
                stations, qPrintable(parser.value(u"in-flight"_s)), subscribers, seconds,
                yielding ? " (load generator at nice 10)"
                         : " (load generator NOT lowered: it competes with the server)");
    bench::JourneyOptions options;
    options.port = server.port();
    options.pubPort = server.pubPort();
    options.stations = stations;
    options.journeysPerStation = parser.value(u"in-flight"_s).toInt();
    options.seconds = seconds;
    options.subscribers = subscribers;
    options.keysFor = [&server](const QString &station, domain::Role role) -> std::optional<security::ClientKeys> {
        const auto enrolment = server.enrol(station, role);
        return enrolment ? std::optional(enrolment->keys) : std::nullopt;
    };
    options.label = u"full load"_s;
    const bench::JourneyResult full = runMeasured(options, server.processId());

    options.label = u"half load"_s;
    options.journeysPerSecond = full.appliedPerSecond / 6.0 / 2.0; // six commands per journey
    std::printf("\nhalf load: %.1f journeys/s started\n", options.journeysPerSecond);
    runMeasured(options, server.processId());

    // The bar is p99 at half of 5,000 commands/s; the phase above is at half of what this run reached.
    constexpr double kBarCommandsPerSecond = 5000;
    const double rate = parser.isSet(u"rate"_s) ? parser.value(u"rate"_s).toDouble() : kBarCommandsPerSecond / 2;
    options.label = parser.isSet(u"rate"_s) ? u"at %1 commands/s"_s.arg(rate) : u"half the bar"_s;
    options.journeysPerSecond = rate / 6.0;
    const QString heading = parser.isSet(u"rate"_s) ? options.label : u"half the bar (%1 commands/s)"_s.arg(rate);
    std::printf("\n%s: %.1f journeys/s started\n", qPrintable(heading), options.journeysPerSecond);
    runMeasured(options, server.processId());
    server.terminate();
    return 0;
}
