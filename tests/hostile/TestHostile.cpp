// Issue #12's hostile suite: each attack a broken or hostile peer could play is replayed against the real server
// while a well-behaved desk, doctor and examiner play whole patient journeys. The good stations play once
// undisturbed, then once under each attack, on the same server, and the test holds the bars:
// - their submit -> Applied p99 under attack is within 2x of the undisturbed run, and every command is answered;
// - the server's resident memory stays under 512 MB;
// - nothing malformed is stored;
// - the log grows by less than 10 MB.
// It prints the figures. It runs alone (RUN_SERIAL): the bars compare two runs on the same two cores.
#include "Attacks.h"
#include "BenchJourneys.h"
#include "Probes.h"
#include "ServerProcess.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;
using namespace std::chrono_literals;

namespace {

constexpr double kSecondsPerPhase = 4;    // about 1,000 commands per phase: p99 is the tenth slowest
constexpr double kJourneysPerSecond = 40; // 240 commands/s from one desk, one doctor and one examiner
constexpr double kLatencyFloorMs = 10;
constexpr long kMemoryBarKiB = 512 * 1024;
constexpr qint64 kLogBarBytes = 10 * 1000 * 1000;

struct Station
{
    QString code;
    domain::Role role;
};

// A station of its own for each attack that plays one: the server shuts a station out for 10 s once it finds it
// ignoring refusals, and the next attack, 6 s later, must not meet the last one's penalty instead of its own.
const Station kAttackers[] = {{u"R900"_s, domain::Role::Receptionist}, {u"R901"_s, domain::Role::Receptionist},
                              {u"R902"_s, domain::Role::Receptionist}, {u"B900"_s, domain::Role::Board},
                              {u"B901"_s, domain::Role::Board},        {u"B902"_s, domain::Role::Board},
                              {u"B903"_s, domain::Role::Board}};

// One line's value in GET /metrics ("0" when the line is absent: a counter not yet counted).
QString metricValue(ServerProcess &server, const QString &name)
{
    const QString metrics = QString::fromUtf8(server.httpGet(u"/metrics"_s).body);
    for (const QStringView line : QStringTokenizer(metrics, u'\n')) {
        if (line.startsWith(name) && line.size() > name.size() && line[name.size()] == u' ')
            return line.mid(name.size() + 1).toString();
    }
    return u"0"_s;
}

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void attack_data();
    void attack();
    void stdoutNobodyReads();
    void cleanupTestCase();

private:
    bench::JourneyResult playJourneys(ServerProcess &server, const QString &label);
    bool enrolAll(ServerProcess &server, hostile::Target *target);
    void checkLatency(const bench::JourneyResult &undisturbed, const bench::JourneyResult &attacked);

    ServerProcess m_server;
    hostile::Target m_target;
    bench::JourneyResult m_undisturbed; // the good stations' run before any attack
    long m_attacksHighWaterKiB = -1;    // the attacks' server's VmHWM, read before it was stopped
    QStringList m_summary;
};

bool TestHostile::enrolAll(ServerProcess &server, hostile::Target *target)
{
    for (const Station &good :
         {Station{u"R000"_s, domain::Role::Receptionist}, Station{u"M000"_s, domain::Role::Doctor},
          Station{u"X000"_s, domain::Role::Examiner}, Station{u"FEED"_s, domain::Role::Board}}) {
        if (!server.enrol(good.code, good.role))
            return false;
    }
    for (const Station &attacker : kAttackers) {
        const auto enrolment = server.enrol(attacker.code, attacker.role);
        if (!enrolment)
            return false;
        if (target)
            target->keys.insert(attacker.code, enrolment->keys);
    }
    return true;
}

void TestHostile::initTestCase()
{
    // The attackers open over a thousand sockets: take the descriptors this process may have.
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(enrolAll(m_server, &m_target));
    m_target.port = m_server.port();
    m_target.httpPort = m_server.httpPort();
    m_target.pid = m_server.pid();
    std::printf("\nclinicflow-server pid %lld; good stations: %.0f journeys/s (desk R000, doctor M000, examiner X000), "
                "%.0f s per phase; descriptors here: %llu\n",
                m_target.pid, kJourneysPerSecond, kSecondsPerPhase, (unsigned long long)files.rlim_cur);
    playJourneys(m_server, u"warm-up"_s); // first connections, caches and the database's first pages
    // The one undisturbed run every attack is held to. One for all, not one before each: each attack also shows
    // whether an earlier one left the server slower (a leak, a stuck socket), which a fresh baseline would absorb.
    m_undisturbed = playJourneys(m_server, u"undisturbed"_s);
    QVERIFY2(m_undisturbed.unanswered == 0 && m_undisturbed.applied > 0, "the undisturbed run did not play");
}

bench::JourneyResult TestHostile::playJourneys(ServerProcess &server, const QString &label)
{
    bench::JourneyOptions options;
    options.port = server.port();
    options.pubPort = server.pubPort();
    options.stations = 1;
    options.journeysPerStation = 32;
    options.journeysPerSecond = kJourneysPerSecond;
    options.seconds = kSecondsPerPhase;
    options.drainSeconds = 15;
    options.subscribers = 0;
    options.label = label;
    options.keysFor = [&server](const QString &station, domain::Role role) -> std::optional<security::ClientKeys> {
        const auto enrolment = server.enrol(station, role);
        return enrolment ? std::optional(enrolment->keys) : std::nullopt;
    };
    return bench::runJourneys(options);
}

