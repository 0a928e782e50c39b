// Deferred writes (Database::startDeferring, issue #14): on PostgreSQL a unit's writes whose results nobody reads
// wait in the pipeline (PgPipeline.h) and travel in one message with the next statement that needs its answer, at the
// latest the COMMIT, instead of a round trip each. The event log's reservation travels so too: its events' sequences
// are counted back from it by the database, and set when the message is answered. What they write must arrive exactly
// as the driver's bound values would (a patient's name with quotes, backslashes or Hangul; bytes with NULs; an absent
// number as NULL), and one that fails must leave nothing of its transaction behind. On SQLite nothing is deferred: the
// same test checks the same results (TestDeferredWrites.postgresql runs it on PostgreSQL).
#include "TempDatabase.h"
#include "domain/Ids.h"
#include "storage/BatchStatement.h"
#include "storage/EventLog.h"
#include "storage/GroupCommit.h"
#include "storage/Inbox.h"
#include "storage/PgPipeline.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

namespace {

// Row i of the scratch table: text that needs escaping, an absent text, bytes that are not text, a number, and a
// number that is absent in every other row (NULL, not 0).
QVariantList rowOf(std::size_t i)
{
    const QByteArray bytes = QByteArray("\x00\x01\xff'\\", 5) + QByteArray::number(qulonglong(i));
    const QVariant maybe = i % 2 ? QVariant(QMetaType::fromType<int>()) : QVariant(int(i));
    return {qint64(i), u"O'Brien \\ 김민준 \"%1\" ?"_s.arg(i), QString(), bytes, qint64(i) * 1'000'000'007LL, maybe};
}

// The statement that writes rowOf's rows, many a statement.
const QString kInsertScratch = u"INSERT INTO scratch (k, name, note, data, n, maybe) VALUES %1"_s;
const QString kScratchRow = u"(?, ?, ?, ?, ?, ?)"_s;

} // namespace

class TestDeferredWrites : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void deferredRowsArriveAsBoundOnesWould();
    void aDeferredWriteThatFailsKeepsNothing();
    void statementsOfAUnitUndoneUnsentArePreparedAgain();
    void aFailureAtTheCommitNamesItsStatement();
    void anUpdateThatMissesARowFailsItsUnit();
    void statementsAfterTheDriversRowByRowReadAnswerWhole();
    void statementsArePreparedAgainWithFreshPlans();
    void unitsSharingARoundAreUndoneAlone();
    void marksCountedBackFromTheReservationRecordTheEventsSequences();
    void aBeginThatWaitsForTheFirstReadsHoldsTheUnitsWrites();

private:
    int rowsIn(const QString &table);
    std::unique_ptr<TempDatabase> m_data;
};

void TestDeferredWrites::init()
{
    m_data = std::make_unique<TempDatabase>();
    QVERIFY2(m_data->open(), qPrintable(m_data->error()));
    const QString blob = m_data->db().dialect().blobType();
    QVERIFY(m_data->exec(
        u"CREATE TABLE scratch (k BIGINT PRIMARY KEY, name TEXT NOT NULL, note TEXT NOT NULL, data %1 NOT NULL, "
        "n BIGINT NOT NULL, maybe INTEGER, seen INTEGER NOT NULL DEFAULT 0)"_s.arg(blob)));
}

int TestDeferredWrites::rowsIn(const QString &table)
{
    QSqlQuery q(m_data->db().connection());
    if (!q.exec(u"SELECT COUNT(*) FROM "_s + table) || !q.next())
        return -1;
    return q.value(0).toInt();
}

