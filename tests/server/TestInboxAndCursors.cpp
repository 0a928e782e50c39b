// Inbox and Cursors, the storage under every worker (ARCHITECTURE §4), on SQLite and on PostgreSQL
// (TestInboxAndCursors.postgresql): a stored command is pending until resolved, once; stations take turns in the
// queue; a command's record keeps its outcome; a cursor starts at 0, moves only with its transaction, and each
// consumer has its own. Under them, a BatchStatement writes many rows in few statements, all of them in order.
#include "TempDatabase.h"
#include "domain/Ids.h"
#include "gateway/RemoteOutcomes.h"
#include "storage/BatchStatement.h"
#include "storage/Cursors.h"
#include "storage/Inbox.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

class TestInboxAndCursors : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void aStoredCommandIsPendingUntilResolved();
    void aCommandIsResolvedOnce();
    void aBatchIsResolvedOnce();
    void resolutionsAreNumberedInTheOrderTheyCommit();
    void aGatewayReadsWhatOtherProcessesResolvedOnce();
    void aLookReadsABacklogLongerThanAPage();
    void stationsTakeTurns();
    void aRejectionKeepsItsCodeAndDetail();
    void cursorsStartAtZeroAndMoveWithTheirTransaction();
    void manyRowsTakeFewStatements();

private:
    // Stores a command for `station` in its own transaction; its id.
    QUuid store(Inbox &inbox, const QString &station, qint64 receivedAtMs = 1000);

    std::unique_ptr<TempDatabase> m_data;
};

void TestInboxAndCursors::init()
{
    m_data = std::make_unique<TempDatabase>();
    QVERIFY2(m_data->open(), qPrintable(m_data->error()));
}

QUuid TestInboxAndCursors::store(Inbox &inbox, const QString &station, qint64 receivedAtMs)
{
    const QUuid id = domain::newId();
    WriteTransaction tx(m_data->db());
    const auto stored =
        inbox.enqueue(id, station, u"RegisterVisit"_s, QByteArray("payload"), QByteArray("fp"), receivedAtMs, 900);
    if (!stored || !tx.commit())
        qWarning().noquote() << "cannot store:" << (stored ? u"commit failed"_s : stored.error().message());
    return id;
}

void TestInboxAndCursors::aStoredCommandIsPendingUntilResolved()
{
    Inbox inbox(m_data->db(), domain::BoundedContext::Reception);
    const QUuid id = store(inbox, u"A"_s, 1234);
    auto depth = inbox.depth();
    QVERIFY(depth.ok());
    QCOMPARE(depth.value(), 1);
    auto pending = inbox.pending(10);
    QVERIFY2(pending.ok(), qPrintable(pending.ok() ? QString() : pending.error().message()));
    QCOMPARE(pending->size(), std::size_t(1));
    const InboxCommand command = pending->front();
    QCOMPARE(command.commandId, id);
    QCOMPARE(command.station, u"A"_s);
    QCOMPARE(command.receivedAtMs, 1234);
    QCOMPARE(command.actedAtMs, 900);
    QCOMPARE(command.payload, QByteArray("payload"));

    WriteTransaction tx(m_data->db());
    QVERIFY(inbox.markApplied(command.position, 7, 9, 2000).ok());
    QVERIFY(tx.commit().ok());
    QCOMPARE(inbox.depth().value(), 0);
    QVERIFY(inbox.pending(10)->empty());
    auto record = inbox.find(id);
    QVERIFY(record.ok() && record->has_value());
    QCOMPARE((*record)->state, CommandState::Applied);
    QCOMPARE((*record)->station, u"A"_s);
    QCOMPARE((*record)->firstSequence, 7ull);
    QCOMPARE((*record)->lastSequence, 9ull);
    QCOMPARE((*record)->fingerprint, QByteArray("fp"));
    QVERIFY(!inbox.find(domain::newId())->has_value());
}

// A second resolution (a second worker of the context, which the module locks prevent) fails and changes nothing.
void TestInboxAndCursors::aCommandIsResolvedOnce()
{
    Inbox inbox(m_data->db(), domain::BoundedContext::Diagnosis);
    const QUuid id = store(inbox, u"DOC1"_s);
    const qint64 position = inbox.pending(1)->front().position;
    {
        WriteTransaction tx(m_data->db());
        QVERIFY(inbox.markApplied(position, 3, 3, 2000).ok());
        QVERIFY(tx.commit().ok());
    }
    WriteTransaction tx(m_data->db());
    auto again = inbox.markRejected(position, domain::makeError(domain::ErrorCode::InternalError, u"late"_s), 3000);
    QVERIFY(!again.ok());
    QVERIFY2(again.error().message().contains(u"resolved elsewhere"_s), qPrintable(again.error().message()));
    tx.rollback();
    auto found = inbox.find(id);
    QVERIFY(found.ok() && found->has_value());
    QCOMPARE((**found).state, CommandState::Applied);
}

