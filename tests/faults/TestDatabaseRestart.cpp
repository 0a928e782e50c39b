// PostgreSQL itself crashes under load and comes back (issue #14, fault test 5): a desk keeps 50 registrations in
// flight and, like a workstation's outbox, keeps every command until it has an outcome, resending it (same id, same
// Submit) after a silence, a lost session or 3 s without an answer. After 200 are applied, `pg_ctl stop -m
// immediate` kills the cluster (a cluster of this test's own, so no other test feels it). The server must stay up,
// stop being ready within 5 s, and be ready again within 15 s of the database's return without anyone restarting
// it. Then every command is Applied exactly once, the log is 1..head without holes, and each visit's saga
// (DiagnosisRegistered, TreatmentStarted) ran exactly once: nothing half-done survived the crash.
#include "PgClusterScript.h"
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestPostgres.h"
#include "TestStation.h"
#include "domain/Ids.h"
#include "proto/Convert.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <array>
#include <atomic>
#include <deque>
#include <set>
#include <thread>
#include <unordered_map>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

constexpr int kCommands = 600;
constexpr int kWindow = 50;             // commands the desk keeps in flight
constexpr int kCrashAfterApplied = 200; // the database dies once this many are applied
constexpr int kDownMs = 3000;           // how long it stays down
constexpr int kNotReadyWithinMs = 5000;
constexpr int kReadyAgainWithinMs = 15000;
constexpr qint64 kSilenceMs = 2500; // nothing on the DEALER this long with commands out: Hello again
constexpr qint64 kResendMs = 3000;  // unanswered this long: resent anyway (docs/protocol.md §3, §4)
constexpr qint64 kDeskLimitMs = 120000;
constexpr std::array kSagaTypes{"ReceptionRegistered", "DiagnosisRegistered", "TreatmentStarted"};

// The warnings and errors in `lines` grouped by module and the message's start, most frequent first: what an
// operator would see repeated.
QString warningKinds(const QList<LogLine> &lines)
{
    QMap<QString, int> counts;
    for (const LogLine &l : lines) {
        if (l.level != u"info"_s && l.level != u"debug"_s)
            ++counts[u"%1 %2: %3"_s.arg(l.level, l.module, l.message.left(90))];
    }
    QList<std::pair<int, QString>> sorted;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        sorted.append({it.value(), it.key()});
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    QStringList text;
    for (const auto &[count, kind] : sorted)
        text << u"%1 × %2"_s.arg(count, 3).arg(kind);
    return text.join(u'\n');
}

qint64 msNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// What /health/ready says: "200", "503", "refused" (nothing listens), "timeout", or anything else as is.
QString readiness(ServerProcess &server, int timeoutMs = 1000)
{
    const HttpResult r = server.httpGet(u"/health/ready"_s, timeoutMs);
    if (r.status != 0)
        return QString::number(r.status);
    if (r.error.contains(u"refused"_s, Qt::CaseInsensitive))
        return u"refused"_s;
    return r.error.startsWith(u"timeout"_s) ? u"timeout"_s : r.error;
}

struct Command
{
    QUuid id;
    QUuid visit;
    v1::Submit submit; // built once: every resend is the same Submit
    qint64 lastSentMs = 0;
    bool due = false;    // in the resend queue
    QStringList answers; // every outcome heard: "Applied <sequences>" or "Rejected <code>"
};

// The reception desk "A" on a thread of its own (its TestStation lives there), with an outbox of registrations.
class Desk
{
public:
    explicit Desk(int count)
    {
        const QDateTime at = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < count; ++i) {
            const domain::RegisterVisit visit = registerVisit(i % 3 ? u"IM"_s : u"GS"_s);
            Command &c = commands.emplace_back();
            c.id = domain::newId();
            c.visit = visit.receptionId;
            c.submit = proto::toSubmit(domain::CommandMeta{c.id, u"A"_s, at}, visit);
            m_byId.emplace(idText(c.id).toStdString(), i);
        }
    }
    ~Desk()
    {
        abort = true;
        join();
    }
    void start(quint16 port, const security::ClientKeys &keys)
    {
        m_thread = std::thread([this, port, keys] { run(port, keys); });
    }
    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

    std::atomic<int> applied{0}, resolved{0};
    std::atomic<bool> abort{false};
    // Read after join().
    std::vector<Command> commands;
    QStringList problems;
    int resends = 0, hellos = 0, failedHellos = 0, sessionsLost = 0, refusals = 0;