void TestHostile::checkLatency(const bench::JourneyResult &undisturbed, const bench::JourneyResult &attacked)
{
    QVERIFY2(attacked.helloFailures == 0, "a good station could not say Hello during the attack");
    QVERIFY2(attacked.unanswered == 0,
             qPrintable(u"%1 commands of the good stations were never answered"_s.arg(attacked.unanswered)));
    QVERIFY2(attacked.rejected == 0, "a good station's command was rejected");
    QVERIFY2(attacked.applied > 0, "no good command was applied");
    // Within 2x of the undisturbed run, counted from a floor of kLatencyFloorMs: below it, p99 on a shared two-core
    // machine moves by 2x between two undisturbed runs (4.5 to 8.6 ms measured), so a strict 2x of a 5 ms p99 would
    // test the scheduler, not the server. The literal ratio is printed beside it.
    const double bar = 2 * std::max(undisturbed.applyP99Ms, kLatencyFloorMs);
    std::printf(
        "  good stations: submit -> Applied p99 %.1f ms undisturbed, %.1f ms under attack (x%.2f; bar %.1f ms)\n",
        undisturbed.applyP99Ms, attacked.applyP99Ms, attacked.applyP99Ms / undisturbed.applyP99Ms, bar);
    QVERIFY2(attacked.applyP99Ms <= bar,
             qPrintable(u"submit -> Applied p99 went from %1 ms to %2 ms"_s.arg(undisturbed.applyP99Ms, 0, 'f', 1)
                            .arg(attacked.applyP99Ms, 0, 'f', 1)));
}

void TestHostile::attack_data()
{
    QTest::addColumn<int>("index");
    const auto attacks = hostile::networkAttacks();
    for (int i = 0; i < int(attacks.size()); ++i)
        QTest::newRow(qPrintable(attacks[std::size_t(i)].name)) << i;
}

void TestHostile::attack()
{
    QFETCH(int, index);
    const hostile::Attack attack = hostile::networkAttacks()[std::size_t(index)];
    std::printf("\n== %s: %s\n", qPrintable(attack.name), qPrintable(attack.what));
    const bench::JourneyResult &undisturbed = m_undisturbed;

    const qint64 logBefore = m_server.logBytes();
    hostile::MemorySampler memory(m_server.pid());
    std::atomic<bool> stop{false};
    hostile::Tally tally;
    std::thread attacker([&] {
        // The attacker stands for another machine on the network, but here it shares the server's two cores: it
        // runs on what CPU the server and the good stations leave (SCHED_IDLE), as a machine of its own would not
        // take theirs. What it costs the server to receive and refuse is still the server's.
        const sched_param idle{};
        sched_setscheduler(pid_t(gettid()), SCHED_IDLE, &idle);
        attack.run(m_target, stop, tally);
    });
    std::this_thread::sleep_for(1s); // the attack is under way before the good stations connect
    const bench::JourneyResult attacked = playJourneys(m_server, attack.name + u" under attack"_s);
    stop = true;
    attacker.join();
    QTest::qWait(500); // the server's last lines about the attack
    const long peakKiB = memory.peakKiB();
    const qint64 logGrowth = m_server.logBytes() - logBefore;
    const QString stored = hostile::checkStored(m_server.dataDir(), attack.storesNothingFrom);

    std::printf("  attacker: %s; stations shut out so far: %s\n", qPrintable(tally.describe()),
                qPrintable(metricValue(m_server, u"clinicflow_gateway_limited_total{limit=\"shut_out\"}"_s)));
    std::printf("  server: resident memory peak %.1f MB, log grew %.2f MB, %s\n", double(peakKiB) / 1024,
                double(logGrowth) / 1e6, stored.isEmpty() ? "nothing malformed stored" : qPrintable(stored));
    m_summary << u"%1 | %2 | %3 | %4 | %5 | %6"_s.arg(attack.name, -24)
                     .arg(undisturbed.applyP99Ms, 8, 'f', 1)
                     .arg(attacked.applyP99Ms, 8, 'f', 1)
                     .arg(double(peakKiB) / 1024, 8, 'f', 1)
                     .arg(double(logGrowth) / 1e6, 6, 'f', 2)
                     .arg(tally.sent.load());

    QVERIFY2(!m_server.hasExited(), qPrintable(m_server.logTail()));
    QCOMPARE(m_server.httpGet(u"/health/live"_s).status, 200);
    QVERIFY2(tally.sent > 0, "the attack did not get going");
    QVERIFY2(stored.isEmpty(), qPrintable(stored));
    QVERIFY2(peakKiB < kMemoryBarKiB, qPrintable(u"resident memory reached %1 MB"_s.arg(peakKiB / 1024)));
    QVERIFY2(logGrowth < kLogBarBytes, qPrintable(u"the log grew by %1 bytes"_s.arg(logGrowth)));
    checkLatency(undisturbed, attacked);
}

