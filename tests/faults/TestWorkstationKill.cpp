// kill -9 of a workstation during 1,000 offline writes (issue #14, fault test 2): every write the station committed
// locally reaches the server exactly once. The station is the real workstation core (store and sync engine, as the
// app assembles them) in a child process of this binary (StationProcess), on one SQLite file over five lives:
//   0. online once, as an installed desk is: it learns the server and its roster, and writes nothing;
//   A. the server stopped: it registers visits, printing each one only after its local commit returned, and is
//      killed with SIGKILL at a random moment after a few hundred;
//   B. still offline, it writes the rest, up to 1,000 in its outbox; the server comes back on the same ports and
//      data, the engine finds it by itself and sends the outbox; killed with SIGKILL once it recorded some answers;
//   C. it sends again what it does not know the fate of; killed with SIGKILL again while it learns it;
//   D. it drains to the end: the outbox answered, the station online and caught up.
// Each sync life is killed at a moment when it has recorded answers, has commands unanswered, and the server applied
// some of those (frozen with SIGSTOP to look, let go again otherwise): commands in flight when it dies. The station's
// share of the gateway (--station-rate) is smaller than the outbox, so the engine sends it at the pace the server
// allows over seconds, and each kill also finds commands the server has not taken yet, however fast the machine.
// Then the server is the truth: each reported write is in the outbox once and was applied once (one
// ReceptionRegistered, at the sequence the station recorded; one decision in the audit trail), nothing else was,
// each visit's saga ran once, the log is 1..head, and the station's rows are the server's status view.
// CLINICFLOW_KILL_SEED=<n> repeats a run's kill points (the seed is printed).
#include "ServerProcess.h"
#include "StationProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "domain/Ids.h"
#include "store/LocalStore.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <array>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::testsupport;
using client::OutboxState;

namespace {

constexpr int kWrites = 1000;
// The station's share of the gateway: requests per second, a burst of ten seconds' worth, and as many commands taken
// and unanswered. 600 of the 1,000 go at once, the rest at 60 a second (the engine waits as the server tells it).
constexpr int kStationRate = 60;
// Life A is killed after this many reported writes (at random in the range); life B once it recorded this many
// answers, well within the first burst; life C once it recorded answers for some of the commands life B left in
// flight (at random, up to half of them), which it sends first.
constexpr int kKillWritesMin = 300;
constexpr int kKillWritesMax = 700;
constexpr int kKillAnsweredBMin = 1;
constexpr int kKillAnsweredBMax = 10 * kStationRate / 2;
constexpr std::array kSagaTypes{"ReceptionRegistered", "DiagnosisRegistered", "TreatmentStarted"};
const QString kStation = u"K"_s;

struct Committed
{
    QUuid commandId;
    QUuid visitId;
};

// What a life printed as committed: "<command id> <visit id>" once its local commit returned.
QList<Committed> committed(const StationProcess &life)
{
    QList<Committed> all;
    for (const QString &line : life.registered()) {
        const QStringList ids = line.split(u' ');
        all.append({idFromString(ids.value(0)), idFromString(ids.value(1))});
    }
    return all;
}

// The last "<prefix> <value>" line of a life, or nothing.
QString lastValue(const StationProcess &life, const QString &prefix)
{
    for (qsizetype i = life.lines().size() - 1; i >= 0; --i) {
        if (life.lines()[i].text.startsWith(prefix))
            return life.lines()[i].text.mid(prefix.size());
    }
    return {};
}

int pendingOf(const StationProcess &life)
{
    const QString pending = lastValue(life, u"pending "_s);
    return pending.isEmpty() ? -1 : pending.toInt();
}

bool isOnline(const StationProcess &life)
{
    return lastValue(life, u"state "_s) == u"Online"_s;
}

// The outbox as the file holds it now, read without writing: the station may be frozen mid-transaction, and WAL lets
// a reader see its last commit.
struct OutboxRow
{
    QUuid commandId;
    QUuid visitId;
    QString state; // pending, queued, applied, rejected
    bool answered() const { return state == u"applied"_s || state == u"rejected"_s; }
};

QList<OutboxRow> outboxRows(const QString &path)
{
    QList<OutboxRow> rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"outbox-reader"_s);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"SELECT command_id, visit_id, state FROM outbox ORDER BY position"_s)) {
                while (q.next())
                    rows.append({idFromString(q.value(0).toString()), idFromString(q.value(1).toString()),
                                 q.value(2).toString()});
            }
        }
    }
    QSqlDatabase::removeDatabase(u"outbox-reader"_s);
    return rows;
}

} // namespace

