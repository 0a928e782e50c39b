#include "Reception.h"

#include "Rules.h"

namespace clinicflow::domain::reception {
namespace {

Result<Transition<Reception>> registerVisit(const std::optional<Reception> &current, const RegisterVisit &cmd,
                                            const CommandMeta &meta, const Catalogue &catalogue)
{
    if (current)
        return makeError(ErrorCode::VisitAlreadyRegistered, idString(cmd.receptionId));
    if (auto valid = validateRegistration(cmd, catalogue, meta.at.date()); !valid)
        return valid.error();
    ReceptionRegistered registered{cmd.receptionId,     cmd.ticket,         cmd.patient, cmd.department,
                                   cmd.requestedDoctor, cmd.chiefComplaint, cmd.priority};
    return emitOne(current, stamp(std::move(registered), causeOf(meta, cmd.receptionId)), evolve);
}

// The error for a visit that can no longer be cancelled or confirmed, by where it stands.
ErrorCode finishedError(ReceptionStatus status)
{
    switch (status) {
    case ReceptionStatus::Closed:
        return ErrorCode::VisitAlreadyClosed;
    case ReceptionStatus::Cancelled:
        return ErrorCode::VisitAlreadyCancelled;
    case ReceptionStatus::TreatmentCompleted:
    case ReceptionStatus::TreatmentRefused:
        return ErrorCode::VisitOutcomeAlreadyRecorded;
    case ReceptionStatus::Received:
    case ReceptionStatus::InTreatment:
        return ErrorCode::VisitOutcomeNotRecorded;
    }
    return ErrorCode::InvalidCommand;
}

} // namespace

Result<Transition<Reception>> execute(const std::optional<Reception> &current, const Command &command,
                                      const CommandMeta &meta, const Catalogue &catalogue)
{
    if (auto shape = validateShape(command); !shape)
        return shape.error();
    if (const auto *cmd = std::get_if<RegisterVisit>(&command))
        return registerVisit(current, *cmd, meta, catalogue);
    if (commandContext(command) != BoundedContext::Reception)
        return makeError(ErrorCode::InvalidCommand, commandName(command));
    if (!current)
        return makeError(ErrorCode::VisitNotFound, idString(commandTarget(command)));

    const Reception &r = *current;
    const Cause cause = causeOf(meta, r.id);
    if (const auto *cmd = std::get_if<CancelVisit>(&command)) {
        if (r.status != ReceptionStatus::Received && r.status != ReceptionStatus::InTreatment)
            return makeError(finishedError(r.status), r.ticket.toString());
        return emitOne(current, stamp(ReceptionCancelled{r.id, cmd->reason}, cause), evolve);
    }
    // ConfirmOutcome
    if (r.status != ReceptionStatus::TreatmentCompleted && r.status != ReceptionStatus::TreatmentRefused)
        return makeError(finishedError(r.status), r.ticket.toString());
    return emitOne(current, stamp(VisitClosed{r.id}, cause), evolve);
}

Result<Transition<Reception>> react(const std::optional<Reception> &current, const Event &event,
                                    const ReactionContext &context)
{
    if (!current)
        return makeError(ErrorCode::VisitNotFound, idString(event.visitId));
    const Reception &r = *current;
    if (event.visitId != r.id) // routed to the wrong visit: never act on it
        return makeError(ErrorCode::VisitNotFound, idString(event.visitId));
    const Cause cause = causeOf(event, context.now);
    if (const auto *e = std::get_if<DiagnosisRegistered>(&event.payload)) {
        if (r.status != ReceptionStatus::Received)
            return Transition<Reception>{current, {}};
        return emitOne(current, stamp(TreatmentStarted{r.id, e->diagnosisId, e->doctor}, cause), evolve);
    }
    const bool completed = std::holds_alternative<TreatmentCompleted>(event.payload);
    if (completed || std::holds_alternative<TreatmentRefused>(event.payload)) {
        if (r.status != ReceptionStatus::InTreatment)
            return Transition<Reception>{current, {}};
        const auto outcome = completed ? ReceptionStatus::TreatmentCompleted : ReceptionStatus::TreatmentRefused;
        return emitOne(current, stamp(OutcomeRecorded{r.id, outcome}, cause), evolve);
    }
    return Transition<Reception>{current, {}};
}

std::optional<Reception> evolve(std::optional<Reception> current, const Event &event)
{
    if (const auto *e = std::get_if<ReceptionRegistered>(&event.payload)) {
        if (current)
            return current;
        return Reception{e->receptionId,
                         e->ticket,
                         e->patient,
                         e->department,
                         e->requestedDoctor,
                         e->chiefComplaint,
                         e->priority,
                         event.at,
                         event.station,
                         ReceptionStatus::Received,
                         {},
                         {},
                         {}};
    }
    if (!current || eventAggregateId(event.payload) != current->id)
        return current;
    Reception &r = *current;
    std::visit(
        [&r](const auto &e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, TreatmentStarted>) {
                r.status = ReceptionStatus::InTreatment;
                r.diagnosisId = e.diagnosisId;
                r.doctor = e.doctor;
            } else if constexpr (std::is_same_v<T, OutcomeRecorded>) {
                r.status = e.outcome;
            } else if constexpr (std::is_same_v<T, VisitClosed>) {
                r.status = ReceptionStatus::Closed;
            } else if constexpr (std::is_same_v<T, ReceptionCancelled>) {
                r.status = ReceptionStatus::Cancelled;
                r.cancelReason = e.reason;
            }
        },
        event.payload);
    return current;
}

} // namespace clinicflow::domain::reception