// Many commands marked applied in one statement: one already resolved fails the batch, which changes nothing.
void TestInboxAndCursors::aBatchIsResolvedOnce()
{
    Inbox inbox(m_data->db(), domain::BoundedContext::Diagnosis);
    for (int i = 0; i < 5; ++i)
        store(inbox, u"DOC1"_s);
    const auto pending = inbox.pending(10).value();
    {
        WriteTransaction tx(m_data->db());
        QVERIFY(inbox.markApplied(pending.at(2).position, 1, 1, 2000).ok());
        QVERIFY(tx.commit().ok());
    }
    std::vector<Inbox::Applied> all;
    for (std::size_t i = 0; i < pending.size(); ++i)
        all.push_back(Inbox::Applied{pending[i].position, 10 + i, 10 + i});
    {
        WriteTransaction tx(m_data->db());
        auto again = inbox.markApplied(all, 3000);
        QVERIFY(!again.ok());
        QVERIFY2(again.error().message().contains(u"resolved elsewhere"_s), qPrintable(again.error().message()));
        tx.rollback();
    }
    QCOMPARE(inbox.depth().value(), 4);
    all.erase(all.begin() + 2);
    WriteTransaction tx(m_data->db());
    auto marked = inbox.markApplied(all, 3000);
    QVERIFY2(marked.ok(), qPrintable(marked.ok() ? QString() : marked.error().message()));
    QVERIFY(tx.commit().ok());
    QCOMPARE(inbox.depth().value(), 0);
    for (const Inbox::Applied &a : all) {
        const auto record = inbox.find(pending.at(std::size_t(a.firstSequence - 10)).commandId).value();
        QVERIFY(record.has_value());
        QCOMPARE(record->state, CommandState::Applied);
        QCOMPARE(record->firstSequence, a.firstSequence);
        QCOMPARE(record->lastSequence, a.lastSequence);
    }
}

// A gateway in another process reads the outcomes after the last it saw (RemoteOutcomes): each resolution has a
// number, rising in the order they commit, whether applied alone, applied in a batch or rejected, and a worker that
// starts again continues after the last committed one.
void TestInboxAndCursors::resolutionsAreNumberedInTheOrderTheyCommit()
{
    auto inbox = std::make_unique<Inbox>(m_data->db(), domain::BoundedContext::Examination);
    QList<QUuid> ids;
    for (int i = 0; i < 6; ++i)
        ids.append(store(*inbox, u"EX1"_s));
    const auto pending = inbox->pending(10).value();
    {
        WriteTransaction tx(m_data->db());
        QVERIFY(inbox->markRejected(pending.at(3).position,
                                    domain::makeError(domain::ErrorCode::UnknownExaminationCode), 2000));
        QVERIFY(inbox->markApplied({{pending.at(1).position, 5, 5}, {pending.at(0).position, 6, 7}}, 2000));
        QVERIFY(tx.commit().ok());
    }
    {
        WriteTransaction tx(m_data->db()); // rolled back: its number is not reused by anyone waiting for it
        QVERIFY(inbox->markApplied(pending.at(5).position, 8, 8, 2500));
        tx.rollback();
    }
    inbox = std::make_unique<Inbox>(m_data->db(), domain::BoundedContext::Examination); // the worker starts again
    {
        WriteTransaction tx(m_data->db());
        QVERIFY(inbox->markApplied(pending.at(4).position, 9, 9, 3000));
        QVERIFY(tx.commit().ok());
    }
    QSqlQuery q(m_data->db().connection());
    QVERIFY(q.exec(u"SELECT command_id FROM examination_inbox WHERE resolution IS NOT NULL ORDER BY resolution"_s));
    QList<QUuid> order;
    while (q.next())
        order.append(domain::idFromString(q.value(0).toString()));
    QCOMPARE(order, QList<QUuid>({ids.at(3), ids.at(1), ids.at(0), ids.at(4)}));
    QVERIFY(q.exec(u"SELECT MAX(resolution) FROM examination_inbox"_s) && q.next());
    QCOMPARE(q.value(0).toLongLong(), 4);
}