class TestWorkstationKill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void everyLocalWriteReachesTheServerOnce();

private:
    bool start(StationProcess &life)
    {
        return life.start({}, m_storePath, m_server.enrolmentPath(kStation), u"127.0.0.1"_s, m_server.port(),
                          m_server.pubPort());
    }
    TestStation &probe();
    // The station's commands as its file holds them, against what the server applied: by the status view (read over
    // HTTP, as often as needed; it may lag the log by a moment, so "applied" is never overstated), or by the log
    // itself (read by a station, which has a share of the gateway of its own to keep to).
    struct Look
    {
        int answered = 0;       // recorded Applied or Rejected by the station
        int queued = 0;         // of appliedUnknown: the station was told the server took it
        int appliedUnknown = 0; // unanswered at the station, applied by the server
        int notApplied = 0;     // not (yet) applied by the server
        int applied = 0;        // applied by the server
        int rows = 0;           // in the outbox
        QString error;          // the server could not be read
        QString describe() const;
    };
    enum class Source
    {
        View,
        Log,
    };
    Look look(Source source = Source::View);
    // Kills a syncing life with SIGKILL once it recorded `answered` answers and the server applied `applied` of the
    // commands, at a moment when the station has recorded answers in this life, has commands unanswered, and the
    // server applied at least one of those (a command in flight when it dies). Returns the look after the kill.
    Look killMidSync(StationProcess &life, const char *name, int answered, int applied);

    ServerProcess m_server;
    QTemporaryDir m_dir;
    QString m_storePath;
    std::unique_ptr<TestStation> m_probe;
    QSet<QUuid> m_visitsInView; // visit ids the status view has shown
    qint64 m_viewAfter = 0;     // its change feed's cursor
    QElapsedTimer m_clock;
};

void TestWorkstationKill::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server.logTail(30);
}

TestStation &TestWorkstationKill::probe()
{
    if (!m_probe) {
        m_probe = std::make_unique<TestStation>();
        m_probe->connect(m_server.port());
        if (!m_probe->hello(u"OPS"_s, v1::ROLE_BOARD))
            qWarning().noquote() << "the probe's Hello:" << m_probe->lastError();
    }
    return *m_probe;
}

QString TestWorkstationKill::Look::describe() const
{
    return u"%1 answered at the station, %2 more applied by the server without the station knowing (%3 of them "
           u"Queued at the station), %4 not applied yet"_s.arg(answered)
               .arg(appliedUnknown)
               .arg(queued)
               .arg(notApplied);
}

TestWorkstationKill::Look TestWorkstationKill::look(Source source)
{
    Look seen;
    QSet<QUuid> appliedCommands;
    if (source == Source::Log) {
        const EventLogRead log = probe().fetchAllEvents(5000, 20s);
        if (!log.ok) {
            seen.error = u"the server's log cannot be read: "_s + probe().lastError();
            return seen;
        }
        for (const v1::Event &e : log.events)
            appliedCommands.insert(idOf(e.causation_id()));
    } else {
        for (;;) { // the view's change feed since the last read
            const HttpResult page = m_server.httpGet(u"/visits?limit=1000&after=%1"_s.arg(m_viewAfter));
            if (page.status != 200) {
                seen.error = u"GET /visits: %1 %2"_s.arg(page.status).arg(QString::fromUtf8(page.body.left(300)));
                return seen;
            }
            for (const QJsonValue &value : page.object().value(u"visits"_s).toArray()) {
                const QJsonObject row = value.toObject();
                m_visitsInView.insert(idFromString(row.value(u"visitId"_s).toString()));
                m_viewAfter = std::max(m_viewAfter, row.value(u"lastSequence"_s).toInteger());
            }
            if (page.object().value(u"nextAfter"_s).isNull())
                break;
        }
    }
    for (const OutboxRow &row : outboxRows(m_storePath)) {
        const bool applied =
            source == Source::Log ? appliedCommands.contains(row.commandId) : m_visitsInView.contains(row.visitId);
        seen.answered += row.answered() ? 1 : 0;
        seen.queued += row.state == u"queued"_s && applied ? 1 : 0;
        seen.appliedUnknown += !row.answered() && applied ? 1 : 0;
        seen.notApplied += applied ? 0 : 1;
        seen.applied += applied ? 1 : 0;
        ++seen.rows;
    }
    return seen;
}

