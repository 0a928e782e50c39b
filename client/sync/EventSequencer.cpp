// Ordering buffer and fetch planning of the sync engine (see EventSequencer.h).
#include "EventSequencer.h"

#include <algorithm>

namespace clinicflow::client::sync {

namespace {
constexpr quint32 kSmallestPage = 64;
}

EventSequencer::EventSequencer(std::chrono::milliseconds gapWait, quint32 pageLimit, std::size_t maxBuffered)
    : m_gapWait(gapWait)
    , m_maxPage(std::max(pageLimit, kSmallestPage))
    , m_pageLimit(m_maxPage)
    , m_maxBuffered(std::max<std::size_t>(maxBuffered, 16))
{
}

void EventSequencer::reset(quint64 lastDelivered)
{
    m_buffer.clear();
    m_inFlight.clear();
    m_lastDelivered = lastDelivered;
    m_knownHead = lastDelivered;
    m_fetchHead = lastDelivered;
    m_gapSince.reset();
}

void EventSequencer::rebase(quint64 sequence, QList<domain::Event> &out)
{
    m_lastDelivered = sequence;
    m_buffer.erase(m_buffer.begin(), m_buffer.upper_bound(sequence));
    m_knownHead = std::max(m_knownHead, sequence);
    m_fetchHead = std::max(m_fetchHead, sequence);
    m_gapSince.reset();
    drain(out);
}

void EventSequencer::add(quint64 sequence, std::optional<domain::Event> event, QList<domain::Event> &out)
{
    if (sequence <= m_lastDelivered)
        return; // delivered already: a repeat from the other socket or an overlapping page
    m_knownHead = std::max(m_knownHead, sequence);
    if (sequence == m_lastDelivered + 1) {
        deliver(std::move(event), out);
        drain(out);
        return;
    }
    if (m_buffer.size() >= m_maxBuffered) {
        // Memory stays bounded while a long gap is repaired: the highest events are the cheapest to fetch again.
        if (sequence > m_buffer.rbegin()->first)
            return;
        m_buffer.erase(std::prev(m_buffer.end()));
    }
    m_buffer.try_emplace(sequence, std::move(event));
}

void EventSequencer::deliver(std::optional<domain::Event> &&event, QList<domain::Event> &out)
{
    ++m_lastDelivered;
    if (event)
        out.append(std::move(*event));
}

void EventSequencer::drain(QList<domain::Event> &out)
{
    auto it = m_buffer.begin();
    while (it != m_buffer.end() && it->first == m_lastDelivered + 1) {
        deliver(std::move(it->second), out);
        it = m_buffer.erase(it);
    }
}

void EventSequencer::noteHead(quint64 head, bool confirmed)
{
    m_knownHead = std::max(m_knownHead, head);
    if (confirmed)
        m_fetchHead = std::max(m_fetchHead, head);
}

quint64 EventSequencer::coveredUpTo() const
{
    // From the last delivered sequence on, skip whatever is buffered or already asked for.
    quint64 covered = m_lastDelivered;
    for (bool moved = true; moved;) {
        moved = false;
        for (const InFlight &f : m_inFlight) {
            const quint64 end = f.range.after + f.range.limit;
            if (f.range.after <= covered && end > covered) {
                covered = end;
                moved = true;
            }
        }
        for (auto it = m_buffer.upper_bound(covered); it != m_buffer.end() && it->first == covered + 1; ++it) {
            covered = it->first;
            moved = true;
        }
    }
    return covered;
}

std::optional<FetchRange> EventSequencer::nextFetch(Clock::time_point now)
{
    // A head nobody confirmed becomes a target once the gap below it outlived gapWait with no progress.
    if (m_knownHead > std::max(m_fetchHead, m_lastDelivered)) {
        if (!m_gapSince || m_gapFrom != m_lastDelivered) {
            m_gapSince = now;
            m_gapFrom = m_lastDelivered;
        } else if (now - *m_gapSince >= m_gapWait) {
            m_fetchHead = m_knownHead;
            m_gapSince.reset();
        }
    } else {
        m_gapSince.reset();
    }
    if (m_lastDelivered >= m_fetchHead)
        return std::nullopt;
    const quint64 from = coveredUpTo();
    if (from >= m_fetchHead)
        return std::nullopt;
    quint64 limit = std::min<quint64>(m_pageLimit, m_fetchHead - from);
    // Stop where something else already is: a fetch on its way, or buffered events.
    for (const InFlight &f : m_inFlight) {
        if (f.range.after > from)
            limit = std::min<quint64>(limit, f.range.after - from);
    }
    if (auto it = m_buffer.upper_bound(from); it != m_buffer.end())
        limit = std::min<quint64>(limit, it->first - 1 - from);
    return FetchRange{from, quint32(std::max<quint64>(limit, 1))};
}

void EventSequencer::fetchSent(quint64 requestId, FetchRange range, Clock::time_point now)
{
    m_inFlight.push_back(InFlight{requestId, range, now});
}

void EventSequencer::fetchAnswered(quint64 requestId, int events, bool more)
{
    auto it =
        std::find_if(m_inFlight.begin(), m_inFlight.end(), [&](const InFlight &f) { return f.requestId == requestId; });
    if (it == m_inFlight.end())
        return; // expired meanwhile; its events were welcome all the same
    const quint32 asked = it->range.limit;
    m_inFlight.erase(it);
    if (!more || events <= 0)
        return;
    // The server cuts a page at its byte budget. Asking for what fits keeps pipelined pages from leaving holes;
    // growing back slowly follows the events getting smaller.
    if (quint32(events) < asked)
        m_pageLimit = std::max(kSmallestPage, quint32(events) - quint32(events) / 8);
    else if (asked == m_pageLimit)
        m_pageLimit = std::min(m_maxPage, m_pageLimit + m_pageLimit / 8);
}

void EventSequencer::fetchRefused(quint64 requestId)
{
    std::erase_if(m_inFlight, [&](const InFlight &f) { return f.requestId == requestId; });
}

void EventSequencer::expireFetches(Clock::time_point now, std::chrono::milliseconds timeout)
{
    std::erase_if(m_inFlight, [&](const InFlight &f) { return now - f.sentAt >= timeout; });
}

} // namespace clinicflow::client::sync
