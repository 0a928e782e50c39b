// clinicflow-bench-server: the server's figures for issues #3 and #14, printed, never asserted.
//   clinicflow-bench-server [--stations N] [--in-flight J] [--seconds S] [--subscribers K] [--rate C]
//                           [--backends sqlite,postgresql] [--postgresql-processes 4,1] [--postgresql-url URL]...
// Starts the real clinicflow-server in a temporary folder, measures the raw limits of the machine (ZeroMQ round
// trips, SQLite inserts, PostgreSQL commits), then full journeys at the highest load N closed-loop stations reach,
// then at half that load for latency, then at half the backend's bar (SQLite 5,000 commands/s, PostgreSQL 3,000), or
// --rate, for latency. On SQLite (synchronous=FULL) one process runs every module; on PostgreSQL
// (synchronous_commit=on, a throwaway cluster on this machine unless --postgresql-url) the modules run as four
// processes (gateway+view, reception, diagnosis, examination), as on separate hosts, then as one process, each on an
// empty database of its own (--postgresql-processes 2 adds the gateway+view and the three workers as two processes).
// All side by side at the end.
//   clinicflow-bench-server --server HOST --enrolments DIR [...]
// A load generator against a server elsewhere (issue #13): see BenchRemote.h.
#include "BenchAnswerTimes.h"
#include "BenchCpu.h"
#include "BenchJourneys.h"
#include "BenchLimits.h"
#include "BenchPostgres.h"
#include "BenchRemote.h"
#include "ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clinicflow;