TestWorkstationKill::Look TestWorkstationKill::killMidSync(StationProcess &life, const char *name, int answered,
                                                           int applied)
{
    const auto fail = [&](const QString &what) {
        QTest::qFail(
            qPrintable(
                u"life %1: %2 (its pending count %3)"_s.arg(QString::fromLatin1(name), what).arg(pendingOf(life))),
            __FILE__, __LINE__);
        return Look{};
    };
    const Look before = look();
    if (!before.error.isEmpty())
        return fail(before.error);
    const int unansweredBefore = kWrites - before.answered;
    const qint64 startedAt = m_clock.elapsed();
    // The station's own count while it runs; the server only once that is reached.
    if (!pollUntil([&] { return pendingOf(life) >= 0 && pendingOf(life) <= unansweredBefore - answered; }, 30000, 10))
        return fail(u"it did not record %1 answers"_s.arg(answered));
    if (!pollUntil([&] { return look().applied >= applied; }, 30000, 10))
        return fail(u"the server did not apply %1 of its commands"_s.arg(applied));
    for (int looks = 1; looks <= 200; ++looks) {
        if (!life.freeze())
            return fail(u"SIGSTOP failed"_s);
        Look now = look();
        if (!now.error.isEmpty())
            return fail(now.error);
        if (now.rows != kWrites)
            return fail(u"its outbox does not hold the %1 commands"_s.arg(kWrites));
        if (now.answered == kWrites)
            return fail(u"it drained its outbox before it was killed: nothing tested"_s);
        // What it sent just before it froze is applied while it cannot read the answers, and shows in the server's
        // view a moment later: a second look, still frozen, catches such a command (the answers come in bursts
        // between the gateway's RATE_LIMITED pauses, so a look at a random moment often sees none in flight).
        if (now.answered > before.answered && now.appliedUnknown == 0) {
            QTest::qWait(50);
            now = look();
            if (!now.error.isEmpty())
                return fail(now.error);
        }
        if (now.answered > before.answered && now.appliedUnknown > 0) {
            if (!life.kill())
                return fail(u"SIGKILL failed"_s);
            const Look after = look(Source::Log);
            qInfo("life %s killed with SIGKILL %.2f s into its sync (%d looks; targets: %d answers, %d applied): %s",
                  name, (m_clock.elapsed() - startedAt) / 1000.0, looks, answered, applied,
                  qPrintable(after.describe()));
            return after;
        }
        life.thaw();
        QTest::qWait(10);
    }
    return fail(u"never saw a command in flight"_s);
}

