// The HTTP socket side's refusal log (server/http/HttpRefusals): a flood of refusals gives one line, then one summary
// per window with their count, even when a refusal comes at a window's very end; every refusal is counted in the
// metric; and a peer's bytes are quoted cut and cleaned.
#include "common/Metrics.h"
#include "http/HttpRefusals.h"

#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using clinicflow::server::HttpRefusals;

namespace {

QStringList g_lines; // the clinicflow.http messages seen

void collect(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    if (context.category && QByteArray(context.category) == "clinicflow.http")
        g_lines << message;
}

quint64 refusedTotal(const QString &reason)
{
    return clinicflow::common::Metrics::global()
        .counter(u"clinicflow_http_refused_total"_s, {}, {{u"reason"_s, reason}})
        .value();
}

} // namespace

class TestHttpRefusals : public QObject
{
    Q_OBJECT

    QtMessageHandler m_previous = nullptr;

private slots:
    void init()
    {
        g_lines.clear();
        m_previous = qInstallMessageHandler(collect);
    }
    void cleanup() { qInstallMessageHandler(m_previous); }

    void aFloodGivesOneLineAndOneSummaryPerWindow()
    {
        const quint64 before = refusedTotal(u"flood"_s);
        HttpRefusals refusals(nullptr, 300);
        for (int i = 0; i < 50; ++i)
            refusals.refused(u"flood"_s, u"HTTP: refused number %1"_s.arg(i));
        QCOMPARE(g_lines, QStringList{u"HTTP: refused number 0"_s});
        QCOMPARE(refusedTotal(u"flood"_s), before + 50);
        QTRY_COMPARE_WITH_TIMEOUT(g_lines.size(), 2, 2000);
        QVERIFY2(g_lines.at(1).startsWith(u"HTTP: 49 more refused (flood) in the last"_s), qPrintable(g_lines.at(1)));
        // Another reason has a window of its own.
        refusals.refused(u"other"_s, u"HTTP: another kind"_s);
        QCOMPARE(g_lines.size(), 3);
    }

    // The window ends while the event loop is busy: the refusal that comes then joins the summary, and no count is
    // lost.
    void aRefusalAtTheWindowsEndJoinsTheSummary()
    {
        HttpRefusals refusals(nullptr, 200);
        for (int i = 0; i < 5; ++i)
            refusals.refused(u"edge"_s, u"HTTP: edge %1"_s.arg(i));
        QThread::msleep(300); // no event loop: the summary's timer cannot fire
        refusals.refused(u"edge"_s, u"HTTP: edge late"_s);
        QCOMPARE(g_lines.size(), 2);
        QVERIFY2(g_lines.at(1).startsWith(u"HTTP: 5 more refused (edge)"_s), qPrintable(g_lines.at(1)));
        QTest::qWait(300);
        QCOMPARE(g_lines.size(), 2); // nothing left to say
    }

    void pendingSummariesAreWrittenAtTheEnd()
    {
        {
            HttpRefusals refusals(nullptr, 60'000);
            refusals.refused(u"end"_s, u"HTTP: first"_s);
            refusals.refused(u"end"_s, u"HTTP: second"_s);
        }
        QCOMPARE(g_lines.size(), 2);
        QVERIFY(g_lines.at(1).startsWith(u"HTTP: 1 more refused (end)"_s));
    }

    void quotesAreCutAndCleaned()
    {
        const std::string huge(16 * 1024 * 1024, 'a');
        const QString quoted = HttpRefusals::quote(huge);
        QCOMPARE(quoted.size(), HttpRefusals::kMaxQuoted + 1);
        QVERIFY(quoted.endsWith(u'…'));
        QCOMPARE(HttpRefusals::quote(std::string_view("a\x01\r\n\x7f\xc3\xa9z")), u"a??????z"_s);
        QCOMPARE(HttpRefusals::quote(u"x\ny"_s), u"x?y"_s);
        QCOMPARE(HttpRefusals::quote(QString(500, u'b')).size(), HttpRefusals::kMaxQuoted + 1);
    }
};

QTEST_GUILESS_MAIN(TestHttpRefusals)
#include "TestHttpRefusals.moc"