// The server's stdout is a pipe that its reader stops reading, then closes (as `clinicflow-server | head -n 1`
// would): logging drops lines and counts them, the stations are served as before, and nothing kills the server.
void TestHostile::stdoutNobodyReads()
{
    // The attacks' server is done: stopped, so that what it still does after the floods (a checkpoint, closing
    // connections) does not weigh on this one's measurement. (It once put 20 ms on this p99 here, alone 6-10 ms.)
    if (m_server.isRunning()) {
        m_attacksHighWaterKiB = hostile::statusKiB(m_server.pid(), "VmHWM");
        QVERIFY2(m_server.terminate(), "the attacks' server did not drain and exit cleanly");
    }
    QTemporaryDir folder;
    const QString fifo = folder.filePath(u"stdout"_s);
    QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
    int reader = ::open(fifo.toLocal8Bit().constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    QVERIFY(reader >= 0);
    const int pipeSize = ::fcntl(reader, F_SETPIPE_SZ, 4096); // the smallest pipe: a few lines fill it
    std::atomic<bool> reading{true};
    std::atomic<bool> done{false};
    std::atomic<qint64> readBytes{0};
    std::thread drain([&] {
        char buffer[65536];
        while (!done) {
            const ssize_t n = reading ? ::read(reader, buffer, sizeof buffer) : 0;
            if (n > 0)
                readBytes += n;
            else
                std::this_thread::sleep_for(5ms);
        }
    });
    ServerProcess server;
    server.setStandardOutputPath(fifo);
    const bool started = server.start({u"--log-level"_s, u"debug"_s});
    if (!started) {
        done = true;
        drain.join();
        QFAIL(qPrintable(server.errorString()));
    }
    QVERIFY(enrolAll(server, nullptr));
    std::printf("\n== stdout-unread: the server's stdout is a pipe nobody reads, then a closed one\n");
    const bench::JourneyResult undisturbed = playJourneys(server, u"stdout read"_s);
    reading = false;
    // Lines the server writes whatever its log level: a SIGHUP is logged. They fill the pipe nobody reads.
    for (int i = 0; i < 100; ++i) {
        ::kill(pid_t(server.pid()), SIGHUP);
        std::this_thread::sleep_for(10ms);
    }
    const bench::JourneyResult unread = playJourneys(server, u"stdout unread"_s);
    const HttpResult metrics = server.httpGet(u"/metrics"_s);
    int unreadBytes = 0; // what the server wrote that nobody read: the pipe is full
    ::ioctl(reader, FIONREAD, &unreadBytes);
    done = true;
    drain.join();
    ::close(reader); // now nobody can read it at all: the server's writes fail with EPIPE
    const bench::JourneyResult closed = playJourneys(server, u"stdout closed"_s);

    const QRegularExpression dropped(u"^clinicflow_log_lines_dropped_total (\\d+)"_s,
                                     QRegularExpression::MultilineOption);
    const auto match = dropped.match(QString::fromUtf8(metrics.body));
    std::printf("  server: %lld bytes of log read before the reader stopped, %d bytes left unread in a pipe of %d; "
                "clinicflow_log_lines_dropped_total %s\n",
                (long long)readBytes.load(), unreadBytes, pipeSize,
                match.hasMatch() ? qPrintable(match.captured(1)) : "absent");
    m_summary << u"%1 | %2 | %3 | %4 | %5 | %6"_s.arg(u"stdout-unread"_s, -24)
                     .arg(undisturbed.applyP99Ms, 8, 'f', 1)
                     .arg(std::max(unread.applyP99Ms, closed.applyP99Ms), 8, 'f', 1)
                     .arg(double(hostile::statusKiB(server.pid(), "VmHWM")) / 1024, 8, 'f', 1)
                     .arg(0.0, 6, 'f', 2)
                     .arg(0);

    QVERIFY2(!server.hasExited(), "the server died when its stdout was closed");
    QCOMPARE(server.httpGet(u"/health/live"_s).status, 200);
    // A pipe of one page takes no write while anything is left in it: lines left unread mean every later line had
    // nowhere to go, and the server had to go on without writing it.
    QVERIFY2(unreadBytes > 0, "nothing was left unread in the pipe: the test did not play the attack");
    checkLatency(undisturbed, unread);
    checkLatency(undisturbed, closed);
    QVERIFY2(server.terminate(), "the server did not drain and exit cleanly with its stdout closed");
}

void TestHostile::cleanupTestCase()
{
    std::printf("\nattack                   | p99 undisturbed ms | p99 attacked ms | RSS peak MB | log MB | attacker's "
                "units\n");
    for (const QString &line : std::as_const(m_summary))
        std::printf("%s\n", qPrintable(line));
    const long highWater =
        m_attacksHighWaterKiB >= 0 ? m_attacksHighWaterKiB : hostile::statusKiB(m_server.pid(), "VmHWM");
    std::printf("server resident high-water mark over the whole suite: %.1f MB\n", double(highWater) / 1024);
}

QTEST_GUILESS_MAIN(TestHostile)
#include "TestHostile.moc"
