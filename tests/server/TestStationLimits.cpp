// Each station's share of the gateway (StationLimits) and the summed-up warnings of a noisy peer (LogThrottle), as
// plain logic on a clock the test moves (issue #12, "Fairness" and "Logging never hurts the server").
#include "common/LogThrottle.h"
#include "gateway/StationLimits.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using clinicflow::common::LogThrottle;
using clinicflow::server::StationLimits;
using clinicflow::server::StationLimitSettings;

class TestStationLimits : public QObject
{
    Q_OBJECT

private slots:
    void aBurstIsTakenThenTheRateHolds();
    void oneStationOverItsShareLeavesTheOthersAlone();
    void pagesAreChargedByTheirBytes();
    void pendingCommandsAreCapped();
    void aStationThatIgnoresRateLimitedIsFoundOut();
    void aPeerSendingAgainAtOnceCannotStartItsCountAgain();
    void submitsBeforeHelloAreForgivenForAMoment();
    void quietStationsAreForgotten();
    void repeatedWarningsAreSummedUp();
    void peerTextIsClipped();
};

namespace {

StationLimitSettings small()
{
    StationLimitSettings s;
    s.requestsPerSecond = 10;
    s.burstSeconds = 2; // 20 requests at once
    s.pageBytesPerSecond = 1000;
    s.pageBurstBytes = 5000;
    s.pendingCommands = 3;
    s.ignoredBeforeShutOut = 5;
    s.invalidBeforeShutOut = 3;
    return s;
}

} // namespace

void TestStationLimits::aBurstIsTakenThenTheRateHolds()
{
    StationLimits limits(small());
    const auto t0 = StationLimits::Clock::time_point{} + 1h;
    for (int i = 0; i < 20; ++i)
        QVERIFY2(!limits.takeRequest(u"A"_s, 1, t0), qPrintable(QString::number(i)));
    const auto wait = limits.takeRequest(u"A"_s, 1, t0);
    QVERIFY(wait);
    QCOMPARE(wait->count(), 100); // one token at 10 per second
    // After the wait it is told, the request is taken; sooner it is not.
    QVERIFY(limits.takeRequest(u"A"_s, 1, t0 + 50ms));
    QVERIFY(!limits.takeRequest(u"A"_s, 1, t0 + 100ms));
    // Over a second, ten more and no more.
    int taken = 0;
    for (int i = 0; i < 30; ++i)
        taken += limits.takeRequest(u"A"_s, 1, t0 + 1100ms) ? 0 : 1;
    QCOMPARE(taken, 10);
}

void TestStationLimits::oneStationOverItsShareLeavesTheOthersAlone()
{
    StationLimits limits(small());
    const auto t0 = StationLimits::Clock::time_point{} + 1h;
    for (int i = 0; i < 1000; ++i)
        (void)limits.takeRequest(u"FLOOD"_s, 1, t0);
    QVERIFY(limits.takeRequest(u"FLOOD"_s, 1, t0));
    QVERIFY(!limits.takeRequest(u"DESK"_s, 1, t0));
    QVERIFY(!limits.takeRequest(u"DOCTOR"_s, 10, t0));
}

void TestStationLimits::pagesAreChargedByTheirBytes()
{
    StationLimits limits(small());
    const auto t0 = StationLimits::Clock::time_point{} + 1h;
    QVERIFY(!limits.pageAllowed(u"B"_s, t0));
    limits.chargePage(u"B"_s, 4000, t0);
    QVERIFY(!limits.pageAllowed(u"B"_s, t0)); // 1000 left
    limits.chargePage(u"B"_s, 3000, t0);      // 2000 in debt
    const auto wait = limits.pageAllowed(u"B"_s, t0);
    QVERIFY(wait);
    QCOMPARE(wait->count(), 2000);
    QVERIFY(!limits.pageAllowed(u"B"_s, t0 + 2s));
}

void TestStationLimits::pendingCommandsAreCapped()
{
    StationLimits limits(small());
    for (int i = 0; i < 3; ++i) {
        QVERIFY(limits.mayTakeCommand(u"A"_s));
        limits.commandTaken(u"A"_s);
    }
    QVERIFY(!limits.mayTakeCommand(u"A"_s));
    QVERIFY(limits.mayTakeCommand(u"B"_s));
    limits.commandAnswered(u"A"_s);
    QVERIFY(limits.mayTakeCommand(u"A"_s));
    QCOMPARE(limits.pending(u"A"_s), 2);
    limits.commandAnswered(u"Z"_s); // never taken: nothing goes below zero
    QCOMPARE(limits.pending(u"Z"_s), 0);
}

