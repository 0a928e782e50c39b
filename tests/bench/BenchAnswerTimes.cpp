#include "BenchAnswerTimes.h"

#include <QRegularExpression>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace clinicflow::bench {

std::optional<AnswerBuckets> answerBuckets(const QByteArray &metrics, const char *answer)
{
    // clinicflow_gateway_answer_seconds_bucket{answer="outcome",le="0.02"} 1234
    const QRegularExpression bucket(
        u"^clinicflow_gateway_answer_seconds_bucket\\{answer=\"%1\",le=\"([^\"]+)\"\\} (\\S+)$"_s.arg(
            QString::fromLatin1(answer)),
        QRegularExpression::MultilineOption);
    AnswerBuckets buckets;
    for (auto it = bucket.globalMatch(QString::fromUtf8(metrics)); it.hasNext();) {
        const auto match = it.next();
        const QString le = match.captured(1);
        buckets.bounds.append(le == u"+Inf"_s ? std::numeric_limits<double>::infinity() : le.toDouble());
        buckets.cumulative.append(match.captured(2).toDouble());
    }
    if (buckets.bounds.isEmpty())
        return std::nullopt;
    return buckets;
}

std::optional<AnswerTimes> answerTimesBetween(const std::optional<AnswerBuckets> &before, const AnswerBuckets &after)
{
    QList<double> counts = after.cumulative;
    if (before) {
        if (before->bounds != after.bounds)
            return std::nullopt;
        for (qsizetype i = 0; i < counts.size(); ++i)
            counts[i] -= before->cumulative.at(i);
    }
    const double total = counts.isEmpty() ? 0 : counts.back();
    if (total <= 0)
        return std::nullopt;
    const auto quantile = [&](double q) {
        const double rank = q * total;
        for (qsizetype i = 0; i < counts.size(); ++i) {
            if (counts.at(i) < rank)
                continue;
            const double upper = after.bounds.at(i);
            const double lower = i == 0 ? 0 : after.bounds.at(i - 1);
            if (std::isinf(upper))
                return lower * 1000; // beyond the last bound: the bound is all that is known
            const double below = i == 0 ? 0 : counts.at(i - 1);
            const double inBucket = counts.at(i) - below;
            return (lower + (upper - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1)) * 1000;
        }
        return 0.0;
    };
    AnswerTimes times;
    times.count = quint64(total);
    times.p50Ms = quantile(0.50);
    times.p99Ms = quantile(0.99);
    for (qsizetype i = 0; i < counts.size(); ++i) {
        if (std::abs(after.bounds.at(i) - 0.02) < 1e-9)
            times.within20Ms = counts.at(i) / total;
    }
    return times;
}

WriterRounds writerRounds(const QByteArray &metrics)
{
    const QString text = QString::fromUtf8(metrics);
    const auto sampled = [&text](const QString &name) {
        const QRegularExpression line(u"^"_s + name + u" (\\S+)$"_s, QRegularExpression::MultilineOption);
        const auto match = line.match(text);
        return match.hasMatch() ? match.captured(1).toDouble() : 0.0;
    };
    return {sampled(u"clinicflow_commit_round_seconds_count"_s), sampled(u"clinicflow_commit_round_seconds_sum"_s)};
}

} // namespace clinicflow::bench
