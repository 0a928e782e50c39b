// The server's own timings on GET /metrics, read before and after a phase. The gateway's timing of its answers
// (clinicflow_gateway_answer_seconds): from a command's arrival to its Queued answer and to its outcome, as the server
// sends them; it separates the server's share of what the stations measured from the load generator's own delays (it
// shares the server's cores here). And each process's writer: how many rounds it ran, and how busy it was.
#pragma once

#include <QByteArray>
#include <QList>
#include <optional>

namespace clinicflow::bench {

// One answer kind's histogram as scraped: the upper bounds (seconds, +Inf last) and the cumulative counts.
struct AnswerBuckets
{
    QList<double> bounds;
    QList<double> cumulative;
};
// `answer`: "queued" or "outcome". Nothing when the series is not in the text (no command answered yet).
std::optional<AnswerBuckets> answerBuckets(const QByteArray &metrics, const char *answer);

// What was observed between two scrapes: the q-quantile in milliseconds, interpolated within its bucket as
// Prometheus' histogram_quantile() does, and the share answered within `seconds` (a bucket bound).
struct AnswerTimes
{
    quint64 count = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double within20Ms = 0; // share, 0 to 1
};
std::optional<AnswerTimes> answerTimesBetween(const std::optional<AnswerBuckets> &before, const AnswerBuckets &after);

// A process's writer (clinicflow_commit_round_seconds): the rounds it ran and the seconds it spent in them so far.
// Between two scrapes over a phase: rounds a second, the average round, and the share of the phase it was busy.
struct WriterRounds
{
    double rounds = 0;
    double seconds = 0;
};
WriterRounds writerRounds(const QByteArray &metrics);

} // namespace clinicflow::bench
