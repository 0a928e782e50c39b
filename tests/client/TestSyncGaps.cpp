// Gap repair of the sync engine against the real clinicflow-server: live events dropped before the ordering buffer
// (the test-only hook stands in for a PUB at its high-water mark) are fetched again, so the delivered stream is
// exactly 1..head; with PUB entirely silent the heads in heartbeats and answers still bring everything; and three
// engines with different losses watching ~50 patient journeys end with the same stream as the server's log, and
// replicas built from those streams have equal state hashes.
#include "SyncRecorder.h"
#include "TestCommands.h"
#include "domain/Ids.h"
#include "store/LocalStore.h"

#include <QCryptographicHash>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <memory>
#include <random>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace clinicflow;
using namespace clinicflow::testsupport;
using client::ConnectionState;
using client::SyncEngine;

class TestSyncGaps : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void droppedLiveEventsAreFetched();
    void silentPubStillDeliversEverything();
    void liveEventsDuringCatchUpAreMerged();
    void threeEnginesAgreeOnJourneys();

private:
    // Sends the commands from one station at once, then expects each applied.
    void applyAll(TestStation &station, const std::vector<domain::Command> &commands);
    // Waits until every visit has an event of this type in the log.
    void waitForEach(const std::vector<QUuid> &visits, const char *type);
    void playJourneys(int count);
    void expectLogDelivered(const QList<SyncRecorder *> &recorders, int timeoutMs = 20000);

    ServerProcess m_server;
    TestStation m_desk;
    TestStation m_doctor;
    TestStation m_examiner;
};

namespace {

// Drops live events by a rule, counting them; called on the engine's thread only.
struct Dropper
{
    std::shared_ptr<std::atomic<int>> dropped = std::make_shared<std::atomic<int>>(0);
    std::function<bool(quint64)> hook(std::function<bool(quint64)> rule) const
    {
        return [counter = dropped, rule = std::move(rule)](quint64 sequence) {
            const bool drop = rule(sequence);
            if (drop)
                counter->fetch_add(1);
            return drop;
        };
    }
};

} // namespace

void TestSyncGaps::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    for (TestStation *s : {&m_desk, &m_doctor, &m_examiner})
        s->connect(m_server.port());
    QVERIFY2(m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
    QVERIFY2(m_doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(m_doctor.lastError()));
    QVERIFY2(m_examiner.hello(u"LAB1"_s, v1::ROLE_EXAMINER), qPrintable(m_examiner.lastError()));
}

void TestSyncGaps::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server.logTail(30);
}

void TestSyncGaps::applyAll(TestStation &station, const std::vector<domain::Command> &commands)
{
    std::vector<QUuid> ids;
    for (const domain::Command &c : commands)
        ids.push_back(station.submit(c));
    for (const QUuid &id : ids) {
        const Outcome outcome = station.waitOutcome(id, 20s);
        QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    }
}

void TestSyncGaps::waitForEach(const std::vector<QUuid> &visits, const char *type)
{
    QSet<QString> seen;
    const auto allSeen = [&] {
        const EventLogRead log = m_desk.fetchAllEvents();
        seen.clear();
        for (const v1::Event &e : log.events) {
            if (e.type() == type)
                seen.insert(QString::fromStdString(e.visit_id()));
        }
        return std::all_of(visits.begin(), visits.end(), [&](const QUuid &v) { return seen.contains(idText(v)); });
    };
    QTRY_VERIFY2_WITH_TIMEOUT(
        allSeen(),
        qPrintable(u"%1 of %2 visits have %3"_s.arg(seen.size()).arg(visits.size()).arg(QString::fromLatin1(type))),
        20000);
}