// 40 rows (a chunk of 32 and one of 8) kept, then the reservation, then a checked update of them, then the commit:
// every value reads back as written, the update saw every row, and the events are numbered from 1.
void TestDeferredWrites::deferredRowsArriveAsBoundOnesWould()
{
    Database &db = m_data->db();
    BatchStatement insert(db, kInsertScratch, kScratchRow);
    BatchStatement mark(db, u"UPDATE scratch SET seen = 1 WHERE k IN (%1)"_s, u"?"_s);
    EventLog log(db);
    domain::Events events = someEvents(3);
    constexpr std::size_t kRows = 40;
    {
        WriteTransaction tx(db);
        db.startDeferring();
        QCOMPARE(db.isDeferring(), m_data->isPostgres());
        QVERIFY(insert.run(kRows, rowOf, "writing scratch rows").ok());
        QVERIFY(log.append(events).ok());
        const auto marked = mark.runExact(
            kRows, [](std::size_t i) { return QVariantList{qint64(i)}; }, "marking scratch rows",
            [](std::size_t first, std::size_t count) { return u"rows %1 + %2 are gone"_s.arg(first).arg(count); });
        QVERIFY2(marked.ok(), qPrintable(marked.ok() ? QString() : marked.error().message()));
        db.finishDeferring();
        QVERIFY(!db.isDeferring());
        const auto committed = tx.commit();
        QVERIFY2(committed.ok(), qPrintable(committed.ok() ? QString() : committed.error().message()));
    }
    QCOMPARE(events.front().sequence, 1ull);
    QCOMPARE(events.back().sequence, 3ull);
    QSqlQuery q(db.connection());
    QVERIFY(q.exec(u"SELECT k, name, note, data, n, seen, maybe FROM scratch ORDER BY k"_s));
    std::size_t i = 0;
    for (; q.next(); ++i) {
        const QVariantList expected = rowOf(i);
        QCOMPARE(q.value(0).toLongLong(), expected[0].toLongLong());
        QCOMPARE(q.value(1).toString(), expected[1].toString());
        QCOMPARE(q.value(2).toString(), u""_s);
        QCOMPARE(q.value(3).toByteArray(), expected[3].toByteArray());
        QCOMPARE(q.value(4).toLongLong(), expected[4].toLongLong());
        QCOMPARE(q.value(5).toInt(), 1);
        QCOMPARE(q.value(6).isNull(), i % 2 == 1);
        if (i % 2 == 0)
            QCOMPARE(q.value(6).toInt(), int(i));
    }
    QCOMPARE(i, kRows);
}

// Two rows with one key: on PostgreSQL the insert waits and fails in the message that carries the reservation and the
// COMMIT, which answers with the insert's own error, naming its work; the transaction is aborted, and its events keep
// no sequence. On SQLite the insert fails at once. Either way nothing of it is stored, and the next transaction, with
// the same statements, is written whole.
void TestDeferredWrites::aDeferredWriteThatFailsKeepsNothing()
{
    Database &db = m_data->db();
    BatchStatement insert(db, kInsertScratch, kScratchRow);
    EventLog log(db);
    {
        WriteTransaction tx(db);
        db.startDeferring();
        const auto inserted = insert.run(
            2, [](std::size_t) { return rowOf(7); }, "writing scratch rows");
        domain::Events events = someEvents(2);
        const auto appended = inserted ? log.append(events) : domain::Result<bool>(inserted.error());
        db.finishDeferring();
        const auto committed = appended ? tx.commit() : domain::Result<bool>(appended.error());
        QVERIFY2(!committed.ok(), "a transaction with a failed write was committed");
        if (m_data->isPostgres()) {
            QVERIFY2(inserted.ok() && appended.ok(), "the insert or the append was not deferred");
            QVERIFY2(committed.error().message().contains(u"writing scratch rows"_s),
                     qPrintable(committed.error().message()));
            QCOMPARE(events.front().sequence, 0ull);
            QCOMPARE(events.back().sequence, 0ull);
        } else
            QVERIFY(!inserted.ok());
        db.dropDeferred();
    }
    QCOMPARE(rowsIn(u"scratch"_s), 0);
    EventLog reader(db);
    QCOMPARE(reader.head().value(), 0ull);

    WriteTransaction tx(db);
    db.startDeferring();
    QVERIFY(insert.run(2, rowOf, "writing scratch rows").ok());
    domain::Events events = someEvents(2);
    QVERIFY(log.append(events).ok());
    db.finishDeferring();
    QVERIFY(tx.commit().ok());
    QCOMPARE(rowsIn(u"scratch"_s), 2);
    QCOMPARE(events.back().sequence, 2ull);
}

