// The sync engine's plain logic without sockets: the ordering buffer (contiguous out, whatever comes in), the fetch
// planning (pipelined pages, holes left by cut pages, gaps only after the wait) and the outbox tracker (order,
// resend timing, one report per command).
#include "sync/CommandTracker.h"
#include "sync/EventSequencer.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace clinicflow;
using namespace clinicflow::client::sync;

namespace {

domain::Event makeEvent(quint64 sequence)
{
    domain::Event e;
    e.sequence = sequence;
    e.id = QUuid::createUuid();
    return e;
}

QList<quint64> sequences(const QList<domain::Event> &events)
{
    QList<quint64> out;
    for (const domain::Event &e : events)
        out << e.sequence;
    return out;
}

} // namespace

class TestSyncSequencer : public QObject
{
    Q_OBJECT

private slots:
    void deliversContiguouslyWhateverTheOrder()
    {
        EventSequencer s(200ms, 5000);
        s.reset(10);
        QList<domain::Event> out;
        for (quint64 seq : {13, 12, 9, 10, 14, 12})
            s.add(seq, makeEvent(seq), out);
        QVERIFY(out.isEmpty());
        QCOMPARE(s.buffered(), std::size_t(3));
        s.add(11, makeEvent(11), out);
        QCOMPARE(sequences(out), (QList<quint64>{11, 12, 13, 14}));
        s.add(15, std::nullopt, out); // unreadable: passed over, not delivered
        s.add(16, makeEvent(16), out);
        QCOMPARE(sequences(out), (QList<quint64>{11, 12, 13, 14, 16}));
        QCOMPARE(s.lastDelivered(), quint64(16));
        s.rebase(20, out);
        s.add(19, makeEvent(19), out);
        s.add(21, makeEvent(21), out);
        QCOMPARE(out.back().sequence, quint64(21));
    }

    void pipelinesPagesAndFillsCutOnes()
    {
        const auto t0 = Clock::now();
        EventSequencer s(200ms, 5000);
        s.reset(0);
        s.noteHead(12000, true);
        const auto first = s.nextFetch(t0);
        QVERIFY(first);
        QCOMPARE(first->after, quint64(0));
        QCOMPARE(first->limit, quint32(5000));
        s.fetchSent(1, *first, t0);
        const auto second = s.nextFetch(t0);
        QVERIFY(second);
        QCOMPARE(second->after, quint64(5000));
        s.fetchSent(2, *second, t0);

        // The server cut the first page at 3000 events: the hole up to 5000 is asked for, and pages shrink.
        QList<domain::Event> out;
        for (quint64 seq = 1; seq <= 3000; ++seq)
            s.add(seq, makeEvent(seq), out);
        s.fetchAnswered(1, 3000, true);
        const auto hole = s.nextFetch(t0);
        QVERIFY(hole);
        QCOMPARE(hole->after, quint64(3000));
        QCOMPARE(hole->limit, quint32(2000));
        s.fetchSent(3, *hole, t0);
        QCOMPARE(s.nextFetch(t0)->after, quint64(10000)); // after both on their way; the caller caps how many
        QVERIFY(s.catchingUp());

        // Unanswered fetches expire and are asked again.
        s.expireFetches(t0 + 4s, 3s);
        QCOMPARE(s.fetchesInFlight(), 0);
        const auto again = s.nextFetch(t0 + 4s);
        QVERIFY(again);
        QCOMPARE(again->after, quint64(3000));
        QVERIFY(again->limit < 3000); // the adapted page size
    }

    void gapsWaitUnlessConfirmed()
    {
        const auto t0 = Clock::now();
        EventSequencer s(200ms, 5000);
        s.reset(5);
        QList<domain::Event> out;
        s.add(8, makeEvent(8), out); // 6 and 7 may still be on their way
        QVERIFY(!s.nextFetch(t0));
        QVERIFY(!s.nextFetch(t0 + 100ms));
        const auto fetch = s.nextFetch(t0 + 250ms);
        QVERIFY(fetch);
        QCOMPARE(fetch->after, quint64(5));
        QCOMPARE(fetch->limit, quint32(2)); // stops where the buffered event is

        EventSequencer h(200ms, 5000);
        h.reset(5);
        h.noteHead(9, true); // a heartbeat: nothing can still be in flight
        const auto now = h.nextFetch(t0);
        QVERIFY(now);
        QCOMPARE(now->limit, quint32(4));
    }

    void trackerKeepsOrderAndReportsOnce()
    {
        CommandTracker t;
        std::vector<QUuid> ids;
        for (int i = 0; i < 3; ++i) {
            client::OutgoingCommand c;
            c.meta.commandId = QUuid::createUuid();
            ids.push_back(c.meta.commandId);
            QVERIFY(t.add(c));
            QVERIFY(!t.add(c));
        }
        const auto t0 = CommandTracker::Clock::now();
        QCOMPARE(t.due(t0, 3s, 15s), ids);
        for (std::size_t i = 0; i < ids.size(); ++i)
            t.markSent(ids[i], 100 + i, t0);
        QVERIFY(t.due(t0 + 1s, 3s, 15s).empty());
        QVERIFY(t.markQueued(ids[0]));
        QVERIFY(!t.markQueued(ids[0]));
        QCOMPARE(t.due(t0 + 4s, 3s, 15s), (std::vector<QUuid>{ids[1], ids[2]})); // queued ones wait longer
        QCOMPARE(t.commandOfRequest(101), ids[1]);
        QVERIFY(t.take(ids[1]));
        QVERIFY(!t.take(ids[1]));
        QVERIFY(t.commandOfRequest(101).isNull());
        t.resetSession();
        QCOMPARE(t.due(t0, 3s, 15s), (std::vector<QUuid>{ids[0], ids[2]}));
    }
};

QTEST_GUILESS_MAIN(TestSyncSequencer)
#include "TestSyncSequencer.moc"
