// The local store's action path: a user's command is checked with the shared rules against the effective state,
// made durable in the outbox, and shown at once through the overlay (see LocalStore.h).
#include "LocalStore.h"
#include "LocalStorePrivate.h"
#include "ReplicaState.h"
#include "StoreRows.h"
#include "common/Logging.h"

using namespace Qt::StringLiterals;
using clinicflow::common::lcStore;

namespace clinicflow::client {

using namespace domain;

namespace {

// What an action would do, decided before anything is written.
struct Decision
{
    QUuid visitId;
    Events events;
};

} // namespace

CommandMeta LocalStore::newMeta() const
{
    return CommandMeta{newId(), stationCode(), now()};
}

// The role check and the shape check come first so the user reads the most useful reason, as the server would
// give it; then the owning context's execute() on the effective state: the same rules, the same answer.
static Result<Decision> decide(const ReplicaState &replica, const Catalogue &catalogue, const std::optional<Role> &role,
                               const Command &command, const CommandMeta &meta)
{
    if (!isValidStationCode(meta.station))
        return makeError(ErrorCode::UnknownStation, u"this station has no station code yet"_s);
    if (role && commandRole(command) != *role)
        return makeError(ErrorCode::RoleNotAllowed, u"%1 by a %2 station"_s.arg(commandName(command), toString(*role)));
    if (auto shape = validateShape(command); !shape)
        return shape.error();
    const QUuid visitId = replica.visitOf(command);
    const VisitState *state = replica.effective(visitId);
    auto events = state ? state->execute(command, meta, catalogue) : VisitState{}.execute(command, meta, catalogue);
    if (!events)
        return events.error();
    return Decision{visitId, std::move(events.value())};
}

// One transaction: the outbox row and any settings that must move with it (the ticket counter). Memory and signals
// follow the commit, so nothing is shown that a crash could take back.
Result<QUuid> LocalStore::store(const OutgoingCommand &command, const QUuid &visitId, const Events &events,
                                const QList<std::pair<QString, QString>> &settingWrites)
{
    Transaction tx(*m_db);
    if (!tx.ok())
        return tx.error();
    for (const auto &[key, value] : settingWrites) {
        if (auto done = writeSetting(key, value); !done)
            return done.error();
    }
    QSqlQuery &q = m_sql->insertOutbox;
    q.bindValue(0, idString(command.meta.commandId));
    q.bindValue(1, commandName(command.command));
    q.bindValue(2, rows::idValue(commandTarget(command.command)));
    q.bindValue(3, rows::idValue(visitId));
    q.bindValue(4, rows::timeValue(command.meta.at));
    q.bindValue(5, rows::encodeCommand(command));
    if (auto done = StoreDatabase::run(q, "insert outbox"); !done)
        return done.error();
    const qint64 position = q.lastInsertId().toLongLong();
    if (auto done = tx.commit(); !done)
        return done.error();

    for (const auto &[key, value] : settingWrites)
        m_settings.insert(key, value);
    m_replica->addEntry(OutboxEntry{position, command, visitId, OutboxState::Pending, 0, true});
    m_replica->applyOptimistic(visitId, events);
    qCDebug(lcStore).noquote() << "stored" << commandName(command.command) << idString(command.meta.commandId);
    emit commandSubmitted(command);
    emit visitChanged(visitId);
    emit pendingCountChanged(pendingCount());
    return command.meta.commandId;
}

Result<QUuid> LocalStore::submit(const Command &command)
{
    if (auto read = readAllRows(); !read)
        return read.error();
    const CommandMeta meta = newMeta();
    auto decision = decide(*m_replica, m_catalogue, role(), command, meta);
    if (!decision)
        return decision.error();
    return store(OutgoingCommand{meta, command}, decision->visitId, decision->events, {});
}

Ticket LocalStore::ticketOn(const QDate &day) const
{
    const bool sameDay = setting(settings::kTicketDay) == day.toString(Qt::ISODate);
    return Ticket{stationCode(), (sameDay ? setting(settings::kTicketCounter).toInt() : 0) + 1};
}

Ticket LocalStore::nextTicket() const
{
    return ticketOn(now().toLocalTime().date());
}

Result<SubmittedVisit> LocalStore::registerVisit(RegisterVisit registration)
{
    if (auto read = readAllRows(); !read)
        return read.error();
    const CommandMeta meta = newMeta();
    const QDate day = meta.at.toLocalTime().date(); // the counter restarts with the desk's own day
    if (registration.receptionId.isNull())
        registration.receptionId = newId();
    registration.ticket = ticketOn(day);
    if (registration.ticket.number > 9999)
        return makeError(ErrorCode::InvalidTicket,
                         u"all 9999 tickets of today are taken at station %1"_s.arg(registration.ticket.station));
    const Command command = registration;
    auto decision = decide(*m_replica, m_catalogue, role(), command, meta);
    if (!decision)
        return decision.error();
    auto stored = store(OutgoingCommand{meta, command}, decision->visitId, decision->events,
                        {{settings::kTicketDay, day.toString(Qt::ISODate)},
                         {settings::kTicketCounter, QString::number(registration.ticket.number)}});
    if (!stored)
        return stored.error();
    return SubmittedVisit{stored.value(), registration.receptionId, registration.ticket};
}

} // namespace clinicflow::client
