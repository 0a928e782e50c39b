// The shape every context's rules share: (state, command or event) -> new state + events | error.
// A Transition is what one step of a context produces; stamping turns payloads into events with their metadata.
#pragma once

#include "Catalogue.h"
#include "Commands.h"
#include "Events.h"

#include <optional>

namespace clinicflow::domain {

template<typename State>
struct Transition
{
    std::optional<State> state; // the aggregate after the step
    Events events;              // what the step emitted, in order; empty when the input changed nothing to say
};

// Where emitted events come from: a command (causation = command id) or another event (causation = its id).
struct Cause
{
    QUuid causationId;
    QUuid visitId;
    QString station;
    QDateTime at;
};

Cause causeOf(const CommandMeta &meta, const QUuid &visitId);
Cause causeOf(const Event &event, const QDateTime &now);

// Wraps payloads as events of this cause. Event ids are derived from the cause, the event type and the aggregate,
// so the same input always produces the same ids.
Event stamp(EventPayload payload, const Cause &cause);

// What a context needs besides the aggregate to react to another context's event.
struct ReactionContext
{
    QDateTime now;
    Catalogue catalogue;
    DoctorLoads doctorLoads; // used by the diagnosis context to assign a doctor
};

// A state and the events to apply to it in order: evolve is how both sides build an aggregate from its history.
template<typename State, typename Evolve>
std::optional<State> fold(std::optional<State> state, const Events &events, Evolve evolve)
{
    for (const Event &e : events)
        state = evolve(std::move(state), e);
    return state;
}

} // namespace clinicflow::domain