// A client that honours RATE_LIMITED sends at most what it had in flight before the answer came; one that goes on
// sending while held (or sends what cannot be read) is found out after ignoredBeforeShutOut of them in a row.
void TestStationLimits::aStationThatIgnoresRateLimitedIsFoundOut()
{
    StationLimits limits(small());
    const auto t0 = StationLimits::Clock::time_point{} + 1h;
    for (int i = 0; i < 20; ++i)
        QVERIFY(!limits.takeRequest(u"A"_s, 1, t0));
    QVERIFY(limits.takeRequest(u"A"_s, 1, t0)); // told to wait 100 ms
    // Four more in flight while the answer travelled: not yet.
    for (int i = 0; i < 4; ++i)
        QVERIFY(limits.takeRequest(u"A"_s, 1, t0 + 1ms));
    QVERIFY(!limits.ignoresRefusals(u"A"_s));
    // It waited as told: the count starts again.
    QVERIFY(!limits.takeRequest(u"A"_s, 1, t0 + 100ms));
    QVERIFY(limits.takeRequest(u"A"_s, 1, t0 + 100ms));
    for (int i = 0; i < 4; ++i)
        QVERIFY(limits.takeRequest(u"A"_s, 1, t0 + 101ms));
    QVERIFY(!limits.ignoresRefusals(u"A"_s));
    // One more while held: five in a row ignored.
    QVERIFY(limits.takeRequest(u"A"_s, 1, t0 + 102ms));
    QVERIFY(limits.ignoresRefusals(u"A"_s));
    QVERIFY(!limits.ignoresRefusals(u"B"_s)); // the others are not touched
    limits.forgive(u"A"_s);
    QVERIFY(!limits.ignoresRefusals(u"A"_s));

    // Messages that cannot be read, or break the rules the workstation checks too: three within 10 s, whatever was
    // taken between them; spread wider, they are forgiven.
    limits.noteInvalid(u"G"_s, t0);
    limits.noteInvalid(u"G"_s, t0 + 1s);
    QVERIFY(!limits.takeRequest(u"G"_s, 1, t0 + 2s));
    QVERIFY(!limits.ignoresRefusals(u"G"_s));
    limits.noteInvalid(u"G"_s, t0 + 9s);
    QVERIFY(limits.ignoresRefusals(u"G"_s));
    limits.noteInvalid(u"H"_s, t0);
    limits.noteInvalid(u"H"_s, t0 + 5s);
    limits.noteInvalid(u"H"_s, t0 + 11s); // a new window
    QVERIFY(!limits.ignoresRefusals(u"H"_s));
}

// After a restart of the server a workstation's outbox may resend many commands before its Hello is answered
// (docs/protocol.md §8): they are answered UNKNOWN_STATION and do not shut it out. A station that keeps submitting
// without a Hello past the grace is no client honouring the protocol.
// The hostile suite's registration flood: a desk sending again at once, ignoring retry_after. Were it held only
// until its next token (5 ms at 200 per second), one request taken every 5 ms would start its count again and it
// would never be found out, taking its whole share while flooding the gateway with refusals. Held at least
// shortestHold, it is found out within one hold; a client that waits as told, with a window of requests in flight
// at each refusal, keeps its whole share and is never found out.
void TestStationLimits::aPeerSendingAgainAtOnceCannotStartItsCountAgain()
{
    const StationLimitSettings settings; // the defaults: 200 per second, shut out after 1,000 ignored in a row
    const auto t0 = StationLimits::Clock::time_point{} + 1h;

    StationLimits flooded(settings);
    auto now = t0;
    int taken = 0;
    while (!flooded.ignoresRefusals(u"R901"_s) && now < t0 + 2s) {
        taken += flooded.takeRequest(u"R901"_s, 1, now) ? 0 : 1;
        now += 50us; // 20,000 requests a second
    }
    QVERIFY2(flooded.ignoresRefusals(u"R901"_s), qPrintable(u"%1 taken, not found out in 2 s"_s.arg(taken)));
    QVERIFY2(now - t0 < 200ms, qPrintable(u"found out only after %1 ms"_s.arg((now - t0) / 1ms)));
    // Its burst and what its rate refilled while it was being taken, and nothing after it.
    QVERIFY2(taken >= 2000 && taken <= 2000 + 200 / 5, qPrintable(QString::number(taken)));

    // A client that honours the wait: whatever it had in flight (up to 50) arrives after the refusal, then it waits
    // the retry_after it was told (at least 100 ms, as the workstation does) and sends again.
    StationLimits honoured(settings);
    now = t0;
    taken = 0;
    while (now < t0 + 60s) {
        const auto wait = honoured.takeRequest(u"R000"_s, 1, now);
        if (!wait) {
            ++taken;
            now += 100us;
            continue;
        }
        for (int i = 0; i < 50; ++i)
            QVERIFY(honoured.takeRequest(u"R000"_s, 1, now + 1ms));
        now += std::max<StationLimits::Wait>(*wait, 100ms);
        QVERIFY2(!honoured.ignoresRefusals(u"R000"_s), qPrintable(u"found out at %1 ms"_s.arg((now - t0) / 1ms)));
    }
    // Its burst and its rate for the minute, within a share of a hold (tokens build up while it waits).
    QVERIFY2(taken >= 2000 + 200 * 59 && taken <= 2000 + 200 * 60, qPrintable(QString::number(taken)));
}

