// kill -9 under load (issue #14, fault test 1): three desks register 10,000 visits, each keeping up to 100 commands
// in flight and, like a workstation's outbox, resending every command without an outcome after a reconnect or a
// silence (same id, same Submit), while the server is killed with SIGKILL at random moments and restarted on the
// same data. Nothing is lost and nothing is applied twice: every command ends with one outcome, Applied, however
// often it was answered (on the DEALER or on PUB); the log holds exactly one ReceptionRegistered per command, at the
// sequences its desk was told, its sequences are 1..head, and each visit's saga reactions ran once.
// CLINICFLOW_KILL_SEED=<n> repeats a run's kill timing (the seed is printed).
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "domain/Ids.h"
#include "proto/Convert.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>
#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

constexpr int kCommands = 10000;
constexpr int kWindow = 100; // commands a desk keeps in flight
constexpr int kMinKills = 4;
// Each kill comes at random, this long after the server is ready again or once this many more commands have an
// outcome, whichever is first: at most 1,900 a life makes at least 4 kills in 10,000 however fast the server is.
constexpr int kKillAfterMinMs = 400;
constexpr int kKillAfterMaxMs = 1500;
constexpr int kKillAfterMinResolved = 300;
constexpr int kKillAfterMaxResolved = 1900;
constexpr qint64 kSilenceMs = 1000; // nothing on the DEALER this long with commands out: Hello, then resend them
constexpr qint64 kResendMs = 3000;  // unanswered this long: resent anyway (docs/protocol.md §4)
constexpr auto kHelloTimeout = 3s;
constexpr int kRunLimitMs = 180000; // the desks give up: some command is never answered
constexpr std::array kReactionTypes{"ReceptionRegistered", "DiagnosisRegistered", "TreatmentStarted"};

qint64 msNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString listed(const std::vector<quint64> &sequences)
{
    QStringList seqs;
    for (quint64 s : sequences)
        seqs << QString::number(s);
    return u'[' + seqs.join(u',') + u']';
}

// An Applied or Rejected heard for a command.
struct Answer
{
    bool applied = false;
    std::vector<quint64> sequences;
    int code = 0;
    bool operator==(const Answer &) const = default;
    QString describe() const { return applied ? u"Applied "_s + listed(sequences) : u"Rejected %1"_s.arg(code); }
};

struct Command
{
    QUuid id;
    QUuid visit;
    v1::Submit submit; // built once: every resend is the same Submit
    int sends = 0;
    qint64 lastSentMs = 0;
    bool dueForResend = false;
    std::vector<Answer> answers; // every outcome heard, on the DEALER and on PUB
};

struct Progress
{
    std::atomic<int> resolved{0}; // commands with an outcome, over all desks
    std::atomic<bool> abort{false};
};

// A reception desk on a thread of its own (its TestStation lives there) with an outbox of `count` registrations.
class Desk
{
public:
    Desk(const QString &code, int count, Progress &progress, const security::ClientKeys &keys)
        : m_code(code)
        , m_keys(keys)
        , m_progress(progress)
    {
        const QDateTime at = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < count; ++i) {
            domain::RegisterVisit visit = registerVisit(i % 3 ? u"IM"_s : u"GS"_s);
            visit.ticket.station = code;
            Command &c = m_commands.emplace_back();
            c.id = domain::newId();
            c.visit = visit.receptionId;
            c.submit = proto::toSubmit(domain::CommandMeta{c.id, code, at}, visit);
            m_byId.emplace(idText(c.id).toStdString(), i);
        }
    }
    ~Desk()
    {
        m_progress.abort = true;
        join();
    }
    void start(quint16 port, quint16 pubPort)
    {
        m_thread = std::thread([this, port, pubPort] { run(port, pubPort); });
    }
    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

    // After join().
    QString code() const { return m_code; }
    const std::vector<Command> &commands() const { return m_commands; }
    const QStringList &problems() const { return m_problems; }
    int resends = 0, hellos = 0, rebuilds = 0, refusals = 0, heard = 0, heardPublished = 0;

