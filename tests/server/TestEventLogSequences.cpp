// EventLog under concurrent writers (ARCHITECTURE §4, issue #14): global sequences are gap-free and never become
// visible out of order. Stations and consumers read "everything after my cursor": a reader that saw 7 before a
// slower transaction committed 6 would skip 6 forever, and a rolled-back 6 that left a hole would make a station
// wait for it forever. Writers on connections of their own, as modules in separate processes are; the same test
// runs on SQLite and on PostgreSQL (TestEventLogSequences.postgresql).
#include "TempDatabase.h"
#include "storage/ChangeFeed.h"
#include "storage/EventLog.h"

#include <QRandomGenerator>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QTest>
#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

namespace {

// A second connection that LISTENs, closed before the test's database is dropped.
struct ThrowawayListener
{
    explicit ThrowawayListener(std::unique_ptr<Database> opened)
        : db(std::move(opened))
    {
    }
    std::unique_ptr<Database> db;
};

} // namespace

class TestEventLogSequences : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void aRolledBackAppendLeavesNoGap();
    void aLargeAppendKeepsItsOrder();
    void aTypedReadStopsAtItsBound();
    void concurrentWritersNeverLetAReaderSkip();
    void changesAreToldOnceAfterTheCommit();
    void aProcessListensForWhatItsModulesActOnAndOthersMake();
    void newEventsWakeOnlyTheContextsThatReactToThem();
    void aTransactionAnErrorAbortedIsNotCommitted();

private:
    std::unique_ptr<TempDatabase> m_data;
};

void TestEventLogSequences::init()
{
    m_data = std::make_unique<TempDatabase>();
    QVERIFY2(m_data->open(), qPrintable(m_data->error()));
}

void TestEventLogSequences::aRolledBackAppendLeavesNoGap()
{
    EventLog log(m_data->db());
    {
        WriteTransaction tx(m_data->db());
        domain::Events undone = someEvents(3);
        QVERIFY(log.append(undone).ok());
        QCOMPARE(undone.front().sequence, 1ull);
        tx.rollback();
    }
    WriteTransaction tx(m_data->db());
    domain::Events kept = someEvents(2);
    QVERIFY(log.append(kept).ok());
    QVERIFY(tx.commit().ok());
    QCOMPARE(kept.front().sequence, 1ull);
    QCOMPARE(kept.back().sequence, 2ull);
    auto head = log.head();
    QVERIFY(head.ok());
    QCOMPARE(head.value(), 2ull);
}

// A worker's unit appends all its events at once, in statements of many rows on PostgreSQL (32, 8, 4 and 1): 77
// events take every size, and come back in the order given, numbered without a gap.
void TestEventLogSequences::aLargeAppendKeepsItsOrder()
{
    EventLog log(m_data->db());
    {
        WriteTransaction tx(m_data->db());
        domain::Events first = someEvents(2);
        QVERIFY(log.append(first).ok());
        QVERIFY(tx.commit().ok());
    }
    domain::Events many = someEvents(77);
    {
        WriteTransaction tx(m_data->db());
        QVERIFY(log.append(many).ok());
        QVERIFY(tx.commit().ok());
    }
    for (std::size_t i = 0; i < many.size(); ++i)
        QCOMPARE(many[i].sequence, 3ull + i);
    auto read = log.readAfter(2, 1000);
    QVERIFY(read.ok());
    QCOMPARE(read->size(), many.size());
    for (std::size_t i = 0; i < many.size(); ++i) {
        QCOMPARE(read->at(i).sequence, many[i].sequence);
        QCOMPARE(read->at(i).id, many[i].id);
    }
    QCOMPARE(log.head().value(), 79ull);
}