private:
    void run(quint16 port, const security::ClientKeys &keys);
    void handle(const v1::Envelope &envelope);
    void queueResend(int index)
    {
        Command &c = commands[std::size_t(index)];
        if (c.answers.isEmpty() && !c.due) {
            c.due = true;
            m_resendQueue.push_back(index);
        }
    }
    void send(TestStation &station, int index)
    {
        Command &c = commands[std::size_t(index)];
        resends += c.lastSentMs > 0 ? 1 : 0;
        c.due = false;
        c.lastSentMs = msNow();
        m_copies[station.sendSubmit(c.submit)] = {index, m_epoch};
    }

    std::unordered_map<std::string, int> m_byId;
    std::unordered_map<quint64, std::pair<int, int>> m_copies; // request id -> command index, Hello epoch
    std::set<int> m_outstanding;                               // sent, no outcome yet
    std::deque<int> m_resendQueue;
    int m_epoch = 0;
    bool m_needHello = true;
    qint64 m_lastHeardMs = 0;
    qint64 m_heldUntilMs = 0;
    std::thread m_thread;
};

void Desk::handle(const v1::Envelope &envelope)
{
    if (envelope.has_error()) {
        const auto copy = m_copies.find(envelope.request_id());
        const v1::Error &error = envelope.error();
        if (copy == m_copies.end()) {
            problems << u"Error %1 to request %2, no Submit"_s.arg(int(error.code())).arg(envelope.request_id());
        } else if (error.code() == v1::ERROR_CODE_UNKNOWN_STATION) {
            // The session is gone (the modules started again): Hello, then everything without an outcome again.
            if (copy->second.second == m_epoch && !m_needHello) {
                m_needHello = true;
                ++sessionsLost;
            }
        } else if (error.code() == v1::ERROR_CODE_RATE_LIMITED || error.code() == v1::ERROR_CODE_SERVER_UNAVAILABLE) {
            ++refusals;
            m_heldUntilMs = std::max(m_heldUntilMs, msNow() + std::max<qint64>(error.retry_after_ms(), 50));
            queueResend(copy->second.first);
        } else {
            problems << u"Submit %1 answered Error %2: %3"_s.arg(idText(commands[copy->second.first].id))
                            .arg(int(error.code()))
                            .arg(QString::fromStdString(error.message()));
        }
        return;
    }
    if (!envelope.has_applied() && !envelope.has_rejected())
        return; // Queued, Pong: the server is there
    const bool isApplied = envelope.has_applied();
    QStringList sequences;
    for (quint64 s : envelope.applied().sequences())
        sequences << QString::number(s);
    const auto found = m_byId.find(isApplied ? envelope.applied().command_id() : envelope.rejected().command_id());
    if (found == m_byId.end()) {
        problems << u"an outcome for a command the desk never sent"_s;
        return;
    }
    Command &c = commands[std::size_t(found->second)];
    c.answers << (isApplied ? u"Applied "_s + sequences.join(u',')
                            : u"Rejected %1"_s.arg(int(envelope.rejected().code())));
    if (c.answers.size() == 1) {
        m_outstanding.erase(found->second);
        ++resolved;
        applied += isApplied ? 1 : 0;
    }
}