private:
    void run(quint16 port, quint16 pubPort);
    bool sayHello(TestStation &station, quint16 port, quint16 pubPort, bool rebuild);
    void send(TestStation &station, int index);
    void handle(const v1::Envelope &envelope, bool published);
    void record(const std::string &commandId, Answer answer, bool published);
    void due(int index) // to be sent again
    {
        Command &c = m_commands[std::size_t(index)];
        if (c.answers.empty() && !std::exchange(c.dueForResend, true))
            m_resendQueue.push_back(index);
    }
    void problem(const QString &what)
    {
        if (m_problems.size() < 20)
            m_problems << what;
    }

    QString m_code;
    security::ClientKeys m_keys;
    Progress &m_progress;
    std::vector<Command> m_commands;
    std::unordered_map<std::string, int> m_byId;
    struct Copy
    {
        int index = 0;
        int epoch = 0; // the Hello it followed
    };
    std::unordered_map<quint64, Copy> m_copies; // by request id
    std::set<int> m_outstanding;                // sent, no outcome yet
    std::deque<int> m_resendQueue;
    int m_resolved = 0;
    int m_epoch = 0;
    bool m_needHello = true;
    bool m_rebuild = true; // the next Hello on a new DEALER
    qint64 m_lastHeardMs = 0;
    qint64 m_heldUntilMs = 0;
    QStringList m_problems;
    std::thread m_thread;
};

bool Desk::sayHello(TestStation &station, quint16 port, quint16 pubPort, bool rebuild)
{
    if (rebuild) {
        station.connect(port, pubPort);
        ++rebuilds;
    }
    if (!station.hello(m_code, v1::ROLE_RECEPTIONIST, 0, kHelloTimeout))
        return false; // the server is down or still starting: try again on a new DEALER
    ++hellos;
    ++m_epoch;
    m_needHello = false;
    m_lastHeardMs = msNow();
    // Everything without an outcome goes again: the server answers the stored result of what it took.
    for (int i : m_outstanding)
        due(i);
    return true;
}

void Desk::send(TestStation &station, int index)
{
    Command &c = m_commands[std::size_t(index)];
    c.dueForResend = false;
    c.lastSentMs = msNow();
    if (c.sends++ > 0)
        ++resends;
    m_copies[station.sendSubmit(c.submit)] = Copy{index, m_epoch};
    if (msNow() - c.lastSentMs > 1000) // the DEALER took nothing for a while (TestStation gives up after 2 s)
        m_needHello = m_rebuild = true;
}

void Desk::record(const std::string &commandId, Answer answer, bool published)
{
    const auto found = m_byId.find(commandId);
    if (found == m_byId.end()) {
        if (!published) // PUB carries the other desks' outcomes too
            problem(
                u"an outcome for a command desk %1 never sent: %2"_s.arg(m_code, QString::fromStdString(commandId)));
        return;
    }
    ++heard;
    heardPublished += published ? 1 : 0;
    Command &c = m_commands[std::size_t(found->second)];
    c.answers.push_back(std::move(answer));
    if (c.answers.size() == 1) {
        m_outstanding.erase(found->second);
        ++m_resolved;
        ++m_progress.resolved;
    }
}