// A worker reads the types it reacts to between its cursor and a bound, and no further than the head read with them
// (in the same statement): nothing past either, and the head comes back even when no event is in the range.
void TestEventLogSequences::aTypedReadStopsAtItsBound()
{
    EventLog log(m_data->db());
    domain::Events events = someEvents(3);
    events.insert(events.begin() + 1, eventOf(domain::ReceptionCancelled{domain::newId(), u"left"_s}));
    WriteTransaction tx(m_data->db());
    QVERIFY(log.append(events).ok());
    QVERIFY(tx.commit().ok());
    const QStringList closed{u"VisitClosed"_s};
    auto upToThree = log.readAfter(0, 3, 10, closed);
    QVERIFY(upToThree.ok());
    QCOMPARE(upToThree->head, 4ull);
    QCOMPARE(upToThree->events.size(), std::size_t(2)); // 1 and 3; 2 is of another type, 4 past the bound
    QCOMPARE(upToThree->events.at(0).sequence, 1ull);
    QCOMPARE(upToThree->events.at(1).sequence, 3ull);
    auto rest = log.readAfter(3, 100, 10, closed); // a bound past the head: the head is the bound
    QVERIFY(rest.ok());
    QCOMPARE(rest->head, 4ull);
    QCOMPARE(rest->events.size(), std::size_t(1));
    QCOMPARE(rest->events.front().sequence, 4ull);
    auto none = log.readAfter(1, 2, 10, closed); // only 2, of another type
    QVERIFY(none.ok());
    QCOMPARE(none->head, 4ull);
    QVERIFY(none->events.empty());
    auto limited = log.readAfter(0, 100, 1, closed);
    QVERIFY(limited.ok());
    QCOMPARE(limited->events.size(), std::size_t(1));
    QCOMPARE(limited->events.front().sequence, 1ull);
    // What another connection appends and has not committed is neither read nor counted in the head.
    auto other = Database::open(m_data->settings(), u"uncommitted-writer"_s);
    QVERIFY2(other.ok(), qPrintable(other ? QString() : other.error().message()));
    if (m_data->isPostgres()) { // SQLite takes one writer at a time: a second one would wait for this read's end
        WriteTransaction pending(*other.value());
        EventLog otherLog(*other.value());
        domain::Events later = someEvents(2);
        QVERIFY(otherLog.append(later).ok());
        auto seen = log.readAfter(0, 100, 10, closed);
        QVERIFY(seen.ok());
        QCOMPARE(seen->head, 4ull);
        QCOMPARE(seen->events.size(), std::size_t(3));
        pending.rollback();
    }
}