// The gateway's look at what workers elsewhere resolved: each outcome once, those of the contexts it runs itself
// never (their workers post them), only what came after the last look, and nothing from before it started.
void TestInboxAndCursors::aGatewayReadsWhatOtherProcessesResolvedOnce()
{
    Inbox reception(m_data->db(), domain::BoundedContext::Reception);
    Inbox diagnosis(m_data->db(), domain::BoundedContext::Diagnosis);
    Inbox examination(m_data->db(), domain::BoundedContext::Examination);
    const auto resolveAll = [this](Inbox &inbox, qint64 sequence) {
        const auto pending = inbox.pending(100).value();
        WriteTransaction tx(m_data->db());
        for (const InboxCommand &c : pending) {
            if (!inbox.markApplied(c.position, quint64(sequence), quint64(sequence), 2000))
                return false;
            ++sequence;
        }
        return tx.commit().ok();
    };
    store(reception, u"A"_s);
    QVERIFY(resolveAll(reception, 1)); // before the gateway started: answered from the inbox on a resend
    RemoteOutcomes remote(m_data->db());
    QVERIFY(remote.start().ok());
    const std::array<bool, 3> local{false, false, true}; // examination's worker runs in the gateway's process
    const QUuid r1 = store(reception, u"A"_s), r2 = store(reception, u"A"_s);
    const QUuid d1 = store(diagnosis, u"D1"_s);
    store(examination, u"X1"_s);
    QVERIFY(resolveAll(reception, 10) && resolveAll(diagnosis, 20) && resolveAll(examination, 30));
    std::vector<Outcome> outcomes;
    QVERIFY(remote.resolvedElsewhere(local, outcomes).ok());
    QList<QUuid> read;
    for (const Outcome &o : outcomes) {
        QVERIFY(o.applied);
        read.append(o.commandId);
    }
    QCOMPARE(read, (QList<QUuid>{r1, r2, d1})); // each context's in its order
    outcomes.clear();
    QVERIFY(remote.resolvedElsewhere(local, outcomes).ok());
    QVERIFY(outcomes.empty());
    const QUuid d2 = store(diagnosis, u"D1"_s);
    QVERIFY(resolveAll(diagnosis, 40));
    QVERIFY(remote.resolvedElsewhere(local, outcomes).ok());
    QCOMPARE(outcomes.size(), std::size_t(1));
    QCOMPARE(outcomes.front().commandId, d2);
    QCOMPARE(outcomes.front().firstSequence, quint64(40));
}

// A gateway that looks after a burst (or after a pause) finds more resolutions than one read takes (1,024): one look
// reads them all, in order, and the next finds none.
void TestInboxAndCursors::aLookReadsABacklogLongerThanAPage()
{
    Inbox diagnosis(m_data->db(), domain::BoundedContext::Diagnosis);
    RemoteOutcomes remote(m_data->db());
    QVERIFY(remote.start().ok());
    constexpr int kCommands = 1030;
    QList<QUuid> stored;
    {
        WriteTransaction tx(m_data->db());
        for (int i = 0; i < kCommands; ++i) {
            stored.append(domain::newId());
            QVERIFY(diagnosis.enqueue(stored.back(), u"D1"_s, u"StartConsultation"_s, QByteArray("payload"),
                                      QByteArray("fp"), 1000 + i, 900));
        }
        QVERIFY(tx.commit().ok());
    }
    {
        const auto pending = diagnosis.pending(2 * kCommands);
        QVERIFY(pending.ok());
        QCOMPARE(pending->size(), std::size_t(kCommands));
        std::vector<Inbox::Applied> applied;
        for (const InboxCommand &c : pending.value())
            applied.push_back({c.position, quint64(applied.size() + 1), quint64(applied.size() + 1)});
        WriteTransaction tx(m_data->db());
        QVERIFY(diagnosis.markApplied(applied, 2000));
        QVERIFY(tx.commit().ok());
    }
    std::vector<Outcome> outcomes;
    QVERIFY(remote.resolvedElsewhere({false, false, false}, outcomes).ok());
    QCOMPARE(outcomes.size(), std::size_t(kCommands));
    QList<QUuid> read;
    for (const Outcome &o : outcomes)
        read.append(o.commandId);
    QCOMPARE(read, stored); // one station's commands, applied in the order they came
    QCOMPARE(outcomes.back().lastSequence, quint64(kCommands));
    outcomes.clear();
    QVERIFY(remote.resolvedElsewhere({false, false, false}, outcomes).ok());
    QVERIFY(outcomes.empty());
}

// A station with a backlog delays another's next command by one turn, not by its whole backlog.
void TestInboxAndCursors::stationsTakeTurns()
{
    Inbox inbox(m_data->db(), domain::BoundedContext::Reception);
    QList<QUuid> fromA;
    for (int i = 0; i < 5; ++i)
        fromA.append(store(inbox, u"A"_s));
    const QUuid fromB = store(inbox, u"B"_s);
    auto pending = inbox.pending(10);
    QVERIFY(pending.ok());
    QCOMPARE(pending->size(), std::size_t(6));
    QCOMPARE(pending->at(0).commandId, fromA.at(0));
    QCOMPARE(pending->at(1).commandId, fromB);
    for (int i = 1; i < 5; ++i)
        QCOMPARE(pending->at(std::size_t(i) + 1).commandId, fromA.at(i)); // A's own order is kept
    QCOMPARE(inbox.pending(2)->size(), std::size_t(2));
}

