// The local store's in-memory replica and optimistic overlay (see ReplicaState.h).
#include "ReplicaState.h"

#include <algorithm>

namespace clinicflow::client {

using namespace domain;

const Examination *VisitState::examination(const QUuid &id) const
{
    for (const Examination &x : examinations) {
        if (x.id == id)
            return &x;
    }
    return nullptr;
}

void VisitState::fold(const Event &event)
{
    reception = reception::evolve(reception.take(), event);
    diagnosis = diagnosis::evolve(diagnosis.take(), event);
    if (eventContext(event.payload) == BoundedContext::Examination) {
        const QUuid id = eventAggregateId(event.payload);
        auto it =
            std::find_if(examinations.begin(), examinations.end(), [&id](const Examination &x) { return x.id == id; });
        if (it != examinations.end()) {
            *it = *examination::evolve(std::move(*it), event);
        } else if (auto created = examination::evolve(std::nullopt, event)) {
            examinations.append(std::move(*created));
        }
    }
    project(row, event);
}

Result<Events> VisitState::execute(const Command &command, const CommandMeta &meta, const Catalogue &catalogue) const
{
    const QUuid target = commandTarget(command);
    switch (commandContext(command)) {
    case BoundedContext::Reception: {
        auto result = reception::execute(reception.get(), command, meta, catalogue);
        if (!result)
            return result.error();
        return std::move(result.value().events);
    }
    case BoundedContext::Diagnosis: {
        const bool mine = diagnosis && diagnosis->id == target;
        auto result = diagnosis::execute(mine ? diagnosis.get() : std::nullopt, command, meta, catalogue);
        if (!result)
            return result.error();
        return std::move(result.value().events);
    }
    case BoundedContext::Examination: {
        const Examination *x = examination(target);
        auto result = examination::execute(x ? std::optional<Examination>(*x) : std::nullopt, command, meta, catalogue);
        if (!result)
            return result.error();
        return std::move(result.value().events);
    }
    }
    return makeError(ErrorCode::InvalidCommand, commandName(command));
}

// ---- confirmed state ----------------------------------------------------------------------------------------------

const VisitState *ReplicaState::confirmed(const QUuid &visitId) const
{
    const auto it = m_confirmed.constFind(visitId);
    return it == m_confirmed.cend() ? nullptr : &*it;
}

VisitState &ReplicaState::confirmedState(const QUuid &visitId)
{
    return m_confirmed[visitId];
}

void ReplicaState::setConfirmed(const QUuid &visitId, VisitState state)
{
    m_confirmed.insert(visitId, std::move(state));
}

void ReplicaState::clearConfirmed()
{
    m_confirmed.clear();
}

void ReplicaState::clearConfirmedRows(quint64 sequence)
{
    for (auto it = m_confirmed.begin(); it != m_confirmed.end();) {
        it->row.reset();
        it->rowKey = 0;
        it->sequences.removeIf([sequence](quint64 s) { return s > sequence; });
        if (!it->reception && !it->diagnosis && it->examinations.isEmpty() && it->sequences.isEmpty())
            it = m_confirmed.erase(it);
        else
            ++it;
    }
}

void ReplicaState::index(const Event &event)
{
    if (const auto *e = std::get_if<DiagnosisRegistered>(&event.payload))
        m_diagnosisVisit.insert(e->diagnosisId, e->receptionId);
    else if (const auto *p = std::get_if<ExaminationPrescribed>(&event.payload))
        m_examinationVisit.insert(p->examinationId, event.visitId);
    else if (const auto *r = std::get_if<ExaminationRequested>(&event.payload))
        m_examinationVisit.insert(r->examinationId, event.visitId);
}

// ---- effective state ----------------------------------------------------------------------------------------------

const VisitState *ReplicaState::effective(const QUuid &visitId) const
{
    const auto it = m_overlay.constFind(visitId);
    return it == m_overlay.cend() ? confirmed(visitId) : &*it;
}

QList<QUuid> ReplicaState::visitIds() const
{
    QList<QUuid> ids;
    ids.reserve(m_confirmed.size() + m_overlay.size());
    for (auto it = m_confirmed.cbegin(); it != m_confirmed.cend(); ++it) {
        if (effective(it.key())->row)
            ids.append(it.key());
    }
    for (auto it = m_overlay.cbegin(); it != m_overlay.cend(); ++it) {
        if (!m_confirmed.contains(it.key()) && it->row)
            ids.append(it.key());
    }
    return ids;
}

QList<QUuid> ReplicaState::allVisitIds() const
{
    QList<QUuid> ids = m_confirmed.keys();
    for (auto it = m_overlay.cbegin(); it != m_overlay.cend(); ++it) {
        if (!m_confirmed.contains(it.key()))
            ids.append(it.key());
    }
    return ids;
}

QUuid ReplicaState::visitOf(const Command &command) const
{
    const QUuid target = commandTarget(command);
    switch (commandContext(command)) {
    case BoundedContext::Reception:
        return target;
    case BoundedContext::Diagnosis:
        return visitOfDiagnosis(target);
    case BoundedContext::Examination:
        return visitOfExamination(target);
    }
    return {};
}

// ---- outbox entries -----------------------------------------------------------------------------------------------

void ReplicaState::addEntry(OutboxEntry entry)
{
    const qint64 position = entry.position;
    m_byCommand.insert(entry.command.meta.commandId, position);
    QList<qint64> &ofVisit = m_byVisit[entry.visitId];
    ofVisit.insert(std::lower_bound(ofVisit.begin(), ofVisit.end(), position), position);
    if (entry.state == OutboxState::Applied)
        m_awaiting.emplace(entry.maxSequence, entry.command.meta.commandId);
    m_entries.insert_or_assign(position, std::move(entry));
}

void ReplicaState::markApplied(const QUuid &commandId, quint64 maxSequence)
{
    OutboxEntry *e = entry(commandId);
    if (!e || e->state == OutboxState::Applied)
        return;
    e->state = OutboxState::Applied;
    e->maxSequence = maxSequence;
    m_awaiting.emplace(maxSequence, commandId);
}

OutboxEntry *ReplicaState::entry(const QUuid &commandId)
{
    const auto it = m_byCommand.constFind(commandId);
    return it == m_byCommand.cend() ? nullptr : &m_entries.at(*it);
}

const OutboxEntry *ReplicaState::entry(const QUuid &commandId) const
{
    const auto it = m_byCommand.constFind(commandId);
    return it == m_byCommand.cend() ? nullptr : &m_entries.at(*it);
}

void ReplicaState::removeEntry(const QUuid &commandId)
{
    const auto it = m_byCommand.constFind(commandId);
    if (it == m_byCommand.cend())
        return;
    const qint64 position = *it;
    const OutboxEntry &removed = m_entries.at(position);
    const QUuid visitId = removed.visitId;
    if (removed.state == OutboxState::Applied) {
        auto [from, to] = m_awaiting.equal_range(removed.maxSequence);
        for (auto a = from; a != to; ++a) {
            if (a->second == commandId) {
                m_awaiting.erase(a);
                break;
            }
        }
    }
    m_byCommand.erase(it);
    m_entries.erase(position);
    auto ofVisit = m_byVisit.find(visitId);
    ofVisit->removeOne(position);
    if (ofVisit->isEmpty())
        m_byVisit.erase(ofVisit);
}

QList<const OutboxEntry *> ReplicaState::entriesOf(const QUuid &visitId) const
{
    QList<const OutboxEntry *> entries;
    for (qint64 position : m_byVisit.value(visitId))
        entries.append(&m_entries.at(position));
    return entries;
}

QList<OutgoingCommand> ReplicaState::unanswered() const
{
    QList<OutgoingCommand> commands;
    for (const auto &[position, e] : m_entries) {
        if (e.state == OutboxState::Pending || e.state == OutboxState::Queued)
            commands.append(e.command);
    }
    return commands;
}

int ReplicaState::unansweredCount() const
{
    // Rejected entries leave at once; what stays is pending, queued, or applied and waiting for its events.
    return int(m_entries.size() - m_awaiting.size());
}

QList<QUuid> ReplicaState::dropSeen(quint64 lastSequence)
{
    QList<QUuid> seen;
    for (auto a = m_awaiting.cbegin(); a != m_awaiting.cend() && a->first <= lastSequence; ++a)
        seen.append(a->second);
    QList<QUuid> visits;
    for (const QUuid &id : std::as_const(seen)) {
        visits.append(entry(id)->visitId);
        removeEntry(id);
    }
    return visits;
}

QList<QUuid> ReplicaState::dropApplied()
{
    return dropSeen(std::numeric_limits<quint64>::max());
}

// ---- overlay ------------------------------------------------------------------------------------------------------

void ReplicaState::recompute(const QUuid &visitId, const Catalogue &catalogue)
{
    const auto positions = m_byVisit.constFind(visitId);
    if (positions == m_byVisit.cend()) {
        m_overlay.remove(visitId);
        return;
    }
    const VisitState *base = confirmed(visitId);
    VisitState state = base ? *base : VisitState{};
    bool any = false;
    for (qint64 position : *positions) {
        OutboxEntry &e = m_entries.at(position);
        auto events = state.execute(e.command.command, e.command.meta, catalogue);
        e.inEffect = events.ok();
        if (!events)
            continue;
        any = true;
        for (const Event &event : events.value()) {
            index(event);
            state.fold(event);
        }
    }
    if (any)
        m_overlay.insert(visitId, std::move(state));
    else
        m_overlay.remove(visitId);
}

void ReplicaState::recomputeAll(const Catalogue &catalogue)
{
    m_overlay.clear();
    const QList<QUuid> visits = m_byVisit.keys();
    for (const QUuid &visitId : visits)
        recompute(visitId, catalogue);
}

void ReplicaState::applyOptimistic(const QUuid &visitId, const Events &events)
{
    auto it = m_overlay.find(visitId);
    if (it == m_overlay.end()) {
        const VisitState *base = confirmed(visitId);
        it = m_overlay.insert(visitId, base ? *base : VisitState{});
    }
    for (const Event &event : events) {
        index(event);
        it->fold(event);
    }
}

} // namespace clinicflow::client