// Three writers append batches of 1–3 events, each holding its transaction open for a random moment before it
// commits (one in eight rolls back); a reader follows the log the way a consumer does. Every read must continue
// exactly where the last one stopped, and at the end the reader has seen every committed event once. Every other
// transaction defers its writes as a worker's unit does: on PostgreSQL its reservation then travels with its COMMIT,
// and its events' sequences are set by the answer (EventLog::append).
void TestEventLogSequences::concurrentWritersNeverLetAReaderSkip()
{
    constexpr int kWriters = 3;
    constexpr int kTransactionsEach = 150;
    std::atomic<int> committedEvents{0};
    std::atomic<int> writersDone{0};
    std::atomic<int> failures{0};
    QStringList problems;
    std::mutex problemsMutex;
    const auto problem = [&](const QString &what) {
        std::lock_guard lock(problemsMutex);
        if (problems.size() < 10)
            problems.append(what);
    };

    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            auto db = Database::open(m_data->settings(), u"writer-%1"_s.arg(w));
            if (!db) {
                problem(db.error().message());
                ++failures;
                ++writersDone;
                return;
            }
            EventLog log(*db.value());
            QRandomGenerator random(quint32(w + 1));
            for (int t = 0; t < kTransactionsEach; ++t) {
                WriteTransaction tx(*db.value());
                if (!tx.isActive()) {
                    problem(tx.beginError().message());
                    ++failures;
                    continue;
                }
                domain::Events events = someEvents(1 + int(random.bounded(3)));
                if (t % 2 == 1)
                    db.value()->startDeferring();
                auto appended = log.append(events);
                db.value()->finishDeferring();
                if (!appended) {
                    problem(appended.error().message());
                    ++failures;
                    continue;
                }
                std::this_thread::sleep_for(std::chrono::microseconds(random.bounded(2000)));
                if (random.bounded(8) == 0) {
                    tx.rollback();
                    continue;
                }
                if (auto done = tx.commit(); !done) {
                    problem(done.error().message());
                    ++failures;
                    continue;
                }
                if (events.front().sequence == 0 ||
                    events.back().sequence != events.front().sequence + events.size() - 1)
                    problem(u"writer %1 committed events numbered %2 to %3"_s.arg(w)
                                .arg(events.front().sequence)
                                .arg(events.back().sequence));
                committedEvents += int(events.size());
            }
            ++writersDone;
        });
    }

    auto readerDb = Database::open(m_data->settings(), u"reader"_s);
    QVERIFY2(readerDb.ok(), qPrintable(readerDb.ok() ? QString() : readerDb.error().message()));
    EventLog reader(*readerDb.value());
    quint64 cursor = 0;
    int seen = 0;
    QStringList skips;
    for (;;) {
        const bool finished = writersDone.load() == kWriters;
        auto page = reader.readRawAfter(cursor, 500);
        QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().message()));
        for (const EventLog::RawEvent &e : page.value()) {
            if (e.sequence != cursor + 1 && skips.size() < 10)
                skips.append(u"after %1 came %2"_s.arg(cursor).arg(e.sequence));
            cursor = e.sequence;
            ++seen;
        }
        if (finished && page->empty())
            break;
    }
    for (auto &t : writers)
        t.join();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; "_s)));
    QCOMPARE(failures.load(), 0);
    QVERIFY2(skips.isEmpty(), qPrintable(u"the reader skipped sequences: "_s + skips.join(u", "_s)));
    QCOMPARE(seen, committedEvents.load());
    QCOMPARE(cursor, quint64(committedEvents.load()));
    qInfo().noquote() << u"%1 events from %2 writers, read in order with no gap"_s.arg(seen).arg(kWriters);
}

