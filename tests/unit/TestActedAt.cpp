// The window of a command's time (domain/ActedAt.h): days of offline work stay valid, a clock a little ahead is
// forgiven, and a time of 1970 or of next year is refused with a reason a person can act on, whatever int64 the
// wire carried.
#include "domain/ActedAt.h"
#include "domain/StatusView.h"

#include <QTest>
#include <limits>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace {
constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kDay = 24 * 60 * kMinute;
constexpr qint64 kNow = 1709631667123; // 2024-03-05T09:41:07.123Z
} // namespace

class TestActedAt : public QObject
{
    Q_OBJECT

private slots:
    void window_data();
    void window();
    void detailSaysWhy();
    void waitsAreNeverAbsurd();
};

void TestActedAt::window_data()
{
    QTest::addColumn<qint64>("actedAt");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<bool>("accepted");
    const qint64 max = std::numeric_limits<qint64>::max();
    const qint64 min = std::numeric_limits<qint64>::min();
    QTest::newRow("now") << kNow << kNow << true;
    QTest::newRow("a weekend offline") << kNow - 3 * kDay << kNow << true;
    QTest::newRow("29 days offline") << kNow - 29 * kDay << kNow << true;
    QTest::newRow("exactly 30 days") << kNow - kActedAtMaxAgeMs << kNow << true;
    QTest::newRow("30 days and 1 ms") << kNow - kActedAtMaxAgeMs - 1 << kNow << false;
    QTest::newRow("one day after the epoch") << kDay << kNow << false;
    QTest::newRow("before the epoch") << -kDay << kNow << false;
    QTest::newRow("int64 min") << min << kNow << false;
    QTest::newRow("clock 9 minutes ahead") << kNow + 9 * kMinute << kNow << true;
    QTest::newRow("exactly 10 minutes ahead") << kNow + kActedAtMaxAheadMs << kNow << true;
    QTest::newRow("10 minutes and 1 ms ahead") << kNow + kActedAtMaxAheadMs + 1 << kNow << false;
    QTest::newRow("next year") << kNow + 365 * kDay << kNow << false;
    QTest::newRow("int64 max") << max << kNow << false;
    QTest::newRow("int64 max, server at min") << max << min << false;
    QTest::newRow("int64 min, server at max") << min << max << false;
    QTest::newRow("absent (proto3's 0)") << qint64(0) << kNow << true;
}

void TestActedAt::window()
{
    QFETCH(qint64, actedAt);
    QFETCH(qint64, now);
    QFETCH(bool, accepted);
    const Result<bool> checked = checkActedAt(actedAt, now);
    QCOMPARE(checked.ok(), accepted);
    if (!accepted)
        QCOMPARE(checked.code(), ErrorCode::ActedAtOutOfRange);
}

void TestActedAt::detailSaysWhy()
{
    const Result<bool> old = checkActedAt(kDay, kNow);
    QVERIFY(!old.ok());
    QVERIFY2(old.error().detail.contains(u"54 years before the server's time"_s), qPrintable(old.error().detail));
    QVERIFY2(old.error().message().contains(u"station's clock"_s), qPrintable(old.error().message()));
    const Result<bool> ahead = checkActedAt(kNow + 3 * 60 * kMinute, kNow);
    QVERIFY(!ahead.ok());
    QVERIFY2(ahead.error().detail.contains(u"3 hours after the server's time"_s), qPrintable(ahead.error().detail));
    QCOMPARE(QString::fromLatin1(errorName(ErrorCode::ActedAtOutOfRange)), u"acted_at_out_of_range"_s);
    QCOMPARE(int(ErrorCode::ActedAtOutOfRange), 114);
    QCOMPARE(int(ErrorCode::InvalidCharacters), 113);
}

// Times a server kept before the rule (a registration "at" 1970-01-02): no wait of decades, and a doctor's action
// stamped before the registration (another station's clock behind) is no negative wait.
void TestActedAt::waitsAreNeverAbsurd()
{
    VisitStatus v;
    v.receivedAt = QDateTime::fromMSecsSinceEpoch(kDay, Qt::UTC);
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(kNow, Qt::UTC);
    QCOMPARE(v.waitingSeconds(now), kActedAtMaxAgeMs / 1000);
    v.receivedAt = now;
    v.seenAt = now.addSecs(-600);
    QCOMPARE(v.waitingSeconds(now), 0);
    v.seenAt = now.addSecs(300);
    QCOMPARE(v.waitingSeconds(now.addSecs(9999)), 300);
}

QTEST_GUILESS_MAIN(TestActedAt)
#include "TestActedAt.moc"
