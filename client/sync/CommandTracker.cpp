// Unanswered commands of the sync engine, in order (see CommandTracker.h).
#include "CommandTracker.h"

namespace clinicflow::client::sync {

bool CommandTracker::add(OutgoingCommand command)
{
    const QUuid id = command.meta.commandId;
    if (id.isNull() || m_index.contains(id))
        return false;
    const quint64 order = m_nextOrder++;
    m_index.insert(id, order);
    Entry entry;
    entry.command = std::move(command);
    m_entries.emplace(order, std::move(entry));
    return true;
}

std::vector<QUuid> CommandTracker::due(Clock::time_point now, std::chrono::milliseconds timeout,
                                       std::chrono::milliseconds queuedTimeout) const
{
    std::vector<QUuid> ids;
    for (const auto &[order, e] : m_entries) {
        if (e.notBefore && now < *e.notBefore)
            continue;
        if (!e.sentAt || e.notBefore || now - *e.sentAt >= (e.queued ? queuedTimeout : timeout))
            ids.push_back(e.command.meta.commandId);
    }
    return ids;
}

CommandTracker::Entry *CommandTracker::entry(const QUuid &commandId)
{
    auto it = m_index.constFind(commandId);
    if (it == m_index.cend())
        return nullptr;
    return &m_entries.at(it.value());
}

const CommandTracker::Entry *CommandTracker::find(const QUuid &commandId) const
{
    auto it = m_index.constFind(commandId);
    return it == m_index.cend() ? nullptr : &m_entries.at(it.value());
}

void CommandTracker::markSent(const QUuid &commandId, quint64 requestId, Clock::time_point now)
{
    Entry *e = entry(commandId);
    if (!e)
        return;
    m_byRequest.remove(e->requestId);
    e->requestId = requestId;
    e->sentAt = now;
    e->notBefore.reset();
    m_byRequest.insert(requestId, commandId);
}

void CommandTracker::markRetryLater(const QUuid &commandId, std::optional<Clock::time_point> notBefore)
{
    // sentAt stays: the timeout counts from the refused send, so a draining server is not hammered.
    auto it = m_index.constFind(commandId);
    if (it == m_index.cend())
        return;
    auto from = m_entries.find(it.value());
    from->second.queued = false;
    if (!notBefore)
        return;
    // The commands after it wait too, so they reach the server in the order they were given (the server holds a
    // station back until the same time, so those already on their way are refused alike).
    for (auto e = from; e != m_entries.end(); ++e) {
        if (e == from || !e->second.queued)
            e->second.notBefore = std::max(e->second.notBefore.value_or(*notBefore), *notBefore);
    }
}

void CommandTracker::resetSession()
{
    m_byRequest.clear();
    for (auto &[order, e] : m_entries) {
        e.requestId = 0;
        e.sentAt.reset();
    }
}

bool CommandTracker::markQueued(const QUuid &commandId)
{
    Entry *e = entry(commandId);
    if (!e)
        return false;
    e->queued = true;
    const bool first = !e->queuedReported;
    e->queuedReported = true;
    return first;
}

int CommandTracker::noteSessionRefusal(const QUuid &commandId)
{
    Entry *e = entry(commandId);
    return e ? ++e->sessionRefusals : 0;
}

std::optional<OutgoingCommand> CommandTracker::take(const QUuid &commandId)
{
    auto it = m_index.find(commandId);
    if (it == m_index.end())
        return std::nullopt;
    auto node = m_entries.extract(it.value());
    m_index.erase(it);
    m_byRequest.remove(node.mapped().requestId);
    return std::move(node.mapped().command);
}

} // namespace clinicflow::client::sync
