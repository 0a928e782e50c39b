// The metrics registry and its Prometheus text rendering (see Metrics.h).
#include "Metrics.h"

#include "Logging.h"

#include <QLocale>
#include <QMutexLocker>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace clinicflow::common {

struct Metrics::Series
{
    QString labels; // rendered and sorted, without braces: a="1",b="2"
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
};

struct Metrics::Family
{
    QString name;
    QString help;
    Kind kind = Kind::Counter;
    QList<double> bounds;
    std::vector<std::unique_ptr<Series>> series;
};

namespace {

bool isNameChar(QChar c, bool first, bool colonAllowed)
{
    const char16_t u = c.unicode();
    const bool letter = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || u == u'_';
    const bool digit = u >= u'0' && u <= u'9';
    return letter || (colonAllowed && u == u':') || (!first && digit);
}

QString typeName(int kind)
{
    static const QString names[] = {u"counter"_s, u"gauge"_s, u"histogram"_s};
    return names[kind];
}

QString withLabel(const QString &labels, const QString &extra)
{
    if (labels.isEmpty())
        return u'{' + extra + u'}';
    return u'{' + labels + u',' + extra + u'}';
}

} // namespace

namespace {

QList<double> normalisedBounds(QList<double> bounds)
{
    bounds.removeIf([](double bound) { return std::isnan(bound) || std::isinf(bound); });
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    return bounds;
}

} // namespace

Histogram::Histogram(QList<double> upperBounds)
    : m_bounds(normalisedBounds(std::move(upperBounds)))
    , m_buckets(std::make_unique<std::atomic<quint64>[]>(size_t(m_bounds.size()) + 1))
{
}

void Histogram::observe(double value) noexcept
{
    const auto it = std::lower_bound(m_bounds.cbegin(), m_bounds.cend(), value); // first bound >= value: le
    m_buckets[size_t(it - m_bounds.cbegin())].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(value, std::memory_order_relaxed);
    m_count.fetch_add(1, std::memory_order_relaxed);
}

QList<quint64> Histogram::cumulativeCounts() const
{
    QList<quint64> counts;
    quint64 running = 0;
    for (qsizetype i = 0; i <= m_bounds.size(); ++i) {
        running += m_buckets[size_t(i)].load(std::memory_order_relaxed);
        counts.append(running);
    }
    return counts;
}

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics &Metrics::global()
{
    static Metrics instance;
    return instance;
}

QList<double> Metrics::defaultBuckets()
{
    return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

bool Metrics::isValidMetricName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (!isNameChar(name.at(i), i == 0, true))
            return false;
    }
    return true;
}

bool Metrics::isValidLabelName(const QString &name)
{
    if (name.isEmpty() || name.startsWith(u"__"_s))
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (!isNameChar(name.at(i), i == 0, false))
            return false;
    }
    return true;
}

QString Metrics::escapeLabelValue(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (c == u'\\')
            out += u"\\\\"_s;
        else if (c == u'"')
            out += u"\\\""_s;
        else if (c == u'\n')
            out += u"\\n"_s;
        else
            out += c;
    }
    return out;
}

QString Metrics::escapeHelp(const QString &help)
{
    QString out = help;
    out.replace(u'\\', u"\\\\"_s);
    out.replace(u'\n', u"\\n"_s);
    return out;
}

