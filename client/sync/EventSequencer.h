// The order keeper of the sync engine: events from PUB and from FetchEvents pages go in, in any order and with
// repeats; out comes one contiguous run from the last delivered sequence on. It also decides what to fetch: the
// catch-up pages (pipelined) and the repair of gaps that PUB left, without asking twice for a range that is already
// on its way. Plain logic on the loop's thread: no sockets, no Qt objects.
#pragma once

#include "domain/Events.h"

#include <QList>
#include <chrono>
#include <map>
#include <optional>
#include <vector>

namespace clinicflow::client::sync {

using Clock = std::chrono::steady_clock;

struct FetchRange
{
    quint64 after = 0;
    quint32 limit = 0;
};

class EventSequencer
{
public:
    EventSequencer(std::chrono::milliseconds gapWait, quint32 pageLimit, std::size_t maxBuffered = 200000);

    // Forgets everything (buffer, heads, fetches) and continues after `lastDelivered`.
    void reset(quint64 lastDelivered);
    // A snapshot reflects `sequence`: continue after it, keeping buffered events beyond it.
    void rebase(quint64 sequence, QList<domain::Event> &out);

    quint64 lastDelivered() const { return m_lastDelivered; }
    quint64 knownHead() const { return std::max(m_knownHead, m_lastDelivered); }
    std::size_t buffered() const { return m_buffer.size(); }
    bool isBuffered(quint64 sequence) const { return m_buffer.contains(sequence); }

    // One event, from either socket. nullopt marks a sequence that exists but could not be read: it is passed over
    // so that the stream does not stall on it. Whatever became deliverable is appended to `out`, in order.
    void add(quint64 sequence, std::optional<domain::Event> event, QList<domain::Event> &out);
    // The server's head as some message told it. Confirmed heads (Welcome, EventBatch, Heartbeat: nothing can be
    // in flight before them) are fetched at once; others (a Pong, an Applied, an event beyond a hole) only when
    // nothing filled the gap within gapWait.
    void noteHead(quint64 head, bool confirmed);

    // The next FetchEvents to send, or nothing when (last delivered, head] is covered by fetches on their way.
    std::optional<FetchRange> nextFetch(Clock::time_point now);
    void fetchSent(quint64 requestId, FetchRange range, Clock::time_point now);
    // A page arrived for requestId (after its events were added): the range is no longer outstanding, and the page
    // size adapts to what fits in one message.
    void fetchAnswered(quint64 requestId, int events, bool more);
    // A page the server will not send now (RATE_LIMITED): nextFetch() offers its range again.
    void fetchRefused(quint64 requestId);
    // Fetches unanswered for longer than timeout are forgotten, so nextFetch() asks again.
    void expireFetches(Clock::time_point now, std::chrono::milliseconds timeout);
    void forgetFetches() { m_inFlight.clear(); }
    int fetchesInFlight() const { return int(m_inFlight.size()); }

    // Fetching, or behind a confirmed head.
    bool catchingUp() const { return !m_inFlight.empty() || m_lastDelivered < m_fetchHead; }

private:
    struct InFlight
    {
        quint64 requestId = 0;
        FetchRange range;
        Clock::time_point sentAt;
    };
    void deliver(std::optional<domain::Event> &&event, QList<domain::Event> &out);
    void drain(QList<domain::Event> &out);
    quint64 coveredUpTo() const;

    std::map<quint64, std::optional<domain::Event>> m_buffer; // above last delivered + 1
    std::vector<InFlight> m_inFlight;
    quint64 m_lastDelivered = 0;
    quint64 m_knownHead = 0; // the highest sequence anything mentioned
    quint64 m_fetchHead = 0; // the head fetches go up to
    std::optional<Clock::time_point> m_gapSince;
    quint64 m_gapFrom = 0; // last delivered when the gap was noticed: progress restarts the wait
    std::chrono::milliseconds m_gapWait;
    quint32 m_maxPage;
    quint32 m_pageLimit;
    std::size_t m_maxBuffered;
};

} // namespace clinicflow::client::sync