void Desk::handle(const v1::Envelope &envelope, bool published)
{
    if (envelope.has_applied()) {
        const v1::Applied &a = envelope.applied();
        record(a.command_id(), Answer{true, {a.sequences().begin(), a.sequences().end()}, 0}, published);
    } else if (envelope.has_rejected()) {
        record(envelope.rejected().command_id(), Answer{false, {}, int(envelope.rejected().code())}, published);
    } else if (envelope.has_error() && !published) {
        const auto copy = m_copies.find(envelope.request_id());
        const v1::Error &error = envelope.error();
        if (copy == m_copies.end()) {
            problem(u"Error %1 to request %2, no Submit of desk %3"_s.arg(int(error.code()))
                        .arg(envelope.request_id())
                        .arg(m_code));
            return;
        }
        const Command &c = m_commands[std::size_t(copy->second.index)];
        if (error.code() == v1::ERROR_CODE_UNKNOWN_STATION) {
            // The session is gone (a restarted server): Hello, then everything again. A copy sent before the
            // last Hello is resent after it already.
            if (copy->second.epoch == m_epoch)
                m_needHello = true;
        } else if (error.code() == v1::ERROR_CODE_RATE_LIMITED || error.code() == v1::ERROR_CODE_SERVER_UNAVAILABLE) {
            ++refusals;
            m_heldUntilMs = std::max(m_heldUntilMs, msNow() + std::max<qint64>(error.retry_after_ms(), 50));
            due(copy->second.index);
        } else {
            problem(u"Submit %1 answered Error %2: %3"_s.arg(idText(c.id))
                        .arg(int(error.code()))
                        .arg(QString::fromStdString(error.message())));
        }
    }
}

void Desk::run(quint16 port, quint16 pubPort)
{
    TestStation station;
    station.useKeys(m_keys, m_code);
    const qint64 deadline = msNow() + kRunLimitMs;
    const int count = int(m_commands.size());
    int next = 0;
    std::size_t publishedSeen = 0;
    while (m_resolved < count && !m_progress.abort && msNow() < deadline) {
        if (m_needHello) {
            m_rebuild = !sayHello(station, port, pubPort, m_rebuild);
            continue;
        }
        // The outbox: refused and unanswered commands first, then new ones while fewer than kWindow are out.
        while (!m_resendQueue.empty() && msNow() >= m_heldUntilMs && !m_needHello) {
            const int i = m_resendQueue.front();
            m_resendQueue.pop_front();
            if (m_commands[std::size_t(i)].answers.empty() && m_commands[std::size_t(i)].dueForResend)
                send(station, i);
        }
        while (int(m_outstanding.size()) < kWindow && next < count && msNow() >= m_heldUntilMs && !m_needHello) {
            m_outstanding.insert(next);
            send(station, next++);
        }
        for (int n = 0; n < 2000; ++n) {
            const auto envelope = station.receive(n == 0 ? 10ms : 0ms);
            if (!envelope)
                break;
            m_lastHeardMs = msNow();
            handle(*envelope, false);
        }
        station.collectPublished(1ms);
        for (; publishedSeen < station.published().size(); ++publishedSeen)
            handle(station.published()[publishedSeen], true);

        const qint64 now = msNow();
        if (!m_outstanding.empty() && now - m_lastHeardMs > kSilenceMs) {
            // Perhaps a restarted server that knows no session: Hello before anything is resent (it counts
            // Submits without a session as invalid, and 100 in 10 s shut the desk out for 10 s). On a new DEALER
            // when that Hello goes unanswered.
            m_needHello = true;
            continue;
        }
        for (int i : m_outstanding) {
            if (now - m_commands[std::size_t(i)].lastSentMs > kResendMs)
                due(i);
        }
    }
    if (m_resolved < count)
        problem(u"desk %1 stopped with %2 of %3 commands resolved"_s.arg(m_code).arg(m_resolved).arg(count));
}

} // namespace

class TestKillUnderLoad : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();
    void noCommandLostOrAppliedTwiceThroughRandomKills();

private:
    std::unique_ptr<ServerProcess> m_server;
};

void TestKillUnderLoad::cleanup()
{
    if (QTest::currentTestFailed() && m_server)
        qWarning().noquote() << "server log tail:\n" << m_server->logTail(40);
    m_server.reset();
}

