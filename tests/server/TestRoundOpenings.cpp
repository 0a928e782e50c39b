// How a commit round opens (GroupCommit::runRound). On PostgreSQL a round whose first unit opens with reads through
// the pipeline (GroupCommit::Opening::Pipelined: the gateway's intake, a context's worker) sends its BEGIN with them,
// and in a shared round that unit's savepoint too. Whatever the first unit does (gives up before sending anything,
// gives up after its reads and a write, or succeeds), the units after it run inside the round's transaction, each
// undone alone when it fails, and the first unit's write is kept exactly when it succeeds. On SQLite (the plain test)
// the reads go through the driver; TestRoundOpenings.postgresql runs the same on PostgreSQL.
#include "TempDatabase.h"
#include "storage/GroupCommit.h"
#include "storage/PgPipeline.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <atomic>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

namespace {

enum class First
{
    GivesUpBeforeSending,
    GivesUpAfterItsWrite,
    Succeeds
};

domain::Result<bool> insertRow(Database &db, qint64 key)
{
    QSqlQuery q(db.connection());
    q.prepare(u"INSERT INTO scratch (k) VALUES (?)"_s);
    q.addBindValue(key);
    if (!q.exec())
        return domain::makeError(domain::ErrorCode::InternalError, q.lastError().text());
    return true;
}

// Rows in scratch, read through the pipeline where there is one (the round's first statements), else the driver.
domain::Result<qint64> countRows(Database &db)
{
    if (PgPipeline *pipeline = db.pipeline()) {
        const std::size_t at =
            pipeline->queue("round_openings_count", u"SELECT COUNT(*) FROM scratch"_s, {}, "counting the rows", true);
        auto sent = pipeline->send();
        if (!sent)
            return sent.error();
        return sent->at(at).values.at(0).at(0).toLongLong();
    }
    QSqlQuery q(db.connection());
    if (!q.exec(u"SELECT COUNT(*) FROM scratch"_s) || !q.next())
        return domain::makeError(domain::ErrorCode::InternalError, q.lastError().text());
    return q.value(0).toLongLong();
}

} // namespace

class TestRoundOpenings : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void theUnitsAfterTheFirstKeepTheirTransaction_data();
    void theUnitsAfterTheFirstKeepTheirTransaction();

private:
    std::unique_ptr<TempDatabase> m_data;
};

void TestRoundOpenings::init()
{
    m_data = std::make_unique<TempDatabase>();
    QVERIFY2(m_data->open(), qPrintable(m_data->error()));
    QVERIFY(m_data->exec(u"CREATE TABLE scratch (k BIGINT PRIMARY KEY)"_s));
}

void TestRoundOpenings::theUnitsAfterTheFirstKeepTheirTransaction_data()
{
    QTest::addColumn<First>("first");
    QTest::addColumn<QList<qint64>>("kept");
    QTest::newRow("first gives up before sending") << First::GivesUpBeforeSending << QList<qint64>{2, 4};
    QTest::newRow("first gives up after its write") << First::GivesUpAfterItsWrite << QList<qint64>{2, 4};
    QTest::newRow("first succeeds") << First::Succeeds << QList<qint64>{1, 2, 4};
}

void TestRoundOpenings::theUnitsAfterTheFirstKeepTheirTransaction()
{
    QFETCH(First, first);
    QFETCH(QList<qint64>, kept);
    GroupCommit commit(m_data->settings());
    QVERIFY(commit.start().ok());
    // The first round holds the writer while the next four units queue up behind it, so that they share a round.
    std::atomic<bool> holding{false};
    auto held = commit.runAsync(
        [&holding](Database &) -> domain::Result<bool> {
            holding = true;
            QThread::msleep(300);
            return true;
        },
        [] {});
    QVERIFY(QTest::qWaitFor([&] { return holding.load(); }, 5000));
    qint64 seen = -1;
    auto opening = commit.runAsync(
        [first, &seen](Database &db) -> domain::Result<bool> {
            if (first == First::GivesUpBeforeSending)
                return domain::makeError(domain::ErrorCode::InternalError, u"gives up before any statement"_s);
            auto rows = countRows(db);
            if (!rows)
                return rows.error();
            seen = rows.value();
            if (auto inserted = insertRow(db, 1); !inserted)
                return inserted;
            if (first == First::GivesUpAfterItsWrite)
                return domain::makeError(domain::ErrorCode::InternalError, u"gives up after writing row 1"_s);
            return true;
        },
        [] {}, GroupCommit::Opening::Pipelined);
    auto second = commit.runAsync([](Database &db) { return insertRow(db, 2); }, [] {});
    // Undone alone: outside a transaction its row would stay.
    auto third = commit.runAsync(
        [](Database &db) -> domain::Result<bool> {
            if (auto inserted = insertRow(db, 3); !inserted)
                return inserted;
            return domain::makeError(domain::ErrorCode::InternalError, u"gives up after writing row 3"_s);
        },
        [] {});
    auto fourth = commit.runAsync([](Database &db) { return insertRow(db, 4); }, [] {});
    QVERIFY(held.get().ok());
    const auto openingResult = opening.get();
    QCOMPARE(openingResult.ok(), first == First::Succeeds);
    const auto secondResult = second.get();
    QVERIFY2(secondResult.ok(), qPrintable(secondResult.ok() ? QString() : secondResult.error().message()));
    QVERIFY(!third.get().ok());
    const auto fourthResult = fourth.get();
    QVERIFY2(fourthResult.ok(), qPrintable(fourthResult.ok() ? QString() : fourthResult.error().message()));
    QCOMPARE(commit.rounds(), quint64(2)); // the four shared one round
    commit.stop();
    if (first != First::GivesUpBeforeSending)
        QCOMPARE(seen, qint64(0)); // what was committed before the round: nothing
    QSqlQuery q(m_data->db().connection());
    QVERIFY(q.exec(u"SELECT k FROM scratch ORDER BY k"_s));
    QList<qint64> keys;
    while (q.next())
        keys.append(q.value(0).toLongLong());
    QCOMPARE(keys, kept);
}

QTEST_GUILESS_MAIN(TestRoundOpenings)
#include "TestRoundOpenings.moc"