// A unit undone before anything it deferred was sent (it failed later, or its round did): the statements it would
// have prepared first on this connection were never prepared, so the next unit that runs them prepares them (before,
// it ran them by a name the database did not know, and every later unit on the connection failed with it).
void TestDeferredWrites::statementsOfAUnitUndoneUnsentArePreparedAgain()
{
    Database &db = m_data->db();
    BatchStatement insert(db, kInsertScratch, kScratchRow);
    EventLog log(db);
    {
        WriteTransaction tx(db);
        db.startDeferring();
        QVERIFY(insert.run(2, rowOf, "writing scratch rows").ok());
        domain::Events events = someEvents(3);
        QVERIFY(log.append(events).ok());
        db.finishDeferring();
        tx.rollback(); // nothing was sent
    }
    for (int unit = 0; unit < 2; ++unit) {
        WriteTransaction tx(db);
        db.startDeferring();
        QVERIFY(insert
                    .run(
                        2, [unit](std::size_t i) { return rowOf(std::size_t(unit) * 2 + i); }, "writing scratch rows")
                    .ok());
        domain::Events events = someEvents(3);
        QVERIFY(log.append(events).ok());
        db.finishDeferring();
        const auto committed = tx.commit();
        QVERIFY2(committed.ok(), qPrintable(committed.ok() ? QString() : committed.error().message()));
        QCOMPARE(events.back().sequence, quint64(unit + 1) * 3);
    }
    QCOMPARE(rowsIn(u"scratch"_s), 4);
}