void TestSyncGaps::playJourneys(int count)
{
    // Visit i: every tenth cancelled at the desk; the rest examined (every tenth examination cancelled instead),
    // reviewed, then completed or (two in ten) refused, and closed at the desk.
    std::vector<QUuid> visits, treated, exams;
    std::vector<domain::Command> commands;
    for (int i = 0; i < count; ++i) {
        auto r = registerVisit(u"IM"_s, u"dr.kim"_s); // the doctor station acts for dr.kim, on dr.kim's patients
        visits.push_back(r.receptionId);
        commands.push_back(r);
    }
    applyAll(m_desk, commands);
    waitForEach(visits, "TreatmentStarted");

    std::vector<domain::Command> cancels, prescriptions, examinations, reviews, outcomes, confirmations;
    for (int i = 0; i < count; ++i) {
        if (i % 10 == 0) {
            cancels.push_back(cancelVisit(visits[std::size_t(i)]));
            continue;
        }
        treated.push_back(visits[std::size_t(i)]);
        exams.push_back(domain::newId());
        prescriptions.push_back(prescribe(treated.back(), u"BLOOD"_s, exams.back()));
        examinations.push_back(i % 10 == 5 ? domain::Command(cancelExamination(exams.back()))
                                           : domain::Command(performExamination(exams.back())));
        reviews.push_back(reviewResults(treated.back()));
        outcomes.push_back(i % 10 >= 8 ? domain::Command(refuseTreatment(treated.back()))
                                       : domain::Command(completeTreatment(treated.back())));
        confirmations.push_back(confirmOutcome(treated.back()));
    }
    applyAll(m_desk, cancels);
    applyAll(m_doctor, prescriptions);
    waitForEach(treated, "ExaminationRequested");
    applyAll(m_examiner, examinations);
    waitForEach(treated, "ResultsReady");
    applyAll(m_doctor, reviews);
    applyAll(m_doctor, outcomes);
    waitForEach(treated, "OutcomeRecorded");
    applyAll(m_desk, confirmations);
}

void TestSyncGaps::expectLogDelivered(const QList<SyncRecorder *> &recorders, int timeoutMs)
{
    const quint64 head = waitForQuietHead(m_desk);
    const EventLogRead log = m_desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(m_desk.lastError()));
    QCOMPARE(quint64(log.events.size()), head);
    const QByteArray expected = logHash(log.events);
    for (SyncRecorder *r : recorders) {
        QTRY_VERIFY2_WITH_TIMEOUT(r->lastSequence == head, qPrintable(r->describe()), timeoutMs);
        QVERIFY2(r->violations.isEmpty(), qPrintable(r->describe()));
        QCOMPARE(r->events.size(), qsizetype(head));
        QCOMPARE(r->streamHash(), expected);
        QVERIFY2(r->errors.isEmpty(), qPrintable(r->errors.join(u"; "_s)));
    }
}

void TestSyncGaps::droppedLiveEventsAreFetched()
{
    Dropper dropper;
    client::SyncSettings settings = syncSettings(m_server, u"DOC2"_s, domain::Role::Doctor);
    settings.testOnlyDropLiveEvent = dropper.hook([](quint64 sequence) { return sequence % 3 == 0; });
    SyncEngine engine(settings);
    SyncRecorder recorder(engine);
    engine.start(0, {});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 10000);

    std::vector<domain::Command> visits;
    for (int i = 0; i < 20; ++i)
        visits.push_back(registerVisit());
    applyAll(m_desk, visits);
    expectLogDelivered({&recorder});
    QVERIFY2(dropper.dropped->load() >= 15, qPrintable(u"dropped %1"_s.arg(dropper.dropped->load())));
}

void TestSyncGaps::silentPubStillDeliversEverything()
{
    Dropper dropper;
    client::SyncSettings settings = syncSettings(m_server, u"DOC3"_s, domain::Role::Doctor);
    settings.testOnlyDropLiveEvent = dropper.hook([](quint64) { return true; });
    SyncEngine engine(settings);
    SyncRecorder recorder(engine);
    engine.start(0, {});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.state, ConnectionState::Online, 10000);

    std::vector<domain::Command> visits;
    for (int i = 0; i < 5; ++i)
        visits.push_back(registerVisit());
    applyAll(m_desk, visits);
    // The heartbeat (every 2 s) or a Pong names the head: no more than a few seconds behind.
    expectLogDelivered({&recorder}, 6000);
    QVERIFY2(dropper.dropped->load() >= 15, qPrintable(u"dropped %1"_s.arg(dropper.dropped->load())));
}

