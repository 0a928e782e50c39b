// The choreography of ARCHITECTURE §3 as data: which context reacts to which event, and on which aggregate.
// Workers use it to find what to load before calling their context's react(); the tests play the whole chain.
#pragma once

#include "Events.h"

#include <QStringList>
#include <vector>

namespace clinicflow::domain {

struct Reaction
{
    enum class Target
    {
        Aggregate,       // the one aggregate with id `key` (which may not exist yet: it is created)
        OpenOfDiagnosis, // every still-requested examination of diagnosis `key`
    };
    BoundedContext context;
    Target target = Target::Aggregate;
    QUuid key;
    friend bool operator==(const Reaction &, const Reaction &) = default;
};

// The reactions an event sets off, one per context that listens to it; empty for an event nobody reacts to.
std::vector<Reaction> reactionsTo(const Event &event);

// The event types a context reacts to (eventTypeName values): what its worker reads from the log.
QStringList eventTypesReactedToBy(BoundedContext context);

} // namespace clinicflow::domain
