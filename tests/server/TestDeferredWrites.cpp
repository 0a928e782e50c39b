// Deferred writes (Database::startDeferring, issue #14): on PostgreSQL a unit's writes whose results nobody reads
// wait as text and travel in one message with the next statement that needs its answer (the event log's
// reservation, the inbox's marks), instead of a round trip each. What they write must arrive exactly as bound values
// would (a patient's name with quotes, backslashes or Hangul; bytes with NULs), and one that fails must leave nothing
// of its transaction behind. On SQLite nothing is deferred: the same test checks the same results
// (TestDeferredWrites.postgresql runs it on PostgreSQL).
#include "TempDatabase.h"
#include "storage/BatchStatement.h"
#include "storage/EventLog.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

namespace {

// Row i of the scratch table: text that needs escaping, an absent text, bytes that are not text, a number.
QVariantList rowOf(std::size_t i)
{
    const QByteArray bytes = QByteArray("\x00\x01\xff'\\", 5) + QByteArray::number(qulonglong(i));
    return {qint64(i), u"O'Brien \\ 김민준 \"%1\" ?"_s.arg(i), QString(), bytes, qint64(i) * 1'000'000'007LL};
}

} // namespace

class TestDeferredWrites : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void deferredRowsArriveAsBoundOnesWould();
    void aDeferredWriteThatFailsKeepsNothing();
    void statementsArePreparedAgainWithFreshPlans();

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
        "n BIGINT NOT NULL, seen INTEGER NOT NULL DEFAULT 0)"_s.arg(blob)));
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
    BatchStatement insert(db, u"INSERT INTO scratch (k, name, note, data, n) VALUES %1"_s, u"(?, ?, ?, ?, ?)"_s);
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
        std::size_t updated = 0;
        const auto marked = mark.run(
            kRows, [](std::size_t i) { return QVariantList{qint64(i)}; }, "marking scratch rows",
            [&updated](QSqlQuery &q, std::size_t) -> domain::Result<bool> {
                updated += std::size_t(q.numRowsAffected());
                return true;
            });
        QVERIFY2(marked.ok(), qPrintable(marked.ok() ? QString() : marked.error().message()));
        QVERIFY(db.finishDeferring().ok());
        QVERIFY(!db.isDeferring());
        QVERIFY(tx.commit().ok());
        QCOMPARE(updated, kRows);
    }
    QCOMPARE(events.front().sequence, 1ull);
    QCOMPARE(events.back().sequence, 3ull);
    QSqlQuery q(db.connection());
    QVERIFY(q.exec(u"SELECT k, name, note, data, n, seen FROM scratch ORDER BY k"_s));
    std::size_t i = 0;
    for (; q.next(); ++i) {
        const QVariantList expected = rowOf(i);
        QCOMPARE(q.value(0).toLongLong(), expected[0].toLongLong());
        QCOMPARE(q.value(1).toString(), expected[1].toString());
        QCOMPARE(q.value(2).toString(), u""_s);
        QCOMPARE(q.value(3).toByteArray(), expected[3].toByteArray());
        QCOMPARE(q.value(4).toLongLong(), expected[4].toLongLong());
        QCOMPARE(q.value(5).toInt(), 1);
    }
    QCOMPARE(i, kRows);
}

// Two rows with one key: on PostgreSQL the failure is in a statement that travels after the reservation, whose
// answer is the reservation's; the transaction is aborted, and its commit fails. On SQLite the insert fails at once.
// Either way nothing of it is stored, and the next transaction, with the same statements, is written whole.
void TestDeferredWrites::aDeferredWriteThatFailsKeepsNothing()
{
    Database &db = m_data->db();
    BatchStatement insert(db, u"INSERT INTO scratch (k, name, note, data, n) VALUES %1"_s, u"(?, ?, ?, ?, ?)"_s);
    EventLog log(db);
    {
        WriteTransaction tx(db);
        db.startDeferring();
        const auto inserted = insert.run(
            2, [](std::size_t) { return rowOf(7); }, "writing scratch rows");
        domain::Events events = someEvents(2);
        const auto appended = inserted ? log.append(events) : domain::Result<bool>(inserted.error());
        const auto finished = appended ? db.finishDeferring() : domain::Result<bool>(appended.error());
        const auto committed = finished ? tx.commit() : domain::Result<bool>(finished.error());
        QVERIFY2(!committed.ok(), "a transaction with a failed write was committed");
        if (m_data->isPostgres())
            QVERIFY2(inserted.ok(), "the insert was not deferred");
        else
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
    QVERIFY(db.finishDeferring().ok());
    QVERIFY(tx.commit().ok());
    QCOMPARE(rowsIn(u"scratch"_s), 2);
    QCOMPARE(events.back().sequence, 2ull);
}

// Statements whose plans are made again as their tables grow (BatchStatement::setFreshPlansEvery) are prepared
// again under new names; 60 units go through the first renewal (after 50 runs).
void TestDeferredWrites::statementsArePreparedAgainWithFreshPlans()
{
    Database &db = m_data->db();
    BatchStatement insert(db, u"INSERT INTO scratch (k, name, note, data, n) VALUES %1"_s, u"(?, ?, ?, ?, ?)"_s);
    insert.setFreshPlansEvery(50);
    for (std::size_t unit = 0; unit < 60; ++unit) {
        WriteTransaction tx(db);
        db.startDeferring();
        QVERIFY(insert
                    .run(
                        1, [unit](std::size_t) { return rowOf(unit); }, "writing a scratch row")
                    .ok());
        const auto finished = db.finishDeferring();
        QVERIFY2(finished.ok(), qPrintable(finished.ok() ? QString() : finished.error().message()));
        QVERIFY(tx.commit().ok());
    }
    QCOMPARE(rowsIn(u"scratch"_s), 60);
}

QTEST_GUILESS_MAIN(TestDeferredWrites)
#include "TestDeferredWrites.moc"
