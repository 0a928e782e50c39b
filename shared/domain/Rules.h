// Helpers the three contexts' rules share; internal to the domain library.
#pragma once

#include "Transition.h"

namespace clinicflow::domain {

// Checks a registration against the catalogue (department, requested doctor, someone to see the patient)
// and against the day (no birth date in the future).
Result<bool> validateRegistration(const RegisterVisit &command, const Catalogue &catalogue, const QDate &today);

template<typename State, typename Evolve>
Transition<State> emitAll(std::optional<State> state, Events events, Evolve evolve)
{
    for (const Event &e : events)
        state = evolve(std::move(state), e);
    return Transition<State>{std::move(state), std::move(events)};
}

template<typename State, typename Evolve>
Result<Transition<State>> emitOne(const std::optional<State> &state, Event event, Evolve evolve)
{
    Events events;
    events.push_back(std::move(event));
    return emitAll(state, std::move(events), evolve);
}

template<typename State>
Result<Transition<State>> unchanged(const std::optional<State> &state)
{
    return Transition<State>{state, {}};
}

} // namespace clinicflow::domain