void TestSyncGaps::liveEventsDuringCatchUpAreMerged()
{
    // Small pages one at a time make the catch-up last while the desk's visits are published live.
    client::SyncSettings settings = syncSettings(m_server, u"DOC5"_s, domain::Role::Doctor);
    settings.fetchPageLimit = 64;
    settings.fetchesInFlight = 1;
    SyncEngine engine(settings);
    SyncRecorder recorder(engine);
    std::vector<QUuid> ids;
    for (int i = 0; i < 30; ++i)
        ids.push_back(m_desk.submit(registerVisit()));
    engine.start(0, {});
    for (const QUuid &id : ids) {
        const Outcome outcome = m_desk.waitOutcome(id, 20s);
        QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    }
    expectLogDelivered({&recorder});
}

void TestSyncGaps::threeEnginesAgreeOnJourneys()
{
    Dropper seventh, random;
    std::vector<std::unique_ptr<SyncEngine>> engines;
    const struct
    {
        const char *station;
        domain::Role role;
        std::function<bool(quint64)> hook;
    } setups[] = {
        {"DOC4", domain::Role::Doctor, {}},
        {"LAB4", domain::Role::Examiner, seventh.hook([](quint64 s) { return s % 7 == 0; })},
        {"BRD4", domain::Role::Board,
         random.hook([rng = std::make_shared<std::minstd_rand>(20240611)](quint64) { return (*rng)() % 5 == 0; })},
    };
    QList<SyncRecorder *> recorders;
    std::vector<std::unique_ptr<SyncRecorder>> owned;
    for (const auto &setup : setups) {
        client::SyncSettings settings = syncSettings(m_server, QString::fromLatin1(setup.station), setup.role);
        settings.testOnlyDropLiveEvent = setup.hook;
        engines.push_back(std::make_unique<SyncEngine>(settings));
        owned.push_back(std::make_unique<SyncRecorder>(*engines.back()));
        recorders << owned.back().get();
        engines.back()->start(0, {});
    }
    for (SyncRecorder *r : recorders)
        QTRY_COMPARE_WITH_TIMEOUT(r->state, ConnectionState::Online, 10000);

    playJourneys(50);
    if (QTest::currentTestFailed())
        return;
    expectLogDelivered(recorders);
    QVERIFY(seventh.dropped->load() > 0 && random.dropped->load() > 0);
    qInfo("delivered %lld events; dropped live: %d and %d", recorders.front()->events.size(), seventh.dropped->load(),
          random.dropped->load());

    // Each station's replica, built from what its engine delivered, is the same state.
    const SnapshotRead view = m_desk.fetchSnapshot();
    QVERIFY2(view.ok, qPrintable(m_desk.lastError()));
    QTemporaryDir dir;
    QByteArrayList hashes;
    for (int i = 0; i < recorders.size(); ++i) {
        auto store = client::LocalStore::open(dir.filePath(u"station-%1.sqlite"_s.arg(i)));
        QVERIFY(store);
        const QList<domain::Event> &events = recorders.at(i)->events;
        for (qsizetype from = 0; from < events.size(); from += 1000) {
            auto applied = store.value()->applyEvents(events.mid(from, 1000));
            QVERIFY(applied);
        }
        QCOMPARE(store.value()->lastSequence(), quint64(events.size()));
        QCOMPARE(std::size_t(store.value()->visitIds().size()), view.visits.size());
        hashes << store.value()->stateHash();
    }
    QCOMPARE(hashes.at(1), hashes.at(0));
    QCOMPARE(hashes.at(2), hashes.at(0));
}

QTEST_GUILESS_MAIN(TestSyncGaps)
#include "TestSyncGaps.moc"
