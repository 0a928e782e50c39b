// The in-memory saga player of SagaPlayer.h: a test harness standing in for the server's three context workers.

#include "SagaPlayer.h"

using namespace Qt::StringLiterals;

namespace clinicflow::domain::fixtures {
namespace {

template<typename State>
std::optional<State> find(const std::map<QUuid, State> &store, const QUuid &id)
{
    const auto it = store.find(id);
    return it == store.end() ? std::nullopt : std::optional<State>(it->second);
}

} // namespace

SagaPlayer::SagaPlayer(Catalogue catalogue)
    : m_catalogue(std::move(catalogue))
    , m_now(QDateTime(QDate(2024, 3, 4), QTime(12, 0), Qt::UTC))
{
    for (BoundedContext c : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination})
        m_cursors[c] = Cursor{};
}

Result<Events> SagaPlayer::submit(const Command &command, const CommandMeta &meta)
{
    const std::size_t first = m_log.size();
    const QUuid target = commandTarget(command);
    switch (commandContext(command)) {
    case BoundedContext::Reception: {
        auto result = reception::execute(find(m_receptions, target), command, meta, m_catalogue);
        if (!result)
            return result.error();
        m_receptions[target] = *result->state;
        append(result->events);
        break;
    }
    case BoundedContext::Diagnosis: {
        auto result = diagnosis::execute(find(m_diagnoses, target), command, meta, m_catalogue);
        if (!result)
            return result.error();
        m_diagnoses[target] = *result->state;
        append(result->events);
        break;
    }
    case BoundedContext::Examination: {
        auto result = examination::execute(find(m_examinations, target), command, meta, m_catalogue);
        if (!result)
            return result.error();
        m_examinations[target] = *result->state;
        append(result->events);
        break;
    }
    }
    play();
    return Events(m_log.begin() + std::ptrdiff_t(first), m_log.end());
}

void SagaPlayer::pause(BoundedContext context)
{
    m_cursors[context].paused = true;
}

void SagaPlayer::resume(BoundedContext context)
{
    m_cursors[context].paused = false;
    play();
}

QStringList SagaPlayer::logTypes(std::size_t from) const
{
    QStringList types;
    for (std::size_t i = from; i < m_log.size(); ++i)
        types.append(eventTypeName(m_log[i].payload));
    return types;
}

std::optional<Reception> SagaPlayer::reception(const QUuid &id) const
{
    return find(m_receptions, id);
}

std::optional<Diagnosis> SagaPlayer::diagnosis(const QUuid &id) const
{
    return find(m_diagnoses, id);
}

std::optional<Examination> SagaPlayer::examination(const QUuid &id) const
{
    return find(m_examinations, id);
}

void SagaPlayer::append(const Events &events)
{
    for (Event e : events) {
        e.sequence = ++m_lastSequence;
        m_log.push_back(std::move(e));
    }
}

// Always advances the running context that is furthest behind (ties: reception, diagnosis, examination), so with
// every context running each event's reactions are played before the next event's, as in one ordered log.
void SagaPlayer::play()
{
    for (;;) {
        BoundedContext next{};
        const Cursor *best = nullptr;
        for (const auto &[context, cursor] : m_cursors) {
            if (!cursor.paused && cursor.next < m_log.size() && (!best || cursor.next < best->next)) {
                best = &cursor;
                next = context;
            }
        }
        if (!best)
            return;
        const Event event = m_log[m_cursors[next].next++];
        for (const Reaction &reaction : reactionsTo(event)) {
            if (reaction.context != next)
                continue;
            for (const QUuid &key : targetsOf(reaction))
                react(event, next, key);
        }
    }
}

QList<QUuid> SagaPlayer::targetsOf(const Reaction &reaction) const
{
    if (reaction.target == Reaction::Target::Aggregate)
        return {reaction.key};
    QList<QUuid> open;
    for (const QUuid &id : m_examinationOrder) {
        const Examination &x = m_examinations.at(id);
        if (x.diagnosisId == reaction.key && x.status == ExaminationStatus::Requested)
            open.append(id);
    }
    return open;
}

void SagaPlayer::react(const Event &event, BoundedContext context, const QUuid &key)
{
    const ReactionContext reactionContext{m_now, m_catalogue, doctorLoads()};
    switch (context) {
    case BoundedContext::Reception:
        keep(m_receptions, key, reception::react(find(m_receptions, key), event, reactionContext));
        break;
    case BoundedContext::Diagnosis:
        keep(m_diagnoses, key, diagnosis::react(find(m_diagnoses, key), event, reactionContext));
        break;
    case BoundedContext::Examination: {
        const bool known = m_examinations.count(key) > 0;
        keep(m_examinations, key, examination::react(find(m_examinations, key), event, reactionContext));
        if (!known && m_examinations.count(key) > 0)
            m_examinationOrder.append(key);
        break;
    }
    }
}

template<typename State>
void SagaPlayer::keep(std::map<QUuid, State> &store, const QUuid &key, const Result<Transition<State>> &result)
{
    if (!result) {
        m_errors.append(result.error());
        return;
    }
    if (result->state) {
        // The routing key must name the aggregate that react() worked on, or a worker would load the wrong row.
        if (result->state->id != key) {
            m_errors.append(makeError(ErrorCode::InternalError, u"reaction routed to %1 changed %2"_s.arg(
                                                                    idString(key), idString(result->state->id))));
            return;
        }
        store[key] = *result->state;
    }
    append(result->events);
}

// Open diagnoses per doctor, as the diagnosis worker would count them in its own table.
DoctorLoads SagaPlayer::doctorLoads() const
{
    DoctorLoads loads;
    for (const auto &[id, d] : m_diagnoses) {
        if (isOpen(d.status))
            ++loads[d.doctor];
    }
    return loads;
}

} // namespace clinicflow::domain::fixtures