// An update that must touch each of its rows and misses one (a command resolved elsewhere meanwhile, for the inbox's
// marks) fails its unit with its own text: on PostgreSQL the statement fails itself, at the commit it travelled with;
// on SQLite at once. Nothing of the transaction is stored.
void TestDeferredWrites::anUpdateThatMissesARowFailsItsUnit()
{
    Database &db = m_data->db();
    BatchStatement insert(db, kInsertScratch, kScratchRow);
    BatchStatement mark(db, u"UPDATE scratch SET seen = 1 WHERE k IN (%1)"_s, u"?"_s);
    {
        WriteTransaction tx(db);
        QVERIFY(insert.run(3, rowOf, "writing scratch rows").ok());
        QVERIFY(tx.commit().ok());
    }
    WriteTransaction tx(db);
    db.startDeferring();
    const QList<qint64> keys{0, 1, 99};
    const auto marked = mark.runExact(
        std::size_t(keys.size()), [&keys](std::size_t i) { return QVariantList{keys[qsizetype(i)]}; },
        "marking scratch rows",
        [](std::size_t first, std::size_t count) {
            return u"among rows %1 + %2, one is gone"_s.arg(first).arg(count);
        });
    db.finishDeferring();
    QCOMPARE(marked.ok(), m_data->isPostgres()); // waits there, fails here at once
    const auto committed = marked ? tx.commit() : marked;
    QVERIFY2(!committed.ok(), "an update that missed a row was committed");
    QVERIFY2(committed.error().message().contains(u"among rows 0 + 3, one is gone"_s),
             qPrintable(committed.error().message()));
    QVERIFY(committed.error().message().contains(u"marking scratch rows"_s));
    if (tx.isActive())
        tx.rollback();
    QSqlQuery q(db.connection());
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM scratch WHERE seen = 1"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

// The driver reads a forward-only query's rows one at a time (libpq's single-row mode), and libpq keeps that mode
// for the next query when it is the first in a pipeline: a statement sent right after still answers whole, its
// rows and its values (the reservation's head, a read of many rows).
void TestDeferredWrites::statementsAfterTheDriversRowByRowReadAnswerWhole()
{
    Database &db = m_data->db();
    BatchStatement insert(db, kInsertScratch, kScratchRow);
    BatchStatement select(db, u"SELECT k, name, data, maybe FROM scratch WHERE k IN (%1) ORDER BY k"_s, u"?"_s);
    EventLog log(db);
    const auto readByTheDriver = [&db] {
        QSqlQuery q(db.connection());
        q.setForwardOnly(true);
        int rows = 0;
        if (q.exec(u"SELECT k FROM scratch ORDER BY k"_s)) {
            while (q.next())
                ++rows;
        }
        return rows;
    };
    WriteTransaction tx(db);
    QVERIFY(insert.run(5, rowOf, "writing scratch rows").ok());
    // Twice: the first time each statement is prepared first in its message, which ends the mode for it.
    for (int round = 1; round <= 2; ++round) {
        QCOMPARE(readByTheDriver(), 5);
        db.startDeferring();
        domain::Events events = someEvents(2);
        const auto appended = log.append(events); // the reservation first in the next message
        QVERIFY2(appended.ok(), qPrintable(appended.ok() ? QString() : appended.error().message()));
        db.finishDeferring();
        std::vector<QVariantList> read;
        const auto selected = select.run(
            5, [](std::size_t i) { return QVariantList{qint64(i)}; }, "reading scratch rows",
            [&read](SqlRows &rows, std::size_t) -> domain::Result<bool> {
                while (rows.next())
                    read.push_back({rows.value(0), rows.value(1), rows.value(2), rows.value(3)});
                return true;
            });
        QVERIFY2(selected.ok(), qPrintable(selected.ok() ? QString() : selected.error().message()));
        QCOMPARE(events.back().sequence, 2ull * quint64(round)); // answered with the read
        QCOMPARE(readByTheDriver(), 5);
        QCOMPARE(read.size(), std::size_t(5));
        for (std::size_t i = 0; i < read.size(); ++i) {
            const QVariantList expected = rowOf(i);
            QCOMPARE(read[i][0].toLongLong(), qint64(i));
            QCOMPARE(read[i][1].toString(), expected[1].toString());
            QCOMPARE(read[i][2].toByteArray(), expected[3].toByteArray());
            QCOMPARE(read[i][3].isNull(), i % 2 == 1);
            if (i % 2 == 0)
                QCOMPARE(read[i][3].toInt(), int(i));
        }
    }
    QVERIFY(tx.commit().ok());
}

// A deferred write with nothing after it that needs an answer travels with the COMMIT: when it fails, the commit
// fails with the write's own error (not a bare "ROLLBACK"), and nothing of the transaction is stored.
void TestDeferredWrites::aFailureAtTheCommitNamesItsStatement()
{
    Database &db = m_data->db();
    BatchStatement insert(db, kInsertScratch, kScratchRow);
    WriteTransaction tx(db);
    db.startDeferring();
    const auto first = insert.run(1, rowOf, "writing the first scratch row");
    const auto again = first ? insert.run(1, rowOf, "writing the same scratch row again") : first;
    db.finishDeferring();
    const auto committed = again ? tx.commit() : again;
    QVERIFY2(!committed.ok(), "a transaction with a failed write was committed");
    QVERIFY2(committed.error().message().contains(u"writing the same scratch row again"_s),
             qPrintable(committed.error().message()));
    if (tx.isActive()) // SQLite: the insert failed at once, and the transaction waits to be undone
        tx.rollback();
    QCOMPARE(rowsIn(u"scratch"_s), 0);
}

// Statements whose plans are made again as their tables grow (BatchStatement::setFreshPlansEvery) are prepared
// again under new names; 60 units go through the first renewal (after 50 runs).
void TestDeferredWrites::statementsArePreparedAgainWithFreshPlans()
{
    Database &db = m_data->db();
    BatchStatement insert(db, kInsertScratch, kScratchRow);
    insert.setFreshPlansEvery(50);
    for (std::size_t unit = 0; unit < 60; ++unit) {
        WriteTransaction tx(db);
        db.startDeferring();
        QVERIFY(insert
                    .run(
                        1, [unit](std::size_t) { return rowOf(unit); }, "writing a scratch row")
                    .ok());
        db.finishDeferring();
        const auto committed = tx.commit();
        QVERIFY2(committed.ok(), qPrintable(committed.ok() ? QString() : committed.error().message()));
    }
    QCOMPARE(rowsIn(u"scratch"_s), 60);
}

// Five units in one round of the group commit (the gateway's commands and audit entries share rounds so). On
// PostgreSQL a unit's savepoint is released in the message that carries what it left waiting, together with the next
// unit's savepoint. A unit that writes through the driver and then gives up, and one whose deferred write fails, are
// each undone alone, with nothing of theirs kept; the others are committed, and the failure names its work.
void TestDeferredWrites::unitsSharingARoundAreUndoneAlone()
{
    GroupCommit commit(m_data->settings());
    QVERIFY(commit.start().ok());
    const auto deferredRows = [](std::vector<qint64> keys, const char *what) {
        return [keys, what](Database &db) -> domain::Result<bool> {
            BatchStatement insert(db, kInsertScratch, kScratchRow);
            db.startDeferring();
            auto written = insert.run(
                keys.size(), [&keys](std::size_t i) { return rowOf(std::size_t(keys[i])); }, what);
            db.finishDeferring();
            return written;
        };
    };
    // The first round holds the writer while the next five units queue up behind it, so that they share a round.
    std::atomic<bool> holding{false};
    auto first = commit.runAsync(
        [&holding](Database &) -> domain::Result<bool> {
            holding = true;
            QThread::msleep(300);
            return true;
        },
        [] {});
    QVERIFY(QTest::qWaitFor([&] { return holding.load(); }, 5000));
    auto kept = commit.runAsync(deferredRows({1, 2}, "writing rows 1 and 2"), [] {});
    auto givesUp = commit.runAsync(
        [](Database &db) -> domain::Result<bool> {
            QSqlQuery q(db.connection());
            q.prepare(u"INSERT INTO scratch (k, name, note, data, n) VALUES (3, 'driver', '', ?, 3)"_s);
            q.addBindValue(QByteArray("x"));
            if (!q.exec())
                return domain::makeError(domain::ErrorCode::InternalError, q.lastError().text());
            return domain::makeError(domain::ErrorCode::InternalError, u"gives up after writing row 3"_s);
        },
        [] {});
    auto duplicate = commit.runAsync(deferredRows({4, 1}, "writing rows 4 and 1 again"), [] {});
    auto alsoKept = commit.runAsync(deferredRows({5}, "writing row 5"), [] {});
    auto last = commit.runAsync(deferredRows({6}, "writing row 6"), [] {});
    QVERIFY(first.get().ok());
    const auto keptResult = kept.get();
    QVERIFY2(keptResult.ok(), qPrintable(keptResult.ok() ? QString() : keptResult.error().message()));
    QVERIFY(!givesUp.get().ok());
    const auto duplicateResult = duplicate.get();
    QVERIFY2(!duplicateResult.ok(), "a unit with a duplicate key was committed");
    QVERIFY2(duplicateResult.error().message().contains(u"writing rows 4 and 1 again"_s),
             qPrintable(duplicateResult.error().message()));
    QVERIFY(alsoKept.get().ok());
    QVERIFY(last.get().ok());
    QCOMPARE(commit.rounds(), quint64(2)); // the five shared one round
    commit.stop();
    QSqlQuery q(m_data->db().connection());
    QVERIFY(q.exec(u"SELECT k FROM scratch ORDER BY k"_s));
    QList<qint64> keys;
    while (q.next())
        keys.append(q.value(0).toLongLong());
    QCOMPARE(keys, QList<qint64>({1, 2, 5, 6}));
}
// A unit alone in its round that opens with reads through the pipeline (GroupCommit::Opening::Pipelined, as a
// context's worker does): on PostgreSQL its BEGIN travels with them, in one message. The reads must see what was
// committed, and everything the unit writes after them, through the driver too, must be inside its transaction: a
// unit that fails leaves none of it, one that succeeds keeps all of it. On SQLite the reads go through the driver.
void TestDeferredWrites::aBeginThatWaitsForTheFirstReadsHoldsTheUnitsWrites()
{
    std::vector<Inbox::Stored> stored;
    for (int i = 0; i < 2; ++i)
        stored.push_back(Inbox::Stored{domain::newId(), u"DOC1"_s, u"x"_s, "payload", "fp", 1000 + i, 900});
    domain::Events earlier = someEvents(3);
    {
        EventLog log(m_data->db());
        Inbox inbox(m_data->db(), domain::BoundedContext::Diagnosis);
        WriteTransaction tx(m_data->db());
        QVERIFY(log.append(earlier).ok());
        QVERIFY(inbox.enqueue(stored).ok());
        QVERIFY(tx.commit().ok());
    }
    const QStringList types{domain::eventTypeName(earlier.front().payload)};
    GroupCommit commit(m_data->settings());
    QVERIFY(commit.start().ok());
    // Reads the events after the first and the pending commands, then writes row `key` through the driver.
    struct Read
    {
        quint64 head = 0;
        std::vector<quint64> sequences;
        std::vector<QUuid> commands;
    };
    const auto readThenWrite = [&types](Read &read, qint64 key, bool fail) {
        return [&read, &types, key, fail](Database &db) -> domain::Result<bool> {
            EventLog log(db);
            Inbox inbox(db, domain::BoundedContext::Diagnosis);
            domain::Result<EventLog::Window> window = EventLog::Window{};
            std::vector<InboxCommand> commands;
            if (PgPipeline *pipeline = db.pipeline()) {
                const std::size_t windowAt = log.queueReadAfter(*pipeline, 1, 100, 10, types);
                const std::size_t pendingAt = inbox.queuePending(*pipeline, 10);
                auto sent = pipeline->send();
                if (!sent)
                    return sent.error();
                window = EventLog::windowFrom(sent->at(windowAt).values);
                commands = Inbox::pendingFrom(sent->at(pendingAt).values);
            } else {
                window = log.readAfter(1, 100, 10, types);
                auto pending = inbox.pending(10);
                if (!pending)
                    return pending.error();
                commands = pending.value();
            }
            if (!window)
                return window.error();
            read.head = window->head;
            for (const domain::Event &e : window->events)
                read.sequences.push_back(e.sequence);
            for (const InboxCommand &c : commands)
                read.commands.push_back(c.commandId);
            QSqlQuery q(db.connection());
            q.prepare(u"INSERT INTO scratch (k, name, note, data, n) VALUES (?, 'driver', '', ?, 1)"_s);
            q.addBindValue(key);
            q.addBindValue(QByteArray("x"));
            if (!q.exec())
                return domain::makeError(domain::ErrorCode::InternalError, q.lastError().text());
            if (fail)
                return domain::makeError(domain::ErrorCode::InternalError, u"gives up after writing"_s);
            return true;
        };
    };
    for (const bool fail : {true, false}) {
        Read read;
        const auto result = commit.run(readThenWrite(read, fail ? 1 : 2, fail), -1, GroupCommit::Opening::Pipelined);
        QCOMPARE(result.ok(), !fail);
        QCOMPARE(read.head, 3ull);
        QCOMPARE(read.sequences, std::vector<quint64>({2, 3}));
        QCOMPARE(read.commands, std::vector<QUuid>({stored[0].commandId, stored[1].commandId}));
    }
    // The failed unit's row went with its transaction: the driver's write was inside it.
    const auto keys = [&] {
        QSqlQuery q(m_data->db().connection());
        q.exec(u"SELECT k FROM scratch ORDER BY k"_s);
        QList<qint64> found;
        while (q.next())
            found.append(q.value(0).toLongLong());
        return found;
    };
    QCOMPARE(keys(), QList<qint64>({2}));
    // A read that fails fails its unit, and leaves no transaction open behind it: the next round commits.
    const auto failed = commit.run(
        [](Database &db) -> domain::Result<bool> {
            if (PgPipeline *pipeline = db.pipeline()) {
                pipeline->queue("no_such_table", u"SELECT x FROM no_such_table"_s, {}, "reading nothing", true);
                auto sent = pipeline->send();
                return sent ? domain::Result<bool>(true) : domain::Result<bool>(sent.error());
            }
            QSqlQuery q(db.connection());
            if (!q.exec(u"SELECT x FROM no_such_table"_s))
                return domain::makeError(domain::ErrorCode::InternalError, q.lastError().text());
            return true;
        },
        -1, GroupCommit::Opening::Pipelined);
    QVERIFY(!failed.ok());
    QVERIFY2(failed.error().message().contains(u"no_such_table"_s), qPrintable(failed.error().message()));
    Read again;
    QVERIFY(commit.run(readThenWrite(again, 3, false), -1, GroupCommit::Opening::Pipelined).ok());
    commit.stop();
    QCOMPARE(keys(), QList<qint64>({2, 3}));
}

// A unit as a context's worker writes it: its events appended, then its commands marked applied with the sequences
// of the events each made. On PostgreSQL those sequences are not known when the marks are queued: they are counted
// back from the reservation (Inbox::Sequences::BackFromLastReserved) and the database computes them, in the message
// that carries the reservation and the COMMIT. Each mark must then name its own command's events, whatever the log
// held before (two earlier units), and a command that made none records none.
void TestDeferredWrites::marksCountedBackFromTheReservationRecordTheEventsSequences()
{
    Database &db = m_data->db();
    EventLog log(db);
    Inbox inbox(db, domain::BoundedContext::Diagnosis);
    for (int unit = 0; unit < 2; ++unit) {
        WriteTransaction tx(db);
        domain::Events earlier = someEvents(3);
        QVERIFY(log.append(earlier).ok());
        QVERIFY(tx.commit().ok());
    }
    std::vector<Inbox::Stored> stored;
    for (int i = 0; i < 3; ++i)
        stored.push_back(Inbox::Stored{domain::newId(), u"DOC1"_s, u"x"_s, "payload", "fp", 1000, 900});
    {
        WriteTransaction tx(db);
        QVERIFY(inbox.enqueue(stored).ok());
        QVERIFY(tx.commit().ok());
    }
    const auto pending = inbox.pending(10);
    QVERIFY(pending.ok());
    QCOMPARE(pending->size(), std::size_t(3));
    // Command 0 made events 0 and 1 of the unit, command 1 none, command 2 events 2 to 4.
    domain::Events events = someEvents(5);
    struct Made
    {
        std::size_t first;
        std::size_t count;
    };
    const std::vector<Made> made{{0, 2}, {0, 0}, {2, 3}};
    {
        WriteTransaction tx(db);
        db.startDeferring();
        QVERIFY(log.append(events).ok());
        QCOMPARE(log.sequencesAtAnswer(), m_data->isPostgres());
        const bool back = log.sequencesAtAnswer();
        std::vector<Inbox::Applied> marks;
        for (std::size_t c = 0; c < made.size(); ++c) {
            Inbox::Applied mark{pending->at(c).position, 0, 0};
            if (made[c].count > 0 && back) {
                mark.firstSequence = events.size() - made[c].first;
                mark.lastSequence = events.size() - (made[c].first + made[c].count - 1);
            } else if (made[c].count > 0) {
                mark.firstSequence = events[made[c].first].sequence;
                mark.lastSequence = events[made[c].first + made[c].count - 1].sequence;
            }
            marks.push_back(mark);
        }
        const auto marked =
            inbox.markApplied(marks, 2000, back ? Inbox::Sequences::BackFromLastReserved : Inbox::Sequences::Given);
        QVERIFY2(marked.ok(), qPrintable(marked.ok() ? QString() : marked.error().message()));
        if (back)
            QCOMPARE(events.front().sequence, 0ull); // not answered yet
        db.finishDeferring();
        const auto committed = tx.commit();
        QVERIFY2(committed.ok(), qPrintable(committed.ok() ? QString() : committed.error().message()));
    }
    for (std::size_t i = 0; i < events.size(); ++i)
        QCOMPARE(events[i].sequence, 7ull + i);
    const std::vector<std::pair<quint64, quint64>> expected{{7, 8}, {0, 0}, {9, 11}};
    for (std::size_t c = 0; c < made.size(); ++c) {
        const auto record = inbox.find(stored[c].commandId);
        QVERIFY(record.ok() && record->has_value());
        QCOMPARE((*record)->state, CommandState::Applied);
        QCOMPARE((*record)->firstSequence, expected[c].first);
        QCOMPARE((*record)->lastSequence, expected[c].second);
    }
    EventLog reader(db);
    const auto inLog = reader.readAfter(6, 10);
    QVERIFY(inLog.ok());
    QCOMPARE(inLog->size(), std::size_t(5));
    for (std::size_t i = 0; i < events.size(); ++i)
        QCOMPARE(inLog->at(i).id, events[i].id);
}

QTEST_GUILESS_MAIN(TestDeferredWrites)
#include "TestDeferredWrites.moc"
