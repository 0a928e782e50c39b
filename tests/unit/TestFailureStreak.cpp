// A step that keeps failing is said once and summed up, not written at every try: what an operator reads while the
// database's disk is full, and when it is freed.
#include "common/FailureStreak.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using clinicflow::common::durationText;
using clinicflow::common::FailureStreak;

class TestFailureStreak : public QObject
{
    Q_OBJECT
private slots:
    void theFirstFailureIsWrittenThenALineAMinute()
    {
        FailureStreak streak;
        const auto t0 = FailureStreak::Clock::time_point{} + 1h;
        const QString full = u"COMMIT: database or disk is full"_s;
        const auto first = streak.failed(full, t0);
        QVERIFY(first.write);
        QCOMPARE(first.suffix(), QString());
        // Twenty tries a second for a minute: none written.
        int written = 0;
        for (int i = 1; i < 1200; ++i)
            written += streak.failed(full, t0 + i * 50ms).write ? 1 : 0;
        QCOMPARE(written, 0);
        const auto reminder = streak.failed(full, t0 + 60s);
        QVERIFY(reminder.write);
        QCOMPARE(reminder.notWritten, 1199);
        QCOMPARE(reminder.suffix(), u" (1,199 more failures not written)"_s);
        QVERIFY(!streak.failed(full, t0 + 61s).write);
        QCOMPARE(streak.failures(), 1202);
    }

    void aNewReasonIsWrittenAtOnce()
    {
        FailureStreak streak;
        const auto t0 = FailureStreak::Clock::time_point{} + 1h;
        QVERIFY(streak.failed(u"disk full"_s, t0).write);
        QVERIFY(!streak.failed(u"disk full"_s, t0 + 1s).write);
        const auto other = streak.failed(u"connection lost"_s, t0 + 2s);
        QVERIFY(other.write);
        QCOMPARE(other.notWritten, 1);
        QCOMPARE(other.suffix(), u" (1 more failure not written)"_s);
    }

    void aFailureWithNoReasonIsCountedNotWritten()
    {
        // The writer's rounds whose units report their own failures count in its streak, and write nothing.
        FailureStreak streak;
        const auto t0 = FailureStreak::Clock::time_point{} + 1h;
        QVERIFY(!streak.failed(QString(), t0).write);
        QVERIFY(!streak.failed(QString(), t0 + 1s).write);
        const auto first = streak.failed(u"disk full"_s, t0 + 2s);
        QVERIFY(first.write);
        QCOMPARE(first.suffix(), u" (2 more failures not written)"_s);
        QVERIFY(!streak.failed(QString(), t0 + 3s).write);
        QVERIFY(!streak.failed(u"disk full"_s, t0 + 4s).write); // the last line's reason: counted
        QCOMPARE(streak.failures(), 5);
    }

    void aSuccessEndsTheStreakWithItsLength()
    {
        FailureStreak streak;
        const auto t0 = FailureStreak::Clock::time_point{} + 1h;
        QVERIFY(!streak.succeeded(t0).has_value()); // nothing was failing: nothing to say
        for (int i = 0; i < 1234; ++i)
            streak.failed(u"disk full"_s, t0 + i * 250ms);
        const auto ended = streak.succeeded(t0 + 5min + 3s);
        QVERIFY(ended.has_value());
        QCOMPARE(ended->failures, 1234);
        QCOMPARE(ended->text(), u"after 1,234 failures in 5 min 3 s"_s);
        QVERIFY(!streak.succeeded(t0 + 6min).has_value());
        QCOMPARE(streak.pause(), 0ms);
        // The next streak is new: its first failure is written, whatever the last reason was.
        QVERIFY(streak.failed(u"disk full"_s, t0 + 6min).write);
    }

    void thePauseGrowsWithTheStreak()
    {
        FailureStreak streak;
        QCOMPARE(streak.pause(), 0ms);
        QList<qint64> pauses;
        for (int i = 0; i < 7; ++i) {
            streak.failed(u"disk full"_s);
            pauses.append(streak.pause().count());
        }
        QCOMPARE(pauses, (QList<qint64>{500, 1000, 2000, 4000, 5000, 5000, 5000}));
        FailureStreak quick(FailureStreak::Settings{50ms, 1000ms, 60s});
        quick.failed(u"x"_s);
        QCOMPARE(quick.pause(), 50ms);
    }

    void durations()
    {
        QCOMPARE(durationText(0ms), u"0 s"_s);
        QCOMPARE(durationText(1499ms), u"1 s"_s);
        QCOMPARE(durationText(59s), u"59 s"_s);
        QCOMPARE(durationText(60s), u"1 min 0 s"_s);
        QCOMPARE(durationText(2h + 5min + 10s), u"2 h 5 min"_s);
    }
};

QTEST_GUILESS_MAIN(TestFailureStreak)
#include "TestFailureStreak.moc"