QString Metrics::formatValue(double value)
{
    if (std::isnan(value))
        return u"NaN"_s;
    if (std::isinf(value))
        return value > 0 ? u"+Inf"_s : u"-Inf"_s;
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

Counter &Metrics::counter(const QString &name, const QString &help, const Labels &labels)
{
    return *series(Kind::Counter, name, help, labels, {}).counter;
}

Gauge &Metrics::gauge(const QString &name, const QString &help, const Labels &labels)
{
    return *series(Kind::Gauge, name, help, labels, {}).gauge;
}

Histogram &Metrics::histogram(const QString &name, const QString &help, const Labels &labels,
                              const QList<double> &upperBounds)
{
    return *series(Kind::Histogram, name, help, labels, upperBounds).histogram;
}

Metrics::Series &Metrics::series(Kind kind, const QString &name, const QString &help, const Labels &labels,
                                 const QList<double> &upperBounds)
{
    Labels sorted = labels;
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QString problem;
    if (!isValidMetricName(name))
        problem = u"invalid metric name"_s;
    QStringList parts;
    for (qsizetype i = 0; i < sorted.size() && problem.isEmpty(); ++i) {
        const auto &[label, value] = sorted.at(i);
        if (!isValidLabelName(label) || (kind == Kind::Histogram && label == u"le"_s))
            problem = u"invalid label name '%1'"_s.arg(label);
        else if (i > 0 && sorted.at(i - 1).first == label)
            problem = u"duplicate label '%1'"_s.arg(label);
        parts << u"%1=\"%2\""_s.arg(label, escapeLabelValue(value));
    }
    const QString labelText = parts.join(u',');

    auto makeSeries = [&](Family &family) -> Series & {
        auto created = std::make_unique<Series>();
        created->labels = labelText;
        if (kind == Kind::Counter)
            created->counter = std::make_unique<Counter>();
        else if (kind == Kind::Gauge)
            created->gauge = std::make_unique<Gauge>();
        else
            created->histogram = std::make_unique<Histogram>(family.bounds);
        family.series.push_back(std::move(created));
        return *family.series.back();
    };

    QMutexLocker lock(&m_mutex);
    Family *family = nullptr;
    for (const auto &candidate : m_families) {
        if (candidate->name == name) {
            family = candidate.get();
            break;
        }
    }
    if (family && family->kind != kind)
        problem = u"already registered as a %1"_s.arg(typeName(int(family->kind)));

    if (!problem.isEmpty()) {
        qCCritical(lcMetrics).noquote() << u"metric %1: %2; the series is not exported"_s.arg(name, problem);
        auto detached = std::make_unique<Family>();
        detached->kind = kind;
        detached->bounds = upperBounds;
        Series &created = makeSeries(*detached);
        m_rejected.push_back(std::move(detached));
        return created;
    }

    if (!family) {
        auto created = std::make_unique<Family>();
        created->name = name;
        created->help = help;
        created->kind = kind;
        created->bounds = upperBounds;
        family = created.get();
        m_families.push_back(std::move(created));
    }
    for (const auto &existing : family->series) {
        if (existing->labels == labelText)
            return *existing;
    }
    return makeSeries(*family);
}

QByteArray Metrics::prometheusText() const
{
    QMutexLocker lock(&m_mutex);
    std::vector<const Family *> families;
    for (const auto &family : m_families)
        families.push_back(family.get());
    std::sort(families.begin(), families.end(), [](const Family *a, const Family *b) { return a->name < b->name; });

    QString out;
    for (const Family *family : families) {
        out += u"# HELP %1 %2\n"_s.arg(family->name, escapeHelp(family->help));
        out += u"# TYPE %1 %2\n"_s.arg(family->name, typeName(int(family->kind)));
        std::vector<const Series *> series;
        for (const auto &s : family->series)
            series.push_back(s.get());
        std::sort(series.begin(), series.end(), [](const Series *a, const Series *b) { return a->labels < b->labels; });
        for (const Series *s : series) {
            const QString braces = s->labels.isEmpty() ? QString() : u'{' + s->labels + u'}';
            if (s->counter) {
                out += u"%1%2 %3\n"_s.arg(family->name, braces, QString::number(s->counter->value()));
            } else if (s->gauge) {
                out += u"%1%2 %3\n"_s.arg(family->name, braces, formatValue(s->gauge->value()));
            } else {
                const Histogram &h = *s->histogram;
                const QList<quint64> counts = h.cumulativeCounts();
                for (qsizetype i = 0; i < counts.size(); ++i) {
                    const QString le = i < h.upperBounds().size() ? formatValue(h.upperBounds().at(i)) : u"+Inf"_s;
                    out += u"%1_bucket%2 %3\n"_s.arg(family->name, withLabel(s->labels, u"le=\"%1\""_s.arg(le)),
                                                     QString::number(counts.at(i)));
                }
                out += u"%1_sum%2 %3\n"_s.arg(family->name, braces, formatValue(h.sum()));
                out += u"%1_count%2 %3\n"_s.arg(family->name, braces, QString::number(h.count()));
            }
        }
    }
    return out.toUtf8();
}

} // namespace clinicflow::common