void TestInboxAndCursors::aRejectionKeepsItsCodeAndDetail()
{
    Inbox inbox(m_data->db(), domain::BoundedContext::Examination);
    const QUuid id = store(inbox, u"LAB1"_s);
    WriteTransaction tx(m_data->db());
    QVERIFY(inbox
                .markRejected(inbox.pending(1)->front().position,
                              domain::makeError(domain::ErrorCode::ExaminationNotFound, u"no such examination"_s), 2000)
                .ok());
    QVERIFY(tx.commit().ok());
    auto found = inbox.find(id);
    QVERIFY(found.ok() && found->has_value());
    const CommandRecord record = **found;
    QCOMPARE(record.state, CommandState::Rejected);
    QCOMPARE(record.rejection.code, domain::ErrorCode::ExaminationNotFound);
    QCOMPARE(record.rejection.detail, u"no such examination"_s);
    QCOMPARE(record.firstSequence, 0ull);
}

void TestInboxAndCursors::cursorsStartAtZeroAndMoveWithTheirTransaction()
{
    Cursors cursors(m_data->db());
    QCOMPARE(cursors.get(u"reception"_s).value(), 0ull);
    {
        WriteTransaction tx(m_data->db());
        QVERIFY(cursors.set(u"reception"_s, 42).ok());
        tx.rollback(); // the effects it guarded are undone: so is the cursor
    }
    QCOMPARE(cursors.get(u"reception"_s).value(), 0ull);
    {
        WriteTransaction tx(m_data->db());
        QVERIFY(cursors.set(u"reception"_s, 42).ok());
        QVERIFY(cursors.set(u"diagnosis"_s, 7).ok());
        QVERIFY(tx.commit().ok());
    }
    {
        WriteTransaction tx(m_data->db());
        QVERIFY(cursors.set(u"reception"_s, 50).ok());
        QVERIFY(tx.commit().ok());
    }
    // Through another connection: what a restarted worker would read.
    auto other = Database::open(m_data->settings(), u"cursor-reader"_s);
    QVERIFY(other.ok());
    Cursors reread(*other.value());
    QCOMPARE(reread.get(u"reception"_s).value(), 50ull);
    QCOMPARE(reread.get(u"diagnosis"_s).value(), 7ull);
    QCOMPARE(reread.get(u"examination"_s).value(), 0ull);
}

// A unit's rows go in statements of 32, 16 and 8 rows, then the rest in one: a handful of rows (what a unit has at
// half load) is one round trip, not one per row. Every row arrives, in order, whatever the count.
void TestInboxAndCursors::manyRowsTakeFewStatements()
{
    QVERIFY(m_data->exec(u"CREATE TABLE batch_rows (n INTEGER PRIMARY KEY, label TEXT NOT NULL)"_s));
    BatchStatement insert(m_data->db(), u"INSERT INTO batch_rows (n, label) VALUES %1"_s, u"(?, ?)"_s);
    const QMap<int, int> statementsFor{{1, 1},  {3, 1},  {7, 1},  {8, 1},  {9, 2},  {15, 2}, {16, 1},
                                       {23, 2}, {31, 3}, {32, 1}, {33, 2}, {63, 4}, {100, 4}};
    int next = 0;
    for (auto it = statementsFor.cbegin(); it != statementsFor.cend(); ++it) {
        int statements = 0;
        const int first = next;
        WriteTransaction tx(m_data->db());
        const auto written = insert.run(
            std::size_t(it.key()),
            [first](std::size_t i) -> QVariantList {
                return {first + int(i), u"row %1"_s.arg(first + int(i))};
            },
            "writing rows",
            [&statements](SqlRows &, std::size_t) -> domain::Result<bool> {
                ++statements;
                return true;
            });
        QVERIFY2(written.ok(), qPrintable(written ? QString() : written.error().message()));
        QVERIFY(tx.commit().ok());
        QVERIFY2(statements == it.value(),
                 qPrintable(u"%1 rows took %2 statements, not %3"_s.arg(it.key()).arg(statements).arg(it.value())));
        next += it.key();
    }
    QSqlQuery q(m_data->db().connection());
    QVERIFY(q.exec(u"SELECT n, label FROM batch_rows ORDER BY n"_s));
    int expected = 0;
    while (q.next()) {
        QCOMPARE(q.value(0).toInt(), expected);
        QCOMPARE(q.value(1).toString(), u"row %1"_s.arg(expected));
        ++expected;
    }
    QCOMPARE(expected, next);
}

QTEST_GUILESS_MAIN(TestInboxAndCursors)
#include "TestInboxAndCursors.moc"
