#include "Transition.h"

namespace clinicflow::domain {

Cause causeOf(const CommandMeta &meta, const QUuid &visitId)
{
    return Cause{meta.commandId, visitId, meta.station, meta.at};
}

Cause causeOf(const Event &event, const QDateTime &now)
{
    return Cause{event.id, event.visitId, event.station, now};
}

Event stamp(EventPayload payload, const Cause &cause)
{
    Event e;
    e.aggregateId = eventAggregateId(payload);
    e.id = derivedId(cause.causationId, eventTypeName(payload) + u'/' + idString(e.aggregateId));
    e.visitId = cause.visitId;
    e.causationId = cause.causationId;
    e.at = cause.at;
    e.station = cause.station;
    e.payload = std::move(payload);
    return e;
}

} // namespace clinicflow::domain