void TestKillUnderLoad::noCommandLostOrAppliedTwiceThroughRandomKills()
{
    const QString seedText = qEnvironmentVariable("CLINICFLOW_KILL_SEED");
    const quint32 seed = seedText.isEmpty() ? QRandomGenerator::system()->generate() : seedText.toUInt();
    qInfo("kill timing seed %u (CLINICFLOW_KILL_SEED=%u repeats it)", seed, seed);
    QRandomGenerator random(seed);

    m_server = std::make_unique<ServerProcess>();
    ServerProcess &server = *m_server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Progress progress;
    std::vector<std::unique_ptr<Desk>> desks; // 3,334 + 3,333 + 3,333 registrations
    for (const QString &code : {u"A"_s, u"B"_s, u"C"_s}) {
        const auto enrolment = server.enrol(code, domain::Role::Receptionist);
        QVERIFY2(enrolment, qPrintable(u"cannot enrol desk "_s + code));
        const int count = kCommands / 3 + (int(desks.size()) < kCommands % 3 ? 1 : 0);
        desks.push_back(std::make_unique<Desk>(code, count, progress, enrolment->keys));
    }
    QElapsedTimer clock;
    clock.start();
    for (const auto &desk : desks)
        desk->start(server.port(), server.pubPort());

    // The killer, while commands remain.
    int kills = 0;
    QString restartError;
    int resolvedAtKill = 0;
    while (progress.resolved < kCommands && clock.elapsed() < kRunLimitMs) {
        const QDeadlineTimer wait(random.bounded(kKillAfterMinMs, kKillAfterMaxMs + 1));
        const int budget = random.bounded(kKillAfterMinResolved, kKillAfterMaxResolved + 1);
        while (!wait.hasExpired() && progress.resolved < std::min(kCommands, resolvedAtKill + budget))
            QTest::qWait(10);
        if (progress.resolved >= kCommands)
            break;
        const int resolved = resolvedAtKill = progress.resolved;
        const qint64 killedAt = clock.elapsed();
        if (!server.kill9() || !server.restart()) {
            restartError = server.errorString();
            break;
        }
        ++kills;
        qInfo("kill %d at %.1f s with %d of %d commands resolved; ready again in %lld ms", kills, killedAt / 1000.0,
              resolved, kCommands, clock.elapsed() - killedAt);
    }
    progress.abort = !restartError.isEmpty();
    for (const auto &desk : desks)
        desk->join();
    const double seconds = clock.elapsed() / 1000.0;

    const auto total = [&](int Desk::*count) {
        int sum = 0;
        for (const auto &desk : desks)
            sum += (*desk).*count;
        return sum;
    };
    qInfo("%d commands from %d desks, %d kills, %d resends, %d Hellos (%d on a new DEALER), %d refused for a while, "
          "%d answers heard (%d on PUB), %.1f s",
          kCommands, int(desks.size()), kills, total(&Desk::resends), total(&Desk::hellos), total(&Desk::rebuilds),
          total(&Desk::refusals), total(&Desk::heard), total(&Desk::heardPublished), seconds);
    QVERIFY2(restartError.isEmpty(), qPrintable(u"kill -9 and restart: "_s + restartError));
    for (const auto &desk : desks)
        QVERIFY2(desk->problems().isEmpty(), qPrintable(desk->problems().join(u'\n')));
    QVERIFY2(kills >= kMinKills,
             qPrintable(
                 u"only %1 kills before all commands were resolved (at least %2 wanted)"_s.arg(kills).arg(kMinKills)));

    // The log, once the saga has settled at 3 events a visit (a head still growing past that would be reactions run
    // twice): sequences 1..head, and every command in it once, where its desk was told.
    TestStation reader;
    reader.connect(server.port());
    QVERIFY2(reader.hello(u"R"_s, v1::ROLE_RECEPTIONIST), qPrintable(reader.lastError()));
    const quint64 expectedHead = kReactionTypes.size() * kCommands;
    quint64 head = 0;
    qint64 stableSince = msNow();
    const bool settled = pollUntil(
        [&] {
            const auto batch = reader.fetchEvents(0, 1);
            const quint64 now = batch ? batch->head_sequence() : 0;
            stableSince = now == head ? stableSince : msNow();
            head = now;
            return head >= expectedHead && msNow() - stableSince >= 1000;
        },
        30000, 200);
    if (!settled) // what is missing or extra is told below
        qWarning("the log's head stays at %llu (%llu events expected)", head, expectedHead);
    const EventLogRead log = reader.fetchAllEvents(5000, 30s);
    QVERIFY2(log.ok, qPrintable(reader.lastError()));
    QVERIFY2(checkLogShape(log.events, log.head).isEmpty(), qPrintable(checkLogShape(log.events, log.head)));
    QVERIFY2(checkEventMetadata(log.events).isEmpty(), qPrintable(checkEventMetadata(log.events)));
    std::unordered_map<std::string, std::vector<quint64>> causedBy; // command or event id -> sequences
    std::unordered_map<std::string, std::array<int, kReactionTypes.size()>> perVisit;
    for (const v1::Event &e : log.events) {
        causedBy[e.causation_id()].push_back(e.sequence());
        for (std::size_t t = 0; t < kReactionTypes.size(); ++t)
            perVisit[e.visit_id()][t] += e.type() == kReactionTypes[t] ? 1 : 0;
    }

    // Each command: one outcome at its desk however often it was answered, Applied, at the sequences of its one
    // ReceptionRegistered; its visit's saga ran once.
    std::map<QString, int> tally; // what is wrong -> how many commands
    QStringList examples;
    for (const auto &desk : desks) {
        for (const Command &c : desk->commands()) {
            const std::vector<quint64> &seqs = causedBy[idText(c.id).toStdString()];
            const v1::Event *first = seqs.empty() ? nullptr : &log.events[seqs.front() - 1];
            const std::array<int, 3> counts = perVisit[idText(c.visit).toStdString()];
            const Answer told = c.answers.empty() ? Answer{} : c.answers.front();
            QStringList wrong;
            if (c.answers.empty())
                wrong << u"no outcome at its desk"_s;
            else if (!told.applied || told.sequences.size() != 1)
                wrong << u"not Applied"_s;
            if (std::any_of(c.answers.begin(), c.answers.end(), [&](const Answer &a) { return a != told; }))
                wrong << u"two different outcomes"_s;
            if (seqs.empty())
                wrong << u"lost: not in the log"_s;
            else if (seqs.size() > 1)
                wrong << u"applied twice: several events caused by it"_s;
            if (first && (first->type() != kReactionTypes[0] || first->visit_id() != idText(c.visit).toStdString() ||
                          (!c.answers.empty() && seqs != told.sequences)))
                wrong << u"not where its desk was told"_s;
            if (counts != std::array<int, 3>{1, 1, 1})
                wrong << u"its visit's saga did not run exactly once"_s;
            for (const QString &w : wrong)
                ++tally[w];
            if (!wrong.isEmpty() && examples.size() < 20)
                examples << u"desk %1, command %2, visit %3: %4 (told %5; caused events at %6; the visit has %7/%8/%9 "
                            u"ReceptionRegistered/DiagnosisRegistered/TreatmentStarted)"_s
                                .arg(desk->code(), idText(c.id), idText(c.visit), wrong.join(u", "_s),
                                     c.answers.empty() ? u"nothing"_s : told.describe(), listed(seqs))
                                .arg(counts[0])
                                .arg(counts[1])
                                .arg(counts[2]);
        }
    }
    QStringList summary;
    for (const auto &[what, n] : tally)
        summary << u"%1 commands %2"_s.arg(n).arg(what);
    QVERIFY2(tally.empty(), qPrintable(summary.join(u'\n') + u"\n"_s + examples.join(u'\n')));
    QCOMPARE(countEvents(log.events, kReactionTypes[0]), kCommands);
    QCOMPARE(log.head, expectedHead);
    QVERIFY2(server.terminate(), qPrintable(server.errorString()));
}

QTEST_GUILESS_MAIN(TestKillUnderLoad)
#include "TestKillUnderLoad.moc"
