// Tests of the metrics registry: the exact Prometheus text, label escaping, histograms, misuse, and concurrent
// updates that sum correctly.
#include "common/Metrics.h"

#include <QTest>
#include <QThread>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace clinicflow::common;

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void countersAndGaugesWithLabels()
    {
        Metrics metrics;
        Counter &queued = metrics.counter(u"clinicflow_commands_total"_s, u"Commands received."_s,
                                          {{u"context"_s, u"reception"_s}, {u"outcome"_s, u"queued"_s}});
        // Same labels in another order: the same series.
        Counter &same = metrics.counter(u"clinicflow_commands_total"_s, u"ignored"_s,
                                        {{u"outcome"_s, u"queued"_s}, {u"context"_s, u"reception"_s}});
        QCOMPARE(&queued, &same);
        queued.inc();
        same.inc(2);
        metrics
            .counter(u"clinicflow_commands_total"_s, {},
                     {{u"context"_s, u"diagnosis"_s}, {u"outcome"_s, u"rejected"_s}})
            .inc();
        Gauge &stations = metrics.gauge(u"clinicflow_stations_connected"_s, u"Connected stations."_s);
        stations.set(5);
        stations.dec();
        metrics
            .gauge(u"clinicflow_worker_lag_seconds"_s, u"Worker lag.\nIn seconds \\ events."_s,
                   {{u"worker"_s, u"diagnosis"_s}})
            .set(0.25);

        const QByteArray expected = "# HELP clinicflow_commands_total Commands received.\n"
                                    "# TYPE clinicflow_commands_total counter\n"
                                    "clinicflow_commands_total{context=\"diagnosis\",outcome=\"rejected\"} 1\n"
                                    "clinicflow_commands_total{context=\"reception\",outcome=\"queued\"} 3\n"
                                    "# HELP clinicflow_stations_connected Connected stations.\n"
                                    "# TYPE clinicflow_stations_connected gauge\n"
                                    "clinicflow_stations_connected 4\n"
                                    "# HELP clinicflow_worker_lag_seconds Worker lag.\\nIn seconds \\\\ events.\n"
                                    "# TYPE clinicflow_worker_lag_seconds gauge\n"
                                    "clinicflow_worker_lag_seconds{worker=\"diagnosis\"} 0.25\n";
        QCOMPARE(metrics.prometheusText(), expected);
    }

    void labelValuesAreEscaped()
    {
        Metrics metrics;
        metrics.counter(u"odd_total"_s, u"Odd labels."_s, {{u"v"_s, u"a\"b\\c\nd"_s}}).inc();
        QCOMPARE(metrics.prometheusText(), QByteArray("# HELP odd_total Odd labels.\n"
                                                      "# TYPE odd_total counter\n"
                                                      "odd_total{v=\"a\\\"b\\\\c\\nd\"} 1\n"));
    }

    void gaugeValues()
    {
        QCOMPARE(Metrics::formatValue(0), u"0"_s);
        QCOMPARE(Metrics::formatValue(-2.5), u"-2.5"_s);
        QCOMPARE(Metrics::formatValue(0.1), u"0.1"_s);
        QCOMPARE(Metrics::formatValue(std::numeric_limits<double>::infinity()), u"+Inf"_s);
        QCOMPARE(Metrics::formatValue(-std::numeric_limits<double>::infinity()), u"-Inf"_s);
        QCOMPARE(Metrics::formatValue(std::numeric_limits<double>::quiet_NaN()), u"NaN"_s);
    }

    void histogram()
    {
        Metrics metrics;
        Histogram &latency = metrics.histogram(u"clinicflow_apply_seconds"_s, u"Time to apply a command."_s,
                                               {{u"context"_s, u"examination"_s}}, {0.5, 0.125, 1});
        latency.observe(0.0625);
        latency.observe(0.125); // le is inclusive
        latency.observe(0.75);
        latency.observe(3);
        const QByteArray expected = "# HELP clinicflow_apply_seconds Time to apply a command.\n"
                                    "# TYPE clinicflow_apply_seconds histogram\n"
                                    "clinicflow_apply_seconds_bucket{context=\"examination\",le=\"0.125\"} 2\n"
                                    "clinicflow_apply_seconds_bucket{context=\"examination\",le=\"0.5\"} 2\n"
                                    "clinicflow_apply_seconds_bucket{context=\"examination\",le=\"1\"} 3\n"
                                    "clinicflow_apply_seconds_bucket{context=\"examination\",le=\"+Inf\"} 4\n"
                                    "clinicflow_apply_seconds_sum{context=\"examination\"} 3.9375\n"
                                    "clinicflow_apply_seconds_count{context=\"examination\"} 4\n";
        QCOMPARE(metrics.prometheusText(), expected);
        QCOMPARE(Metrics::defaultBuckets().size(), 11);
    }

    void misuseIsNotExported()
    {
        Metrics metrics;
        metrics.counter(u"things_total"_s, u"Things."_s).inc();
        QTest::ignoreMessage(QtCriticalMsg, "metric things_total: already registered as a counter; the series is "
                                            "not exported");
        metrics.gauge(u"things_total"_s, u"Things."_s).set(3); // still usable, never rendered
        QTest::ignoreMessage(QtCriticalMsg, "metric 1bad: invalid metric name; the series is not exported");
        metrics.counter(u"1bad"_s, {}).inc();
        QTest::ignoreMessage(QtCriticalMsg, "metric ok_total: invalid label name 'bad-label'; the series is not "
                                            "exported");
        metrics.counter(u"ok_total"_s, {}, {{u"bad-label"_s, u"x"_s}}).inc();
        QTest::ignoreMessage(QtCriticalMsg, "metric h: invalid label name 'le'; the series is not exported");
        metrics.histogram(u"h"_s, {}, {{u"le"_s, u"1"_s}}).observe(1);
        QCOMPARE(metrics.prometheusText(), QByteArray("# HELP things_total Things.\n"
                                                      "# TYPE things_total counter\n"
                                                      "things_total 1\n"));
        QVERIFY(Metrics::isValidMetricName(u"a:b_c9"_s));
        QVERIFY(!Metrics::isValidLabelName(u"__reserved"_s));
    }

    void concurrentUpdatesSum()
    {
        Metrics metrics;
        constexpr int threadCount = 8;
        constexpr int perThread = 20000;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < threadCount; ++t) {
            threads.emplace_back(QThread::create([&metrics, t] {
                // Registration races too: every thread looks the series up itself.
                Counter &total = metrics.counter(u"events_total"_s, u"Events."_s);
                Counter &mine =
                    metrics.counter(u"events_by_thread_total"_s, u"Per thread."_s, {{u"t"_s, QString::number(t % 2)}});
                Gauge &level = metrics.gauge(u"level"_s, u"Level."_s);
                Histogram &h = metrics.histogram(u"latency_seconds"_s, u"Latency."_s, {}, {1});
                for (int i = 0; i < perThread; ++i) {
                    total.inc();
                    mine.inc();
                    level.inc(1);
                    level.dec(0.5);
                    h.observe(i % 2 ? 0.5 : 2);
                }
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(60000));

        QCOMPARE(metrics.counter(u"events_total"_s, {}).value(), quint64(threadCount * perThread));
        QCOMPARE(metrics.counter(u"events_by_thread_total"_s, {}, {{u"t"_s, u"0"_s}}).value(),
                 quint64(threadCount / 2 * perThread));
        QCOMPARE(metrics.gauge(u"level"_s, {}).value(), threadCount * perThread * 0.5);
        Histogram &h = metrics.histogram(u"latency_seconds"_s, {}, {}, {1});
        QCOMPARE(h.count(), quint64(threadCount * perThread));
        QCOMPARE(h.cumulativeCounts(),
                 (QList<quint64>{quint64(threadCount * perThread / 2), quint64(threadCount * perThread)}));
        const QByteArray text = metrics.prometheusText();
        QVERIFY(text.contains("events_total 160000\n"));
        QVERIFY(text.contains("events_by_thread_total{t=\"1\"} 80000\n"));
    }

    void globalRegistry() { QCOMPARE(&Metrics::global(), &Metrics::global()); }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "TestMetrics.moc"