QTEST_GUILESS_MAIN(TestEventLogSequences)
// A round tells the other processes what it changed once it committed: the NOTIFY follows the COMMIT (in the same
// message on PostgreSQL) in a transaction of its own, so that no commit waits behind another's for PostgreSQL's
// notification lock, which a NOTIFY inside a transaction holds until its commit is on disk. Every change the round
// noted is told once, a rolled-back transaction tells nothing, and a NOTIFY that fails leaves the commit standing.
// SQLite has no other process to tell: there the statement after the commit is only checked not to undo it.
void TestEventLogSequences::changesAreToldOnceAfterTheCommit()
{
    Database &db = m_data->db();
    std::optional<ThrowawayListener> listener;
    QStringList heard;
    if (m_data->isPostgres()) {
        auto opened = Database::open(m_data->settings(), u"announce-listener"_s);
        QVERIFY2(opened.ok(), qPrintable(opened ? QString() : opened.error().message()));
        listener.emplace(std::move(opened).value());
        // Each connection is named after its purpose where an operator looks (pg_stat_activity).
        QSqlQuery name(listener->db->connection());
        QVERIFY(name.exec(u"SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"_s));
        QVERIFY(name.next());
        QCOMPARE(name.value(0).toString(), u"clinicflow-server/announce-listener"_s);
        name.finish();
        QSqlDriver *driver = listener->db->connection().driver();
        QObject::connect(driver, &QSqlDriver::notification, driver,
                         [&heard](const QString &channel, QSqlDriver::NotificationSource, const QVariant &payload) {
                             heard.append(channel + u' ' + payload.toString());
                         });
        // A process that runs the reception and examination workers listens for their work only.
        for (quint8 bit : {Change::ReceptionWork, Change::ExaminationWork})
            QVERIFY(driver->subscribeToNotification(ChangeFeed::channelFor(bit)));
    }
    quint8 told = 0;
    {
        WriteTransaction tx(db);
        db.noteChange(Change::ReceptionWork);
        EventLog log(db);
        auto events = someEvents(2);
        QVERIFY(log.append(events).ok());
        db.noteChange(Change::Resolved);
        told = db.takeChanges();
        QCOMPARE(told, quint8(Change::ReceptionWork | EventLog::changesOf(events) | Change::Resolved));
        QCOMPARE(db.takeChanges(), quint8(0)); // taken once
        QVERIFY(tx.commit(ChangeFeed::notifyStatement(db.dialect(), told)).ok());
    }
    {
        WriteTransaction tx(db);
        EventLog log(db);
        auto events = someEvents(1);
        QVERIFY(log.append(events).ok());
        QVERIFY(db.takeChanges() != 0);
        tx.rollback(); // undone: nobody is told
    }
    {
        // A NOTIFY that fails (PostgreSQL takes at most 8,000 bytes of payload) after a COMMIT that succeeded.
        WriteTransaction tx(db);
        EventLog log(db);
        auto events = someEvents(1);
        QVERIFY(log.append(events).ok());
        db.takeChanges();
        const QString failing = m_data->isPostgres() ? u"NOTIFY clinicflow, '%1'"_s.arg(QString(9000, u'x'))
                                                     : u"SELECT * FROM no_such_table"_s;
        QVERIFY(tx.commit(failing).ok());
        QCOMPARE(EventLog(db).head().value(), 3ull);
    }
    if (m_data->isPostgres()) {
        // Told on the channel of each change the round made: of those listened to here, reception's work, and
        // examination's if the events give it work; never the log's, the diagnosis's or the resolved commands'.
        QStringList expected{ChangeFeed::channelFor(Change::ReceptionWork)};
        if (told & Change::ExaminationWork)
            expected.append(ChangeFeed::channelFor(Change::ExaminationWork));
        QVERIFY(QTest::qWaitFor([&] { return heard.size() >= expected.size(); }, 5000));
        QTest::qWait(200);
        QCOMPARE(heard.size(), expected.size());
        for (qsizetype i = 0; i < heard.size(); ++i) {
            QCOMPARE(heard.at(i).section(u' ', 0, 0), expected.at(i));
            QVERIFY2(heard.at(i).endsWith(u":%1"_s.arg(told)), qPrintable(heard.at(i)));
        }
    }
}

// Each process listens only on the channels of the changes its modules act on and other processes' modules make: a
// worker for its own work, the gateway for new events and resolutions, the view for new events; a process that runs
// every module for nothing (nobody else may run one), nor for what only its own modules make.
void TestEventLogSequences::aProcessListensForWhatItsModulesActOnAndOthersMake()
{
    const std::array<bool, 3> all{true, true, true};
    const std::array<bool, 3> none{false, false, false};
    const std::array<bool, 3> receptionOnly{true, false, false};
    QCOMPARE(ChangeFeed::interestsOf(true, true, all), quint8(0));
    QCOMPARE(ChangeFeed::interestsOf(true, true, none), quint8(Change::Log | Change::Resolved));
    QCOMPARE(ChangeFeed::interestsOf(false, false, receptionOnly), Change::ReceptionWork);
    QCOMPARE(ChangeFeed::interestsOf(true, true, receptionOnly),
             quint8(Change::Log | Change::Resolved | Change::ReceptionWork));
    // The gateway elsewhere: the workers hear of the commands it stores; the view's events are all made here.
    QCOMPARE(ChangeFeed::interestsOf(false, true, all),
             quint8(Change::ReceptionWork | Change::DiagnosisWork | Change::ExaminationWork));
    // The view elsewhere: nothing this process acts on is made elsewhere (it still tells the view of its events).
    QCOMPARE(ChangeFeed::interestsOf(true, false, all), quint8(0));
    QCOMPARE(ChangeFeed::interestsOf(false, true, none), Change::Log);
    for (quint8 bit :
         {Change::Log, Change::ReceptionWork, Change::DiagnosisWork, Change::ExaminationWork, Change::Resolved})
        QVERIFY(ChangeFeed::kTold & bit);
    QCOMPARE(ChangeFeed::channelFor(Change::DiagnosisWork), u"clinicflow_diagnosis"_s);
}

