// The sync engine's view of the outbox: every command not yet answered, in the order it was given, with when it was
// last sent and under which request id. A command leaves only with its answer (Applied, Rejected, or an Error that
// resending would not cure), so nothing is lost to a dropped reply; resending is safe because the server
// deduplicates by command id. Plain logic on the loop's thread.
#pragma once

#include "ClientTypes.h"

#include <QHash>
#include <chrono>
#include <map>
#include <optional>
#include <vector>

namespace clinicflow::client::sync {

class CommandTracker
{
public:
    using Clock = std::chrono::steady_clock;

    struct Entry
    {
        OutgoingCommand command;
        quint64 requestId = 0; // of the last Submit; 0 while not sent in this session
        std::optional<Clock::time_point> sentAt;
        bool queued = false;         // the server said Queued: its answer may take a while
        bool queuedReported = false; // commandQueued is emitted once
        int sessionRefusals = 0;     // "say hello first" answers: a lost session, unless it keeps happening
        std::optional<Clock::time_point> notBefore; // the server said when to send it again (RATE_LIMITED)
    };

    // False when the command id is already tracked.
    bool add(OutgoingCommand command);
    bool contains(const QUuid &commandId) const { return m_index.contains(commandId); }
    bool isEmpty() const { return m_entries.empty(); }
    int size() const { return int(m_entries.size()); }

    // The commands to send now, in order: those not sent in this session, then those unanswered for longer than
    // their timeout (queued ones wait longer: the worker may just be busy or down).
    std::vector<QUuid> due(Clock::time_point now, std::chrono::milliseconds timeout,
                           std::chrono::milliseconds queuedTimeout) const;
    const Entry *find(const QUuid &commandId) const;
    void markSent(const QUuid &commandId, quint64 requestId, Clock::time_point now);
    // Send again on the next occasion after the timeout (e.g. the server was draining), or not before `notBefore`
    // when the server said when (RATE_LIMITED's retry_after_ms).
    void markRetryLater(const QUuid &commandId, std::optional<Clock::time_point> notBefore = std::nullopt);
    // A new session (Welcome): everything is sent again, in order.
    void resetSession();
    // True the first time the command is reported queued.
    bool markQueued(const QUuid &commandId);
    int noteSessionRefusal(const QUuid &commandId);
    // The command answered: it leaves the tracker. Nothing when it was not tracked (e.g. another station's).
    std::optional<OutgoingCommand> take(const QUuid &commandId);
    // The command whose last Submit had this request id; null when none.
    QUuid commandOfRequest(quint64 requestId) const { return m_byRequest.value(requestId); }

private:
    Entry *entry(const QUuid &commandId);
    std::map<quint64, Entry> m_entries; // by arrival order
    QHash<QUuid, quint64> m_index;
    QHash<quint64, QUuid> m_byRequest;
    quint64 m_nextOrder = 0;
};

} // namespace clinicflow::client::sync
