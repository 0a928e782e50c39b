// The local store's memory: per visit, the confirmed aggregates and status row folded from the server's events with
// the shared evolve/project functions; the outbox commands the server has not finished with; and the optimistic
// overlay, which is the confirmed state with those commands re-executed on top by the shared execute functions.
// Plain C++ over the domain library (no SQL, no signals) so the rules are the server's, never a copy of them.
#pragma once

#include "StoreTypes.h"
#include "domain/Diagnosis.h"
#include "domain/Examination.h"
#include "domain/Reception.h"
#include "domain/StatusView.h"

#include <QHash>
#include <QList>
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace clinicflow::client {

// An optional aggregate kept on the heap: a visit takes the room of a reception or a diagnosis only once it has one.
// A board's replica is 100,000 status rows from a snapshot and no aggregate at all; inline, the two empty optionals
// would take over 500 bytes a visit.
template<typename T>
class Boxed
{
public:
    Boxed() = default;
    Boxed(const Boxed &other)
        : m_value(other ? std::make_unique<T>(*other) : nullptr)
        , m_has(other.m_has)
    {
    }
    Boxed(Boxed &&other) noexcept
        : m_value(std::move(other.m_value))
        , m_has(std::exchange(other.m_has, false))
    {
    }
    Boxed &operator=(const Boxed &other)
    {
        if (this != &other)
            *this = other.get();
        return *this;
    }
    Boxed &operator=(Boxed &&other) noexcept
    {
        m_value = std::move(other.m_value);
        m_has = std::exchange(other.m_has, false);
        return *this;
    }
    Boxed &operator=(std::optional<T> value)
    {
        m_has = value.has_value();
        if (m_has && m_value)
            *m_value = std::move(*value);
        else if (m_has)
            m_value = std::make_unique<T>(std::move(*value));
        return *this;
    }

    explicit operator bool() const { return m_has; }
    const T &operator*() const { return *m_value; }
    const T *operator->() const { return m_value.get(); }
    // A copy, as the shared rules take it.
    std::optional<T> get() const { return m_has ? std::optional<T>(*m_value) : std::nullopt; }
    // The value moved out, to be evolved and put back: the box keeps its room, so folding event after event into a
    // visit allocates nothing.
    std::optional<T> take()
    {
        if (!m_has)
            return std::nullopt;
        m_has = false;
        return std::optional<T>(std::move(*m_value));
    }

private:
    std::unique_ptr<T> m_value; // once allocated, kept; holds a value only when m_has
    bool m_has = false;
};

// Everything the station knows about one visit. Keeping the three aggregates together means every event and every
// command touches exactly one VisitState, so an overlay can be recomputed for one visit without the others.
struct VisitState
{
    Boxed<domain::Reception> reception;
    Boxed<domain::Diagnosis> diagnosis;
    QList<domain::Examination> examinations; // in the order they were requested
    std::optional<domain::VisitStatus> row;
    qint64 rowKey = 0;        // the row's key in the visits table; 0 while it has none
    QList<quint64> sequences; // the visit's events in the events table, for its history

    const domain::Examination *examination(const QUuid &id) const;

    // evolve() of every context, and project() of the row; each of them ignores what is not its own.
    void fold(const domain::Event &event);

    // The owning context's execute() on the aggregate the command targets; the events it would emit.
    domain::Result<domain::Events> execute(const domain::Command &command, const domain::CommandMeta &meta,
                                           const domain::Catalogue &catalogue) const;
};

// An outbox entry the overlay still depends on: unanswered (pending, queued), or applied while its events have not
// arrived yet (its last sequence is above the store's).
struct OutboxEntry
{
    qint64 position = 0;
    OutgoingCommand command;
    QUuid visitId;
    OutboxState state = OutboxState::Pending;
    quint64 maxSequence = 0;
    bool inEffect = false; // it validated on the current confirmed state and is part of the overlay
};

class ReplicaState
{
public:
    // ---- confirmed state ----
    const VisitState *confirmed(const QUuid &visitId) const;
    const QHash<QUuid, VisitState> &confirmedVisits() const { return m_confirmed; }
    VisitState &confirmedState(const QUuid &visitId); // created empty when missing
    void reserve(qsizetype visits) { m_confirmed.reserve(visits); }
    void setConfirmed(const QUuid &visitId, VisitState state);
    void clearConfirmed();
    // A snapshot replaces the rows and keeps the aggregates; stored events after `sequence` are gone.
    void clearConfirmedRows(quint64 sequence);
    // Remembers which visit a diagnosis or an examination belongs to, so commands find their visit.
    void index(const domain::Event &event);

    // ---- effective state: confirmed + overlay ----
    const VisitState *effective(const QUuid &visitId) const;
    QList<QUuid> visitIds() const;    // visits with an effective status row
    QList<QUuid> allVisitIds() const; // every visit known, with a row or not (a board's snapshot has no aggregates)
    QUuid visitOfDiagnosis(const QUuid &diagnosisId) const { return m_diagnosisVisit.value(diagnosisId); }
    QUuid visitOfExamination(const QUuid &examinationId) const { return m_examinationVisit.value(examinationId); }
    QUuid visitOf(const domain::Command &command) const;

    // ---- outbox entries ----
    void addEntry(OutboxEntry entry);
    OutboxEntry *entry(const QUuid &commandId);
    const OutboxEntry *entry(const QUuid &commandId) const;
    void removeEntry(const QUuid &commandId);
    // The server applied it; it stays (in the overlay) until the log reaches maxSequence.
    void markApplied(const QUuid &commandId, quint64 maxSequence);
    QList<const OutboxEntry *> entriesOf(const QUuid &visitId) const;
    bool hasEntries(const QUuid &visitId) const { return m_byVisit.contains(visitId); }
    QList<OutgoingCommand> unanswered() const;
    int unansweredCount() const;
    // Forgets applied entries whose events have all arrived; returns their visits.
    QList<QUuid> dropSeen(quint64 lastSequence);
    // Forgets applied entries whatever their sequences (the replica now follows another server's log).
    QList<QUuid> dropApplied();

    // ---- overlay ----
    // Re-executes the visit's entries in outbox order on its confirmed state; entries that no longer validate are
    // left out (they stay in the outbox until the server answers).
    void recompute(const QUuid &visitId, const domain::Catalogue &catalogue);
    void recomputeAll(const domain::Catalogue &catalogue);
    // The cheap path of submit(): the command was just executed on the effective state, so its events are folded
    // on top instead of replaying the visit.
    void applyOptimistic(const QUuid &visitId, const domain::Events &events);

private:
    QHash<QUuid, VisitState> m_confirmed;
    QHash<QUuid, VisitState> m_overlay; // only visits with an entry in effect
    QHash<QUuid, QUuid> m_diagnosisVisit;
    QHash<QUuid, QUuid> m_examinationVisit;
    std::map<qint64, OutboxEntry> m_entries; // by outbox position: the order commands were given
    QHash<QUuid, qint64> m_byCommand;
    QHash<QUuid, QList<qint64>> m_byVisit;
    // Applied entries by the last sequence they wait for: with thousands of commands replayed after an outage,
    // counting and dropping must not walk the whole outbox for every event batch and answer.
    std::multimap<quint64, QUuid> m_awaiting;
};

} // namespace clinicflow::client