// An append tells the other modules of new events (the view and the gateway read them all), and gives work only to
// the contexts that react to one of them: a context is not woken, in its own process, to read events it would only
// skip (before, every append woke all three, and half of their rounds found nothing to do).
void TestEventLogSequences::newEventsWakeOnlyTheContextsThatReactToThem()
{
    using namespace domain;
    const QUuid reception = newId();
    const QUuid diagnosis = newId();
    const auto changesOf = [](std::initializer_list<EventPayload> payloads) {
        Events events;
        for (const EventPayload &payload : payloads)
            events.push_back(eventOf(payload));
        return EventLog::changesOf(events);
    };
    QCOMPARE(changesOf({}), quint8(0));
    QCOMPARE(changesOf({VisitClosed{reception}}), Change::Log);
    QCOMPARE(changesOf({ReceptionRegistered{reception, {}, {}, {}, {}, {}, {}}}),
             quint8(Change::Log | Change::DiagnosisWork));
    QCOMPARE(changesOf({ExaminationPrescribed{diagnosis, newId(), u"XRAY"_s, {}}}),
             quint8(Change::Log | Change::ExaminationWork));
    // A refusal closes the visit at the desk and withdraws the examinations still open.
    QCOMPARE(changesOf({TreatmentRefused{diagnosis, reception, {}}}),
             quint8(Change::Log | Change::ReceptionWork | Change::ExaminationWork));
    QCOMPARE(changesOf({VisitClosed{reception}, ReceptionRegistered{reception, {}, {}, {}, {}, {}, {}}}),
             quint8(Change::Log | Change::DiagnosisWork));

    // What the transaction notes for the round's end (and the other processes) is what the events say.
    Database &db = m_data->db();
    WriteTransaction tx(db);
    EventLog log(db);
    Events events{eventOf(ExaminationPrescribed{diagnosis, newId(), u"XRAY"_s, {}})};
    QVERIFY(log.append(events).ok());
    QCOMPARE(db.takeChanges(), quint8(Change::Log | Change::ExaminationWork));
    tx.rollback();
}

// A query of several statements reports only its first statement's result (QPSQL): the reservation of sequences
// sends its NOTIFY so. If a later statement failed unseen, PostgreSQL has aborted the transaction, and its COMMIT
// answers "ROLLBACK" without an error: the commit must fail all the same, or the unit's events and outcomes would
// be told as durable and then be missing. SQLite runs no query of several statements: it refuses it, and the
// transaction goes on whole.
void TestEventLogSequences::aTransactionAnErrorAbortedIsNotCommitted()
{
    Database &db = m_data->db();
    {
        WriteTransaction tx(db);
        EventLog log(db);
        auto events = someEvents(2);
        QVERIFY(log.append(events).ok());
        QSqlQuery q(db.connection());
        const bool firstOk = q.exec(u"SELECT 1; SELECT 1 / (SELECT COUNT(*) - COUNT(*) FROM event_log)"_s);
        const auto committed = tx.commit();
        if (m_data->isPostgres()) {
            QVERIFY2(firstOk, "QPSQL no longer answers with the first statement's result: the reservation must change");
            QVERIFY2(!committed.ok(), "a transaction aborted by an error passed for committed");
        } else {
            QVERIFY(!firstOk);
            QVERIFY(committed.ok());
        }
    }
    EventLog reader(db);
    QCOMPARE(reader.head().value(), quint64(m_data->isPostgres() ? 0 : 2));
}

#include "TestEventLogSequences.moc"
