// Inbox and Cursors, the storage under every worker (ARCHITECTURE §4), on SQLite and on PostgreSQL
// (TestInboxAndCursors.postgresql): a stored command is pending until resolved, once; stations take turns in the
// queue; a command's record keeps its outcome; a cursor starts at 0, moves only with its transaction, and each
// consumer has its own.
#include "TempDatabase.h"
#include "domain/Ids.h"
#include "storage/Cursors.h"
#include "storage/Inbox.h"

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
    void stationsTakeTurns();
    void aRejectionKeepsItsCodeAndDetail();
    void cursorsStartAtZeroAndMoveWithTheirTransaction();

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

QTEST_GUILESS_MAIN(TestInboxAndCursors)
#include "TestInboxAndCursors.moc"