void Desk::run(quint16 port, const security::ClientKeys &keys)
{
    TestStation station;
    station.useKeys(keys, u"A"_s);
    const qint64 deadline = msNow() + kDeskLimitMs;
    const int count = int(commands.size());
    int next = 0;
    bool rebuild = true;
    qint64 lastCheckMs = 0;
    while (resolved < count && !abort && msNow() < deadline) {
        if (m_needHello) {
            if (rebuild)
                station.connect(port);
            const qint64 before = msNow();
            if (!station.hello(u"A"_s, v1::ROLE_RECEPTIONIST, 0, 2s)) {
                ++failedHellos;
                rebuild = true; // the server is away or starting: a new DEALER for the next try
                if (msNow() - before < 200)
                    std::this_thread::sleep_for(200ms);
                continue;
            }
            ++hellos;
            ++m_epoch;
            m_needHello = rebuild = false;
            m_lastHeardMs = msNow();
            for (int i : m_outstanding)
                queueResend(i);
        }
        // The outbox: refused and unanswered commands first, then new ones while fewer than kWindow are out.
        while (!m_resendQueue.empty() && msNow() >= m_heldUntilMs) {
            const int i = m_resendQueue.front();
            m_resendQueue.pop_front();
            if (commands[std::size_t(i)].due)
                send(station, i);
        }
        while (int(m_outstanding.size()) < kWindow && next < count && msNow() >= m_heldUntilMs) {
            m_outstanding.insert(next);
            send(station, next++);
        }
        for (int n = 0; n < 2000 && !m_needHello; ++n) {
            const auto envelope = station.receive(n == 0 ? 10ms : 0ms);
            if (!envelope)
                break;
            m_lastHeardMs = msNow();
            handle(*envelope);
        }
        const qint64 now = msNow();
        if (!m_needHello && !m_outstanding.empty() && now - m_lastHeardMs > kSilenceMs)
            m_needHello = true; // on this DEALER first; on a new one if that Hello goes unanswered
        if (m_needHello || now - lastCheckMs < 200)
            continue;
        lastCheckMs = now;
        for (int i : m_outstanding) {
            if (now - commands[std::size_t(i)].lastSentMs > kResendMs)
                queueResend(i);
        }
    }
    if (resolved < count)
        problems << u"the desk stopped with %1 of %2 commands resolved"_s.arg(int(resolved)).arg(count);
}

} // namespace

class TestDatabaseRestart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void databaseCrashUnderLoadLosesNothingAndHeals();

private:
    OwnPgCluster m_cluster;
};