void TestWorkstationKill::everyLocalWriteReachesTheServerOnce()
{
    const QString seedText = qEnvironmentVariable("CLINICFLOW_KILL_SEED");
    const quint32 seed = seedText.isEmpty() ? QRandomGenerator::system()->generate() : seedText.toUInt();
    qInfo("kill point seed %u (CLINICFLOW_KILL_SEED=%u repeats it)", seed, seed);
    QRandomGenerator random(seed);
    m_clock.start();

    QVERIFY2(m_server.start({u"--station-rate"_s, QString::number(kStationRate)}), qPrintable(m_server.errorString()));
    QVERIFY(m_server.enrol(kStation, Role::Receptionist));
    m_storePath = m_dir.filePath(u"desk-k.sqlite"_s);

    // Life 0: the desk is installed and syncs once (its server id and roster), then the server goes away.
    {
        StationProcess life;
        QVERIFY(start(life));
        QVERIFY2(pollUntil([&] { return isOnline(life); }, 20000), "life 0 never came online");
        QVERIFY(life.quit());
    }
    QVERIFY2(m_server.terminate(), qPrintable(m_server.errorString()));

    // Life A, offline: killed at random during its writes.
    QList<Committed> reported;
    const int killAfterWrites = random.bounded(kKillWritesMin, kKillWritesMax + 1);
    {
        StationProcess life;
        QVERIFY(start(life));
        life.send(u"register %1"_s.arg(kWrites));
        QVERIFY2(pollUntil([&] { return life.registered().size() >= killAfterWrites; }, 30000, 5),
                 qPrintable(u"life A reported %1 writes"_s.arg(life.registered().size())));
        QVERIFY(life.kill());
        reported = committed(life);
        QVERIFY2(reported.size() < kWrites, "life A wrote everything before it was killed: nothing tested");
        qInfo("life A killed with SIGKILL after %lld reported writes (target %d) at %.1f s", qint64(reported.size()),
              killAfterWrites, m_clock.elapsed() / 1000.0);
    }
    int stored = 0;
    {
        // What the next life opens: every reported write in the outbox once, unsent; at most one more committed
        // before its line could be printed.
        auto store = client::LocalStore::open(m_storePath);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message()));
        const auto outbox = store.value()->outbox();
        QHash<QUuid, int> seen;
        for (const auto &entry : outbox) {
            ++seen[entry.commandId];
            QCOMPARE(entry.state, OutboxState::Pending);
        }
        for (const Committed &c : std::as_const(reported)) {
            QCOMPARE(seen.value(c.commandId), 1);
            QVERIFY(store.value()->visit(c.visitId));
        }
        QVERIFY2(outbox.size() >= reported.size() && outbox.size() <= reported.size() + 1,
                 qPrintable(u"%1 in the outbox, %2 reported"_s.arg(outbox.size()).arg(reported.size())));
        QCOMPARE(store.value()->pendingCount(), int(outbox.size()));
        stored = int(outbox.size());
    }

    // Life B: writes the rest while still offline; the server comes back on the same ports and data, the engine
    // finds it by itself and sends the outbox; killed while the server has applied part of it.
    Look killedB;
    {
        StationProcess life;
        QVERIFY(start(life));
        life.send(u"register %1"_s.arg(kWrites - stored));
        QVERIFY2(pollUntil([&] { return life.registered().size() == kWrites - stored; }, 30000),
                 qPrintable(u"life B reported %1 of %2 writes"_s.arg(life.registered().size()).arg(kWrites - stored)));
        reported += committed(life);
        QVERIFY2(!isOnline(life), "online while the server is stopped");
        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
        killedB = killMidSync(life, "B", random.bounded(kKillAnsweredBMin, kKillAnsweredBMax + 1), 1);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(killedB.appliedUnknown > 0 && killedB.notApplied > 0, qPrintable(killedB.describe()));
    }

    // Life C: sends again what it does not know the fate of, then the rest; killed again while it learns the fate
    // of what life B left in flight.
    {
        StationProcess life;
        QVERIFY(start(life));
        const Look killed = killMidSync(life, "C", random.bounded(1, killedB.appliedUnknown / 2 + 2), 1);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(life.registered().size(), 0); // nothing new: only what the earlier lives left
        QVERIFY2(killed.appliedUnknown > 0 && killed.notApplied > 0, qPrintable(killed.describe()));
    }

    // Life D: drains to the end and catches up with the saga's reactions; its rows are the server's view.
    {
        StationProcess life;
        QVERIFY(start(life));
        const quint64 head = kSagaTypes.size() * kWrites;
        QVERIFY2(life.waitForStatus(0, head, 60000),
                 qPrintable(u"life D: pending %1, state %2"_s.arg(pendingOf(life)).arg(lastValue(life, u"state "_s))));
        QVERIFY2(pollUntil([&] { return isOnline(life); }, 10000), "life D is not online");
        QCOMPARE(life.registered().size(), 0);
        qInfo("life D drained its outbox and caught up at %.1f s", m_clock.elapsed() / 1000.0);
        const QString differences = life.quitAndCompareWithServer(m_server, probe());
        QVERIFY2(differences.isEmpty(), qPrintable(differences));
    }

    // The station's file: the outbox is exactly the reported writes (and at most the one that life A's kill cut off
    // before its line), each once, each answered Applied.
    auto opened = client::LocalStore::open(m_storePath);
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message()));
    const client::LocalStore &store = *opened.value();
    QCOMPARE(store.pendingCount(), 0);
    const auto outbox = store.outbox();
    QCOMPARE(outbox.size(), kWrites);
    QHash<QUuid, const client::OutboxRecord *> byCommand;
    for (const auto &entry : outbox)
        byCommand.insert(entry.commandId, &entry);
    QCOMPARE(byCommand.size(), kWrites);
    for (const Committed &c : std::as_const(reported)) {
        const client::OutboxRecord *entry = byCommand.value(c.commandId);
        QVERIFY2(entry, qPrintable(u"command %1 was reported committed, then lost"_s.arg(idString(c.commandId))));
        QCOMPARE(entry->visitId, c.visitId);
    }
    QVERIFY2(reported.size() >= kWrites - 1, qPrintable(u"%1 reported"_s.arg(reported.size())));

    // The server's log: 1..head, each write applied once where the station was told, each saga run once.
    const EventLogRead log = probe().fetchAllEvents(5000, 20s);
    QVERIFY2(log.ok, qPrintable(probe().lastError()));
    QVERIFY2(checkLogShape(log.events, log.head).isEmpty(), qPrintable(checkLogShape(log.events, log.head)));
    QVERIFY2(checkEventMetadata(log.events).isEmpty(), qPrintable(checkEventMetadata(log.events)));
    QCOMPARE(log.head, quint64(kSagaTypes.size() * kWrites));
    QCOMPARE(store.lastSequence(), log.head);
    QCOMPARE(countEvents(log.events, kSagaTypes[0]), kWrites);
    QHash<QUuid, QList<quint64>> caused; // command (or event) id -> the sequences of what it caused
    for (const v1::Event &e : log.events)
        caused[idOf(e.causation_id())].append(e.sequence());
    const QStringList saga{QString::fromLatin1(kSagaTypes[0]), QString::fromLatin1(kSagaTypes[1]),
                           QString::fromLatin1(kSagaTypes[2])};
    for (const auto &entry : outbox) {
        const QString what = u"command %1 (visit %2)"_s.arg(idString(entry.commandId), idString(entry.visitId));
        QVERIFY2(entry.state == OutboxState::Applied, qPrintable(what + u" is "_s + outboxStateName(entry.state)));
        const QList<quint64> sequences = caused.value(entry.commandId);
        QVERIFY2(sequences.size() == 1, qPrintable(what + u" caused %1 events"_s.arg(sequences.size())));
        const v1::Event &event = log.events[std::size_t(sequences.front() - 1)];
        QVERIFY2(event.type() == kSagaTypes[0] && idOf(event.visit_id()) == entry.visitId, qPrintable(what));
        QVERIFY2(entry.sequences == sequences, qPrintable(what + u": the station recorded other sequences"_s));
        QVERIFY2(typesOf(log.events, entry.visitId) == saga,
                 qPrintable(what + u": "_s + typesOf(log.events, entry.visitId).join(u", "_s)));
    }

    // The audit trail: one decision per command, Applied.
    QHash<QUuid, QStringList> decisions;
    for (qint64 after = 0;;) {
        const HttpResult page = m_server.httpGet(u"/audit?station=%1&limit=1000&after=%2"_s.arg(kStation).arg(after));
        QVERIFY2(page.status == 200, page.body.constData());
        for (const QJsonValue &value : page.object().value(u"entries"_s).toArray()) {
            const QJsonObject entry = value.toObject();
            const QString result = entry.value(u"result"_s).toString();
            if (result == u"applied"_s || result == u"rejected"_s)
                decisions[idFromString(entry.value(u"commandId"_s).toString())].append(result);
        }
        const QJsonValue next = page.object().value(u"nextAfter"_s);
        if (next.isNull())
            break;
        after = next.toInteger();
    }
    QCOMPARE(decisions.size(), kWrites);
    for (const auto &entry : outbox)
        QCOMPARE(decisions.value(entry.commandId), QStringList{u"applied"_s});

    // The station's share was at work: the engine waited as it was told (since the server's restart at life B).
    const HttpResult metrics = m_server.httpGet(u"/metrics"_s);
    QCOMPARE(metrics.status, 200);
    static const QRegularExpression limited(uR"re(^clinicflow_gateway_limited_total\{limit="(\w+)"\} (\d+))re"_s,
                                            QRegularExpression::MultilineOption);
    QStringList refusals;
    for (const auto &match : limited.globalMatch(QString::fromUtf8(metrics.body)))
        refusals << match.captured(2) + u' ' + match.captured(1);
    qInfo("%d writes applied once each; refused for a while (RATE_LIMITED): %s; %.1f s in all", kWrites,
          qPrintable(refusals.join(u", "_s)), m_clock.elapsed() / 1000.0);
    QVERIFY2(!refusals.isEmpty(), metrics.body.constData());
    QVERIFY2(m_server.terminate(), qPrintable(m_server.errorString()));
}

int main(int argc, char *argv[])
{
    if (argc > 1 && qstrcmp(argv[1], "--station-child") == 0)
        return runStationChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestWorkstationKill test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "TestWorkstationKill.moc"