namespace {

// WAL written into the bench's own cluster before it measures (bench::warmWalSegments).
constexpr int kWarmWalMegabytes = 800;

// Runs one phase and prints what the server's processes spent on it: a figure that, unlike throughput, hardly moves
// when other work shares the machine, so it shows whether a change made the server cheaper.
// Also what the gateway timed itself (BenchAnswerTimes.h): the server's share of the stations' figures above.
// On PostgreSQL, also how many checkpoints of the database began during the phase, and the WAL and the transactions
// it took per applied command (BenchPostgres.h): like the CPU, they show whether a change made the server cheaper
// where latency moves with the machine.
// Where the machine's CPU went during the phase (BenchCpu.h): the server's processes, the database when it is the
// bench's own cluster, and the load generator.
struct Server
{
    std::function<double()> cpuSeconds;
    std::function<QByteArray()> metrics;
    std::function<bench::DatabaseCounters()> database = {};
    std::function<double()> databaseCpuSeconds = {}; // none: in the server's process (SQLite), or not on this machine
    bool databaseInServer = false;
    // Each process's modules and its GET /metrics, for its writer's rounds (BenchAnswerTimes.h).
    std::function<std::vector<std::pair<QString, QByteArray>>()> processMetrics = {};
};

// How each process's writer spent the phase: a writer busy nearly all of it runs its rounds back to back, and its
// modules' commands wait for the round under way before their own.
void printWriterRounds(const QString &label, const std::vector<std::pair<QString, QByteArray>> &before,
                       const std::vector<std::pair<QString, QByteArray>> &after, double wallSeconds)
{
    if (before.size() != after.size() || wallSeconds <= 0)
        return;
    QStringList writers;
    for (std::size_t i = 0; i < after.size(); ++i) {
        const bench::WriterRounds from = bench::writerRounds(before[i].second);
        const bench::WriterRounds to = bench::writerRounds(after[i].second);
        const double rounds = to.rounds - from.rounds;
        if (rounds <= 0)
            continue;
        const double busy = to.seconds - from.seconds;
        writers.append(u"%1 %2 rounds/s of %3 ms, busy %4%"_s.arg(after[i].first)
                           .arg(rounds / wallSeconds, 0, 'f', 0)
                           .arg(busy * 1000 / rounds, 0, 'f', 1)
                           .arg(100 * busy / wallSeconds, 0, 'f', 0));
    }
    if (!writers.isEmpty())
        std::printf("  %s: each process's writer over the phase's %.1f s: %s\n", qPrintable(label), wallSeconds,
                    qPrintable(writers.join(u"; "_s)));
}

void printCpuShares(const QString &label, const Server &measured, const bench::MachineCpu &before,
                    const bench::MachineCpu &after, double wallSeconds, double server, double database,
                    double generator)
{
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    const double total = after.total - before.total;
    if (wallSeconds <= 0 || total <= 0)
        return;
    const QString databaseShare = measured.databaseInServer ? u"its database included, "_s
                                  : database >= 0           ? u"database %1, "_s.arg(database / wallSeconds, 0, 'f', 2)
                                                            : u"database not measured (the operator's), "_s;
    std::printf("  %s: the machine's %ld cores %.0f%% busy over the phase's %.1f s: server %.2f, %sload generator "
                "%.2f cores\n",
                qPrintable(label), cores, 100 * (after.busy - before.busy) / total, wallSeconds, server / wallSeconds,
                qPrintable(databaseShare), generator / wallSeconds);
}

void printDatabaseCounters(const QString &label, const bench::DatabaseCounters &before,
                           const bench::DatabaseCounters &after, long applied)
{
    if (before.checkpoints >= 0 && after.checkpoints >= 0) {
        std::printf("  %s: %lld checkpoints of the database began during the phase\n", qPrintable(label),
                    static_cast<long long>(after.checkpoints - before.checkpoints));
    }
    if (applied == 0 || before.walBytes < 0 || after.walBytes < 0 || before.commits < 0 || after.commits < 0)
        return;
    std::printf("  %s: the database wrote %.1f KB of WAL and committed %.2f transactions per applied command\n",
                qPrintable(label), double(after.walBytes - before.walBytes) / 1024.0 / double(applied),
                double(after.commits - before.commits) / double(applied));
}

bench::JourneyResult runMeasured(const bench::JourneyOptions &options, const Server &server)
{
    const double before = server.cpuSeconds();
    const double databaseBefore = server.databaseCpuSeconds ? server.databaseCpuSeconds() : 0;
    const double generatorBefore = bench::ownCpuSeconds();
    const bench::MachineCpu machineBefore = bench::machineCpu();
    const QByteArray metricsBefore = server.metrics();
    const bench::DatabaseCounters countersBefore = server.database ? server.database() : bench::DatabaseCounters{};
    const auto writersBefore =
        server.processMetrics ? server.processMetrics() : std::vector<std::pair<QString, QByteArray>>{};
    QElapsedTimer wall;
    wall.start();
    const bench::JourneyResult result = bench::runJourneys(options);
    const double wallSeconds = double(wall.nsecsElapsed()) / 1e9;
    const double used = server.cpuSeconds() - before;
    const double database = server.databaseCpuSeconds ? server.databaseCpuSeconds() - databaseBefore : -1;
    const double generator = bench::ownCpuSeconds() - generatorBefore;
    const bench::MachineCpu machineAfter = bench::machineCpu();
    const QByteArray metricsAfter = server.metrics();
    const auto writersAfter =
        server.processMetrics ? server.processMetrics() : std::vector<std::pair<QString, QByteArray>>{};
    std::printf("  %s: server CPU %.2f cores, %.0f us per applied command\n", qPrintable(options.label),
                used / options.seconds, result.applied > 0 ? used * 1e6 / double(result.applied) : 0.0);
    printCpuShares(options.label, server, machineBefore, machineAfter, wallSeconds, used, database, generator);
    if (server.database)
        printDatabaseCounters(options.label, countersBefore, server.database(), result.applied);
    printWriterRounds(options.label, writersBefore, writersAfter, wallSeconds);
    for (const char *answer : {"queued", "outcome"}) {
        const auto after = bench::answerBuckets(metricsAfter, answer);
        const auto times =
            after ? bench::answerTimesBetween(bench::answerBuckets(metricsBefore, answer), *after) : std::nullopt;
        if (!times) {
            std::printf("  %s: the gateway's own timing of %s answers: not read from /metrics\n",
                        qPrintable(options.label), answer);
            continue;
        }
        std::printf("  %s: the gateway's own arrival -> %s answer: p50 %.1f ms, p99 %.1f ms, %.1f%% within 20 ms "
                    "(%llu answers)\n",
                    qPrintable(options.label), answer, times->p50Ms, times->p99Ms, times->within20Ms * 100,
                    static_cast<unsigned long long>(times->count));
    }
    return result;
}

struct BackendRun
{
    QString name;
    double bar = 0; // commands/s the issue asks of this backend
    bench::JourneyResult full;
    bench::JourneyResult half;
    bench::JourneyResult atRate;
    double rate = 0;
};

// The three phases against a server whose gateway listens on `port`/`pubPort`.
BackendRun runPhases(BackendRun run, bench::JourneyOptions options, const QCommandLineParser &parser,
                     const Server &server)
{
    options.label = run.name + u": full load"_s;
    run.full = runMeasured(options, server);

    options.label = run.name + u": half load"_s;
    options.journeysPerSecond = run.full.appliedPerSecond / 6.0 / 2.0; // six commands per journey
    std::printf("\nhalf load: %.1f journeys/s started\n", options.journeysPerSecond);
    run.half = runMeasured(options, server);

    // The bar is p99 at half of the backend's commands/s; the phase above is at half of what this run reached.
    run.rate = parser.isSet(u"rate"_s) ? parser.value(u"rate"_s).toDouble() : run.bar / 2;
    options.label = run.name + (parser.isSet(u"rate"_s) ? u": at %1 commands/s"_s.arg(run.rate) : u": half the bar"_s);
    options.journeysPerSecond = run.rate / 6.0;
    std::printf("\n%s (%.0f commands/s): %.1f journeys/s started\n", qPrintable(options.label), run.rate,
                options.journeysPerSecond);
    run.atRate = runMeasured(options, server);
    return run;
}

void printSideBySide(const std::vector<BackendRun> &runs)
{
    std::printf("\n%-34s %12s %10s %16s %22s\n", "backend", "applied/s", "bar", "p99 at half load",
                "p99 at half the bar");
    for (const BackendRun &r : runs) {
        std::printf("%-34s %12.0f %10.0f %13.1f ms %12.1f ms at %.0f/s\n", qPrintable(r.name), r.full.appliedPerSecond,
                    r.bar, r.half.applyP99Ms, r.atRate.applyP99Ms, r.rate);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"ClinicFlow server benchmark. By default it starts a server of its own on loopback, measures this machine's "
        "raw limits, then plays journeys at full load, half load and half the bar (SQLite 2,500 commands/s, "
        "PostgreSQL 1,500; or --rate), with the server's CPU. --backends sqlite,postgresql measures both, side by "
        "side.\n"
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
    parser.addOption({u"backends"_s, u"Databases to measure, a comma list: sqlite, postgresql (default sqlite)."_s,
                      u"list"_s, u"sqlite"_s});
    parser.addOption({u"postgresql-processes"_s,
                      u"How the server runs on PostgreSQL, a comma list: 4 (gateway+view, reception, diagnosis, "
                      "examination, as on separate hosts), 2 (gateway+view, and the three workers), 1 (every "
                      "module in one process) (default 4,1)."_s,
                      u"list"_s, u"4,1"_s});
    parser.addOption({u"postgresql-url"_s,
                      u"An empty PostgreSQL database to measure on (postgresql://user@host/db), given once for each "
                      "--postgresql-processes entry, in its order; by default a throwaway cluster on this machine."_s,
                      u"url"_s});
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

    const QStringList backends = parser.value(u"backends"_s).split(u',', Qt::SkipEmptyParts);
    for (const QString &b : backends) {
        if (b != u"sqlite"_s && b != u"postgresql"_s) {
            std::fprintf(stderr, "--backends: sqlite, postgresql or both (a comma list), not '%s'\n", qPrintable(b));
            return 2;
        }
    }

    std::vector<int> deployments;
    if (backends.contains(u"postgresql"_s)) {
        for (const QString &entry : parser.value(u"postgresql-processes"_s).split(u',', Qt::SkipEmptyParts)) {
            const int processes = entry.trimmed().toInt();
            if (!bench::PostgresServer::deployable(processes) || std::ranges::count(deployments, processes) > 0) {
                std::fprintf(stderr, "--postgresql-processes: 4, 2 or 1, or several (a comma list), not '%s'\n",
                             qPrintable(parser.value(u"postgresql-processes"_s)));
                return 2;
            }
            deployments.push_back(processes);
        }
    }
    QStringList postgresUrls = parser.values(u"postgresql-url"_s);
    if (!postgresUrls.isEmpty() && postgresUrls.size() != qsizetype(deployments.size())) {
        std::fprintf(stderr,
                     "--postgresql-url: one empty database for each of the %zu deployments measured (--postgresql-"
                     "processes), not %lld\n",
                     deployments.size(), static_cast<long long>(postgresUrls.size()));
        return 2;
    }

    std::printf("Raw limits of this machine\n");
    bench::benchZeroMqRoundTrips(20000);
    QTemporaryDir scratch;
    bench::benchSqliteInserts(scratch.path(), 2000, 1);
    bench::benchSqliteInserts(scratch.path(), 200000, 100);
    bench::BenchCluster cluster;
    std::vector<std::unique_ptr<testsupport::ThrowawayPostgresDatabase>> postgresDbs;
    if (!deployments.empty()) {
        if (postgresUrls.isEmpty()) {
            if (!cluster.start()) {
                std::fprintf(stderr, "cannot start a PostgreSQL cluster: %s\n", qPrintable(cluster.error()));
                return 1;
            }
            for (std::size_t i = 0; i < deployments.size(); ++i) {
                auto db = std::make_unique<testsupport::ThrowawayPostgresDatabase>(cluster.baseUrl());
                if (!db->isValid()) {
                    std::fprintf(stderr, "cannot create a database: %s\n", qPrintable(db->error()));
                    return 1;
                }
                postgresUrls.append(db->url());
                postgresDbs.push_back(std::move(db));
            }
            // Each deployment's phases write about 500 MB of WAL: enough segments for both, recycled between them.
            QString why;
            const double warmed = bench::warmWalSegments(postgresUrls.front(), kWarmWalMegabytes, &why);
            if (warmed < 0) {
                std::fprintf(stderr, "cannot prepare the cluster's WAL segments: %s\n", qPrintable(why));
                return 1;
            }
            std::printf("  the cluster's WAL: %.0f MB of segments written and recycled before measuring, as a database "
                        "in service has them\n",
                        warmed);
        } else {
            for (const QString &url : std::as_const(postgresUrls)) {
                if (const QString why = bench::whyNotMeasurable(url); !why.isEmpty()) {
                    std::fprintf(stderr, "cannot measure on %s: %s\n", qPrintable(url), qPrintable(why));
                    return 2;
                }
            }
        }
        bench::benchPostgresInserts(postgresUrls.front(), 2000, 1);
        bench::benchPostgresInserts(postgresUrls.front(), 200000, 100);
    }

    // Every server starts before this process lowers its priority (below): they must not inherit it.
    testsupport::ServerProcess server;
    if (backends.contains(u"sqlite"_s) && !server.start({u"--log-level"_s, u"warning"_s})) {
        std::fprintf(stderr, "cannot start the server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::vector<std::unique_ptr<bench::PostgresServer>> postgresServers;
    for (std::size_t i = 0; i < deployments.size(); ++i) {
        auto pg = std::make_unique<bench::PostgresServer>();
        if (!pg->start(postgresUrls.at(qsizetype(i)), deployments[i], {u"--log-level"_s, u"warning"_s})) {
            std::fprintf(stderr, "cannot start the server on PostgreSQL: %s\n", qPrintable(pg->errorString()));
            return 1;
        }
        postgresServers.push_back(std::move(pg));
    }
    // The stations stand for other machines, but here they share the server's two cores. From now on this process
    // (and every thread it starts) yields to the server, as a load generator on a machine of its own would.
    const bool yielding = setpriority(PRIO_PROCESS, 0, 10) == 0;
    std::printf("\n%d stations x (desk + doctor + examiner) with %s journeys in flight each, %d subscribers, %.0f s "
                "per phase%s\n",
                stations, qPrintable(parser.value(u"in-flight"_s)), subscribers, seconds,
                yielding ? " (load generator at nice 10)"
                         : " (load generator NOT lowered: it competes with the server)");
    bench::JourneyOptions options;
    options.stations = stations;
    options.journeysPerStation = parser.value(u"in-flight"_s).toInt();
    options.seconds = seconds;
    options.subscribers = subscribers;

    std::vector<BackendRun> runs;
    if (backends.contains(u"sqlite"_s)) {
        std::printf("\nclinicflow-server on SQLite (synchronous=FULL), one process\n");
        options.port = server.port();
        options.pubPort = server.pubPort();
        options.keysFor = [&server](const QString &station, domain::Role role) -> std::optional<security::ClientKeys> {
            const auto enrolment = server.enrol(station, role);
            return enrolment ? std::optional(enrolment->keys) : std::nullopt;
        };
        const qint64 pid = server.processId();
        Server measured{[pid] { return bench::processCpuSeconds(pid); },
                        [&server] { return server.httpGet(u"/metrics"_s).body; }};
        measured.databaseInServer = true;
        measured.processMetrics = [&server] {
            return std::vector<std::pair<QString, QByteArray>>{{u"every module"_s, server.httpGet(u"/metrics"_s).body}};
        };
        runs.push_back(runPhases({u"SQLite, 1 process"_s, 5000, {}, {}, {}, 0}, options, parser, measured));
        server.terminate();
    }
    for (std::size_t i = 0; i < postgresServers.size(); ++i) {
        bench::PostgresServer *pg = postgresServers[i].get();
        const QString url = postgresUrls.at(qsizetype(i));
        std::printf("\nclinicflow-server on PostgreSQL (synchronous_commit=on), %s: %s\n",
                    qPrintable(pg->name().section(u", "_s, 1)), qPrintable(pg->layout()));
        options.port = pg->front().port();
        options.pubPort = pg->front().pubPort();
        options.keysFor = [pg](const QString &station, domain::Role role) -> std::optional<security::ClientKeys> {
            const auto enrolment = pg->front().enrol(station, role);
            return enrolment ? std::optional(enrolment->keys) : std::nullopt;
        };
        if (!bench::checkpointNow(url))
            std::printf("(no checkpoint before it: this role may not ask for one)\n");
        const qint64 postmaster = cluster.postmasterPid(); // 0 on the operator's database
        const Server measured{
            [pg] { return pg->cpuSeconds(); },
            [pg] { return pg->front().httpGet(u"/metrics"_s).body; },
            [&url] { return bench::databaseCounters(url); },
            postmaster > 0 ? std::function<double()>([postmaster] { return bench::processTreeCpuSeconds(postmaster); })
                           : std::function<double()>(),
            false,
            [pg] { return pg->processMetrics(); }};
        runs.push_back(runPhases({pg->name(), 3000, {}, {}, {}, 0}, options, parser, measured));
        pg->terminate();
    }
    printSideBySide(runs);
    return 0;
}