void TestDatabaseRestart::initTestCase()
{
    const QString problem = m_cluster.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestDatabaseRestart::databaseCrashUnderLoadLosesNothingAndHeals()
{
    ThrowawayPostgresDatabase database(m_cluster.baseUrl());
    QVERIFY2(database.isValid(), qPrintable(database.error()));
    ServerProcess server;
    server.setDatabaseUrl(database.url());
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const qint64 pid = server.pid();
    const auto enrolment = server.enrol(u"A"_s, domain::Role::Receptionist);
    QVERIFY2(enrolment, "cannot enrol the desk");
    const auto serverLog = [&] { return u"\nserver log:\n"_s + server.logTail(30); };

    Desk desk(kCommands);
    QElapsedTimer clock;
    clock.start();
    desk.start(server.port(), enrolment->keys);
    QVERIFY2(pollUntil([&] { return desk.applied >= kCrashAfterApplied; }, 30000, 5),
             qPrintable(u"only %1 applied before the crash"_s.arg(int(desk.applied)) + serverLog()));

    // The database dies under load.
    const int appliedAtCrash = desk.applied;
    const qsizetype logBefore = server.logLines().size();
    QString output;
    QVERIFY2(m_cluster.run(u"crash"_s, &output) == 0, qPrintable(output));
    QElapsedTimer down;
    down.start();
    // Not ready within 5 s, never ready again while the database is down, and still the same process.
    qint64 notReadyAfterMs = -1;
    QStringList answers; // each kind of answer /health/ready gave meanwhile, once
    while (down.elapsed() < kDownMs || (notReadyAfterMs < 0 && down.elapsed() < kNotReadyWithinMs)) {
        const QString answer = readiness(server, 500);
        if (!answers.contains(answer))
            answers << answer;
        if (notReadyAfterMs < 0 && (answer == u"503"_s || answer == u"refused"_s))
            notReadyAfterMs = down.elapsed();
        QVERIFY2(answer != u"200"_s || notReadyAfterMs < 0,
                 qPrintable(u"ready again while the database is down"_s + serverLog()));
        QTest::qWait(100);
    }
    QVERIFY2(
        notReadyAfterMs >= 0,
        qPrintable(
            u"/health/ready still answers %1 %2 ms after the crash"_s.arg(answers.join(u", "_s)).arg(down.elapsed()) +
            serverLog()));
    QVERIFY2(!server.hasExited(), qPrintable(u"the server exited while the database was down"_s + serverLog()));
    QVERIFY2(m_cluster.run(u"restart"_s, &output) == 0, qPrintable(output));
    const double secondsDown = down.elapsed() / 1000.0;
    QElapsedTimer back;
    back.start();
    QVERIFY2(pollUntil([&] { return readiness(server) == u"200"_s; }, kReadyAgainWithinMs, 100),
             qPrintable(u"not ready %1 s after the database came back"_s.arg(back.elapsed() / 1000.0) + serverLog()));
    const double secondsToReady = back.elapsed() / 1000.0;
    QVERIFY(!server.hasExited());
    QCOMPARE(server.pid(), pid);
    const auto mentions = [](const QString &text) {
        return [text](const LogLine &l) { return l.message.contains(text); };
    };
    QVERIFY2(server.waitForLog(mentions(u"the database went away"_s), 2000, int(logBefore)), qPrintable(serverLog()));
    QVERIFY2(server.waitForLog(mentions(u"the database is back after"_s), 2000, int(logBefore)),
             qPrintable(serverLog()));

    // An operator reads the outage in the log: the loss, the stop, the wait and the return, not a line for every
    // statement that failed. It was 239 lines, most of them Qt's driver unable to free a statement; then 58-92
    // warnings, most of them the gateway's reads and intakes failing every turn and each failed ROLLBACK on the dead
    // connection; now 14-25: the gateway writes the first two of each, then a count.
    const QList<LogLine> outageLog = server.logLines().mid(logBefore);
    const auto warnings = std::count_if(outageLog.cbegin(), outageLog.cend(),
                                        [](const LogLine &l) { return l.level != u"info"_s && l.level != u"debug"_s; });
    qInfo("%lld log lines from the crash to the return, %lld of them warnings or errors",
          static_cast<long long>(outageLog.size()), static_cast<long long>(warnings));
    QVERIFY2(warnings <= 40, qPrintable(u"\nthe outage's warnings and errors, by kind:\n"_s + warningKinds(outageLog)));
    // The desk's outbox empties by itself.
    const bool drained = pollUntil([&] { return desk.resolved >= kCommands; }, 60000, 50);
    desk.abort = !drained;
    desk.join();
    const double seconds = clock.elapsed() / 1000.0;
    QVERIFY2(desk.problems.isEmpty(), qPrintable(desk.problems.mid(0, 20).join(u'\n') + serverLog()));

    // Each command has one outcome however often it was answered, Applied, and its visit's saga settles at 3 events
    // (a head growing past that would be reactions run twice); then the log is 1..head, each command in it once,
    // where the desk was told, and each visit has one ReceptionRegistered, DiagnosisRegistered and TreatmentStarted.
    QStringList wrong;
    for (const Command &c : desk.commands) {
        const QString first = c.answers.value(0, u"no outcome"_s);
        if (!first.startsWith(u"Applied "_s) || first.contains(u','))
            wrong << u"command %1: %2"_s.arg(idText(c.id), first);
        else if (c.answers.count(first) != c.answers.size())
            wrong << u"command %1: %2"_s.arg(idText(c.id), c.answers.join(u", then "_s));
    }
    QVERIFY2(wrong.isEmpty(),
             qPrintable(u"%1 commands not Applied exactly once:\n"_s.arg(wrong.size()) + wrong.mid(0, 20).join(u'\n')));
    TestStation reader;
    reader.connect(server.port());
    QVERIFY2(reader.hello(u"R"_s, v1::ROLE_RECEPTIONIST), qPrintable(reader.lastError()));
    quint64 head = 0;
    qint64 stableSince = msNow();
    const quint64 expectedHead = kSagaTypes.size() * kCommands;
    pollUntil(
        [&] {
            const auto batch = reader.fetchEvents(0, 1);
            const quint64 now = batch ? batch->head_sequence() : 0;
            stableSince = now == head ? stableSince : msNow();
            head = now;
            return head >= expectedHead && msNow() - stableSince >= 1000;
        },
        30000, 200);
    const EventLogRead log = reader.fetchAllEvents(5000, 60s);
    QVERIFY2(log.ok, qPrintable(reader.lastError()));
    QVERIFY2(checkLogShape(log.events, log.head).isEmpty(), qPrintable(checkLogShape(log.events, log.head)));
    QVERIFY2(checkEventMetadata(log.events).isEmpty(), qPrintable(checkEventMetadata(log.events)));
    std::unordered_map<std::string, std::vector<quint64>> causedBy;
    std::unordered_map<std::string, std::array<int, kSagaTypes.size()>> perVisit;
    for (const v1::Event &e : log.events) {
        causedBy[e.causation_id()].push_back(e.sequence());
        for (std::size_t t = 0; t < kSagaTypes.size(); ++t)
            perVisit[e.visit_id()][t] += e.type() == kSagaTypes[t] ? 1 : 0;
    }
    for (const Command &c : desk.commands) {
        const std::vector<quint64> &seqs = causedBy[idText(c.id).toStdString()];
        const auto n = perVisit[idText(c.visit).toStdString()];
        if (seqs.size() != 1 || c.answers[0] != u"Applied %1"_s.arg(seqs[0]) ||
            log.events[seqs[0] - 1].type() != kSagaTypes[0] || n != std::array<int, kSagaTypes.size()>{1, 1, 1}) {
            wrong << u"command %1 (visit %2): told %3; %4 events in the log (first at %5); the visit has %6 "
                     u"ReceptionRegistered, %7 DiagnosisRegistered, %8 TreatmentStarted"_s.arg(idText(c.id))
                         .arg(idText(c.visit), c.answers[0])
                         .arg(seqs.size())
                         .arg(seqs.empty() ? 0 : seqs[0])
                         .arg(n[0])
                         .arg(n[1])
                         .arg(n[2]);
        }
    }
    QVERIFY2(wrong.isEmpty(),
             qPrintable(u"%1 commands lost, applied twice, misplaced or half-done:\n"_s.arg(wrong.size()) +
                        wrong.mid(0, 20).join(u'\n') + serverLog()));
    QCOMPARE(countEvents(log.events, kSagaTypes[0]), kCommands);
    QCOMPARE(countEvents(log.events, kSagaTypes[2]), kCommands);
    QCOMPARE(log.head, expectedHead);
    qInfo("%d registrations applied once each (%d before the crash), %d resends, %d Hellos (%d unanswered), %d "
          "sessions lost, %d Submits refused for a while; not ready %.1f s after the crash (readiness meanwhile: %s), "
          "the database down %.1f s, ready %.1f s after it returned, same process; %.1f s in all",
          kCommands, appliedAtCrash, desk.resends, desk.hellos, desk.failedHellos, desk.sessionsLost, desk.refusals,
          notReadyAfterMs / 1000.0, qPrintable(answers.join(u", "_s)), secondsDown, secondsToReady, seconds);
    QVERIFY2(server.terminate(), qPrintable(server.errorString()));
}

QTEST_GUILESS_MAIN(TestDatabaseRestart)
#include "TestDatabaseRestart.moc"
