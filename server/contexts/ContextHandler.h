// What a context worker needs from its context: run a command or react to an event against the context's own
// tables, inside the worker's transaction, with the shared domain rules deciding.
#pragma once

#include "domain/Catalogue.h"
#include "domain/Commands.h"
#include "domain/Events.h"
#include "domain/Ids.h"
#include "domain/Saga.h"
#include "storage/BatchStatement.h"

#include <QHash>
#include <QSqlQuery>
#include <QTimeZone>

namespace clinicflow::server {

class ContextHandler
{
public:
    virtual ~ContextHandler() = default;

    virtual domain::BoundedContext context() const = 0;

    // Loads the command's target, applies the rules, saves the new state; returns the events to append. A save is
    // written by flush(), at the unit's end, with the unit's other saves (storage/DeferredUpserts.h); until then
    // this handler's loads see it.
    virtual domain::Result<domain::Events> execute(const domain::Command &command, const domain::CommandMeta &meta) = 0;

    // Reacts to another context's event as the saga routes it (reaction.context is this context).
    virtual domain::Result<domain::Events> react(const domain::Event &event, const domain::Reaction &reaction,
                                                 const QDateTime &now) = 0;

    // Reads together, at a unit's start, the aggregates with these ids that the handler does not keep, so that the
    // unit's loads need no statement each (most are new visits' aggregates, not there yet, under load). Only a
    // handler that keeps aggregates (the worker's) reads anything.
    virtual domain::Result<bool> prefetch(const QList<QUuid> &ids) = 0;

    // Writes what execute() and react() saved since the last flush, many rows per statement. The worker calls it
    // at its unit's end, in the unit's transaction, and before anything else reads this context's tables.
    virtual domain::Result<bool> flush() = 0;

    // The worker's unit or round failed: what the handler keeps in memory from it may never have been committed,
    // and what it has not written yet never will be.
    virtual void forget() = 0;
};

// The rows of `ids` read with `statement` (its first column the id; up to 32 ids a statement), each made an aggregate
// by `fromRow(query, id)`: what a handler's prefetch reads.
template<typename Aggregate, typename FromRow>
domain::Result<QHash<QUuid, Aggregate>> readMany(BatchStatement &statement, const QList<QUuid> &ids, const char *what,
                                                 FromRow fromRow)
{
    QHash<QUuid, Aggregate> found;
    auto read = statement.run(
        std::size_t(ids.size()),
        [&ids](std::size_t i) -> QVariantList { return {domain::idString(ids.at(qsizetype(i)))}; }, what,
        [&found, &fromRow](SqlRows &q, std::size_t) -> domain::Result<bool> {
            while (q.next()) {
                const QUuid id = domain::idFromString(q.value(0).toString());
                found.insert(id, fromRow(q, id));
            }
            return true;
        });
    if (!read)
        return read.error();
    return found;
}

// Milliseconds since the epoch for storage, with a null time stored as 0.
inline qint64 toMs(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}
inline QDateTime fromMs(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

} // namespace clinicflow::server
