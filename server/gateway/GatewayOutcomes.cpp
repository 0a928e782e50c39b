// Outcomes for the stations waiting on them (ARCHITECTURE §7): those this process's workers resolved (the bus), and
// those resolved by workers in other processes, looked for when the change feed tells of their commits. Each is
// published, and answered to the station that waits for it; the time each answer took is kept for /metrics.
#include "GatewayLoop.h"
#include "common/Logging.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcGateway;

namespace clinicflow::server {
namespace {

// How often outcomes resolved by another process's workers are looked for (their own poll is 100 ms).
constexpr std::chrono::milliseconds kRemoteSweepEvery{50};
// With a change feed (ChangeFeed.h), a safety net only; when told of a commit elsewhere, at once, but no more often
// than this: at full load the other processes commit hundreds of rounds a second, and one look covers them all.
constexpr std::chrono::milliseconds kRemoteSweepFallback{1000};
constexpr std::chrono::milliseconds kRemoteSweepCoalesce{5};

} // namespace

common::Counter &Gateway::Loop::commandCounter(const char *result)
{
    thread_local QHash<const char *, common::Counter *> cache;
    common::Counter *&counter = cache[result];
    if (!counter)
        counter = &common::Metrics::global().counter(u"clinicflow_commands_total"_s, u"Commands by result"_s,
                                                     {{u"result"_s, QString::fromLatin1(result)}});
    return *counter;
}

void Gateway::Loop::observeAnswer(const char *answer, std::chrono::steady_clock::time_point arrived)
{
    // Fine around the 20 ms a station's command should take at most (issue #14), coarse beyond.
    static const QList<double> kBuckets{0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04,
                                        0.05,  0.075, 0.1,   0.15, 0.25,  0.5,  1,     2.5,  5};
    thread_local QHash<const char *, common::Histogram *> cache;
    common::Histogram *&histogram = cache[answer];
    if (!histogram)
        histogram = &common::Metrics::global().histogram(
            u"clinicflow_gateway_answer_seconds"_s,
            u"Seconds from a command's arrival at the gateway to its answer: Queued, or its outcome"_s,
            {{u"answer"_s, QString::fromLatin1(answer)}}, kBuckets);
    histogram->observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - arrived).count());
}

void Gateway::Loop::deliverOutcomes()
{
    for (const Outcome &o : m_bus.takeOutcomes())
        deliver(o);
}

void Gateway::Loop::sweepRemoteOutcomes()
{
    const auto &local = m_settings.localContexts;
    if (std::all_of(local.begin(), local.end(), [](bool here) { return here; }))
        return;
    const auto now = std::chrono::steady_clock::now();
    // Another process's commit (the change feed) calls for a look soon; without a feed, every 50 ms.
    m_sweepOwed = m_bus.takeOtherProcessCommitted() || m_sweepOwed;
    const auto every = m_bus.hasCrossProcessFeed() ? kRemoteSweepFallback : kRemoteSweepEvery;
    const auto since = now - m_lastSweep;
    if (since < every && (!m_sweepOwed || since < kRemoteSweepCoalesce))
        return;
    m_sweepOwed = false;
    m_lastSweep = now;
    // Every outcome resolved elsewhere is delivered (published, and answered if a station waits), as a local
    // worker's are.
    std::vector<Outcome> resolved;
    const auto read = m_remote->resolvedElsewhere(local, resolved);
    for (const Outcome &o : resolved)
        deliver(o);
    if (!read)
        qCWarning(lcGateway).noquote() << read.error().message();
    // A command that was still pending when its resend was looked up, and resolved before it was waited for, is
    // behind the range read: commands waiting longer than the fallback period are looked up by id.
    if (now - m_lastStragglerLook < kRemoteSweepFallback)
        return;
    m_lastStragglerLook = now;
    std::array<QList<QUuid>, 3> stragglers;
    for (auto it = m_waiting.cbegin(); it != m_waiting.cend(); ++it) {
        if (!local[std::size_t(it->context)] && now - it->since >= kRemoteSweepFallback)
            stragglers[std::size_t(it->context)].append(it.key());
    }
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination}) {
        if (stragglers[std::size_t(context)].isEmpty())
            continue;
        auto outcomes = m_remote->resolved(context, stragglers[std::size_t(context)]);
        if (!outcomes) {
            qCWarning(lcGateway).noquote() << outcomes.error().message();
            continue;
        }
        for (const Outcome &o : outcomes.value())
            deliver(o);
    }
}

void Gateway::Loop::deliver(const Outcome &o)
{
    commandCounter(o.applied ? "applied" : "rejected").inc();
    const CommandRecord record{o.commandId, o.station,       o.applied ? CommandState::Applied : CommandState::Rejected,
                               o.rejection, o.firstSequence, o.lastSequence,
                               {}};
    v1::Envelope envelope = outcomeEnvelope(record);
    // Published too: a station whose direct answer was lost still hears it.
    publish(envelope);
    if (auto waiting = m_waiting.find(o.commandId); waiting != m_waiting.end()) {
        const Waiting answered = waiting.value();
        m_waiting.erase(waiting);
        m_limits.commandAnswered(answered.station);
        reply(zmq::message_t(answered.peer.constData(), std::size_t(answered.peer.size())), envelope, 0);
        observeAnswer("outcome", answered.arrived);
        return;
    }
    // Resolved before this loop noted that its station waits (a worker in another process can be that quick while a
    // turn here is long): kept a moment for claimEarlyOutcome.
    m_early.insert(o.commandId, Early{envelope, std::chrono::steady_clock::now()});
}

void Gateway::Loop::claimEarlyOutcome(const QUuid &commandId)
{
    const auto early = m_early.constFind(commandId);
    if (early == m_early.cend())
        return;
    if (auto waiting = m_waiting.find(commandId); waiting != m_waiting.end()) {
        const Waiting answered = waiting.value();
        m_waiting.erase(waiting);
        m_limits.commandAnswered(answered.station);
        v1::Envelope envelope = early->envelope;
        reply(zmq::message_t(answered.peer.constData(), std::size_t(answered.peer.size())), envelope, 0);
        observeAnswer("outcome", answered.arrived);
    }
    m_early.erase(early);
}

} // namespace clinicflow::server
