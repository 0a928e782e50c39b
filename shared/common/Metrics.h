// Prometheus metrics: counters, gauges and fixed-bucket histograms with labels, in a thread-safe registry that renders
// the text exposition format (version 0.0.4) for GET /metrics.
//
// Register once and keep the reference: registration takes a mutex, updates are lock-free atomics. A series lives as
// long as its registry. Label values carry ids, codes and module names, never patient data (ARCHITECTURE §7).
#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QString>
#include <atomic>
#include <memory>
#include <utility>
#include <vector>

namespace clinicflow::common {

// Label name and value pairs; the registry sorts them by name, so the order given does not matter.
using Labels = QList<std::pair<QString, QString>>;

// A monotonically increasing count (…_total).
class Counter final
{
public:
    Counter() = default;
    void inc(quint64 amount = 1) noexcept { m_value.fetch_add(amount, std::memory_order_relaxed); }
    quint64 value() const noexcept { return m_value.load(std::memory_order_relaxed); }

private:
    Q_DISABLE_COPY_MOVE(Counter)
    std::atomic<quint64> m_value{0};
};

// A value that goes up and down (queue depth, connected stations, worker up = 1).
class Gauge final
{
public:
    Gauge() = default;
    void set(double value) noexcept { m_value.store(value, std::memory_order_relaxed); }
    void inc(double amount = 1) noexcept { m_value.fetch_add(amount, std::memory_order_relaxed); }
    void dec(double amount = 1) noexcept { m_value.fetch_sub(amount, std::memory_order_relaxed); }
    double value() const noexcept { return m_value.load(std::memory_order_relaxed); }

private:
    Q_DISABLE_COPY_MOVE(Gauge)
    std::atomic<double> m_value{0};
};

// Observations counted into fixed upper bounds (le), plus their sum and count. A scrape that races observations may
// see a count one ahead of the buckets; Prometheus tolerates that.
class Histogram final
{
public:
    explicit Histogram(QList<double> upperBounds); // sorted ascending, +Inf implied
    void observe(double value) noexcept;

    const QList<double> &upperBounds() const { return m_bounds; }
    QList<quint64> cumulativeCounts() const; // one per bound, then +Inf
    double sum() const noexcept { return m_sum.load(std::memory_order_relaxed); }
    quint64 count() const noexcept { return m_count.load(std::memory_order_relaxed); }

private:
    Q_DISABLE_COPY_MOVE(Histogram)
    QList<double> m_bounds;
    std::unique_ptr<std::atomic<quint64>[]> m_buckets; // non-cumulative, size m_bounds.size() + 1
    std::atomic<double> m_sum{0};
    std::atomic<quint64> m_count{0};
};

class Metrics final
{
public:
    Metrics();
    ~Metrics();

    // A process-wide registry for code that has no registry handed to it.
    static Metrics &global();

    // The series of that name and labels, created on first use. A name is one kind with one help text (the first
    // registration's); asking for it as another kind, or with an invalid metric or label name, logs an error and
    // returns a detached series that is never rendered, so a mistake cannot crash a worker.
    Counter &counter(const QString &name, const QString &help, const Labels &labels = {});
    Gauge &gauge(const QString &name, const QString &help, const Labels &labels = {});
    Histogram &histogram(const QString &name, const QString &help, const Labels &labels = {},
                         const QList<double> &upperBounds = defaultBuckets());

    // Seconds: 5 ms … 10 s, Prometheus' usual latency buckets.
    static QList<double> defaultBuckets();

    // Every family sorted by name, its series sorted by labels: "# HELP", "# TYPE", then the samples.
    QByteArray prometheusText() const;

    static bool isValidMetricName(const QString &name);
    static bool isValidLabelName(const QString &name);
    static QString escapeLabelValue(const QString &value); // \ " and newline
    static QString escapeHelp(const QString &help);        // \ and newline
    static QString formatValue(double value);              // shortest round-trip, +Inf, -Inf, NaN

private:
    Q_DISABLE_COPY_MOVE(Metrics)
    enum class Kind
    {
        Counter,
        Gauge,
        Histogram
    };
    struct Series;
    struct Family;
    Series &series(Kind kind, const QString &name, const QString &help, const Labels &labels,
                   const QList<double> &upperBounds);

    mutable QMutex m_mutex;
    std::vector<std::unique_ptr<Family>> m_families;
    std::vector<std::unique_ptr<Family>> m_rejected; // detached series handed out for invalid registrations
};

} // namespace clinicflow::common