void TestStationLimits::submitsBeforeHelloAreForgivenForAMoment()
{
    StationLimits limits(small());
    const auto t0 = StationLimits::Clock::time_point{} + 1h;
    for (int i = 0; i < 500; ++i)
        limits.noteWithoutSession(u"A"_s, t0 + std::chrono::milliseconds(i));
    QVERIFY(!limits.ignoresRefusals(u"A"_s));
    limits.sessionStarted(u"A"_s);
    // Later the connection is made again: the grace starts again from its first Submit without a session.
    const auto t1 = t0 + 1min;
    for (int i = 0; i < 100; ++i)
        limits.noteWithoutSession(u"A"_s, t1 + std::chrono::milliseconds(50 * i)); // 5 s
    QVERIFY(!limits.ignoresRefusals(u"A"_s));
    // Still no Hello 10 s on: each counts as invalid, and 3 of them within 10 s shut it out.
    const auto late = t1 + small().helloGrace + 1s;
    limits.noteWithoutSession(u"A"_s, late);
    limits.noteWithoutSession(u"A"_s, late + 1ms);
    QVERIFY(!limits.ignoresRefusals(u"A"_s));
    limits.noteWithoutSession(u"A"_s, late + 2ms);
    QVERIFY(limits.ignoresRefusals(u"A"_s));
    QVERIFY(!limits.ignoresRefusals(u"B"_s));
}

void TestStationLimits::quietStationsAreForgotten()
{
    StationLimits limits(small());
    const auto t0 = StationLimits::Clock::time_point{} + 1h;
    for (int i = 0; i < 500; ++i)
        (void)limits.takeRequest(u"S%1"_s.arg(i), 20, t0); // the whole burst
    limits.commandTaken(u"S0"_s);
    QCOMPARE(limits.size(), 500);
    limits.prune(t0 + 1s); // not full yet
    QCOMPARE(limits.size(), 500);
    limits.prune(t0 + 10s);
    QCOMPARE(limits.size(), 1); // S0 still has a command pending
}

void TestStationLimits::repeatedWarningsAreSummedUp()
{
    LogThrottle throttle(10s, 1);
    const auto t0 = LogThrottle::Clock::time_point{} + 1h;
    QVERIFY(throttle.allow(u"station X"_s, t0));
    for (int i = 0; i < 1234; ++i)
        QVERIFY(!throttle.allow(u"station X"_s, t0 + 1s));
    QVERIFY(throttle.allow(u"station Y"_s, t0 + 1s));
    QVERIFY(throttle.takeSummaries(t0 + 5s).empty()); // the window is not over
    const auto summaries = throttle.takeSummaries(t0 + 10s);
    QCOMPARE(summaries.size(), std::size_t(1));
    QCOMPARE(summaries.front().text(), u"1,234 more from station X in 10 s"_s);
    // A flood that goes on costs one summary per window; a peer gone quiet is forgotten.
    QVERIFY(!throttle.allow(u"station X"_s, t0 + 12s));
    QCOMPARE(throttle.takeSummaries(t0 + 20s).size(), std::size_t(1));
    QVERIFY(throttle.takeSummaries(t0 + 31s).empty());
    QCOMPARE(throttle.size(), 0);
    QVERIFY(throttle.allow(u"station X"_s, t0 + 32s));
    // A loop that stops writes what it held back, its window over or not, and forgets it.
    QVERIFY(!throttle.allow(u"station X"_s, t0 + 33s));
    QVERIFY(!throttle.allow(u"station X"_s, t0 + 34s));
    QVERIFY(throttle.allow(u"station Z"_s, t0 + 34s));
    const auto last = throttle.takeAll(t0 + 34500ms);
    QCOMPARE(last.size(), std::size_t(1));
    QCOMPARE(last.front().text(), u"2 more from station X in 3 s"_s);
    QCOMPARE(throttle.size(), 0);
    QVERIFY(throttle.takeAll(t0 + 35s).empty());
}

void TestStationLimits::peerTextIsClipped()
{
    const QString huge(900147, u'a');
    const QString line = clinicflow::common::clipped(huge, 64);
    QVERIFY(line.size() < 100);
    QVERIFY(line.endsWith(u"(900147 characters)"_s));
    QCOMPARE(clinicflow::common::clipped(u"a\nb\u202Ec"_s), u"a?b?c"_s);
}

QTEST_GUILESS_MAIN(TestStationLimits)
#include "TestStationLimits.moc"
