#include "Examination.h"

#include "Rules.h"

namespace clinicflow::domain::examination {
namespace {

ErrorCode notRequestedError(const Examination &x)
{
    switch (x.status) {
    case ExaminationStatus::Performed:
        return ErrorCode::ExaminationAlreadyPerformed;
    case ExaminationStatus::Cancelled:
        return ErrorCode::ExaminationAlreadyCancelled;
    case ExaminationStatus::Withdrawn:
        return x.withdrawReason == WithdrawReason::VisitCancelled ? ErrorCode::ExaminationWithdrawnVisitCancelled
                                                                  : ErrorCode::ExaminationWithdrawnTreatmentRefused;
    case ExaminationStatus::Requested:
        break;
    }
    return ErrorCode::None;
}

} // namespace

Result<Transition<Examination>> execute(const std::optional<Examination> &current, const Command &command,
                                        const CommandMeta &meta, const Catalogue &)
{
    if (auto shape = validateShape(command); !shape)
        return shape.error();
    if (commandContext(command) != BoundedContext::Examination)
        return makeError(ErrorCode::InvalidCommand, commandName(command));
    if (!current)
        return makeError(ErrorCode::ExaminationNotFound, idString(commandTarget(command)));
    const Examination &x = *current;
    if (x.status != ExaminationStatus::Requested)
        return makeError(notRequestedError(x), idString(x.id));
    const Cause cause = causeOf(meta, x.receptionId);
    if (const auto *cmd = std::get_if<PerformExamination>(&command))
        return emitOne(current, stamp(ExaminationPerformed{x.id, x.diagnosisId, meta.station, cmd->result}, cause),
                       evolve);
    const auto &cancel = std::get<CancelExamination>(command);
    return emitOne(current, stamp(ExaminationCancelled{x.id, x.diagnosisId, meta.station, cancel.reason}, cause),
                   evolve);
}

Result<Transition<Examination>> react(const std::optional<Examination> &current, const Event &event,
                                      const ReactionContext &context)
{
    const Cause cause = causeOf(event, context.now);
    if (const auto *e = std::get_if<ExaminationPrescribed>(&event.payload)) {
        if (current)
            return unchanged(current);
        return emitOne(current, stamp(ExaminationRequested{e->examinationId, e->diagnosisId, e->code, e->note}, cause),
                       evolve);
    }
    if (!current)
        return makeError(ErrorCode::ExaminationNotFound, idString(eventAggregateId(event.payload)));
    const Examination &x = *current;
    std::optional<WithdrawReason> reason;
    if (const auto *e = std::get_if<TreatmentRefused>(&event.payload); e && e->diagnosisId == x.diagnosisId)
        reason = WithdrawReason::TreatmentRefused;
    if (const auto *e = std::get_if<DiagnosisWithdrawn>(&event.payload); e && e->diagnosisId == x.diagnosisId)
        reason = WithdrawReason::VisitCancelled;
    if (!reason || x.status != ExaminationStatus::Requested)
        return unchanged(current);
    return emitOne(current, stamp(ExaminationWithdrawn{x.id, x.diagnosisId, *reason}, cause), evolve);
}

std::optional<Examination> evolve(std::optional<Examination> current, const Event &event)
{
    if (const auto *e = std::get_if<ExaminationRequested>(&event.payload)) {
        if (current)
            return current;
        Examination x;
        x.id = e->examinationId;
        x.diagnosisId = e->diagnosisId;
        x.receptionId = event.visitId;
        x.code = e->code;
        x.note = e->note;
        x.requestedAt = event.at;
        return x;
    }
    if (!current || eventAggregateId(event.payload) != current->id)
        return current;
    Examination &x = *current;
    if (const auto *e = std::get_if<ExaminationPerformed>(&event.payload)) {
        x.status = ExaminationStatus::Performed;
        x.examiner = e->examiner;
        x.result = e->result;
        x.performedAt = event.at;
    } else if (const auto *c = std::get_if<ExaminationCancelled>(&event.payload)) {
        x.status = ExaminationStatus::Cancelled;
        x.examiner = c->examiner;
        x.cancelReason = c->reason;
        x.cancelledAt = event.at;
    } else if (const auto *w = std::get_if<ExaminationWithdrawn>(&event.payload)) {
        x.status = ExaminationStatus::Withdrawn;
        x.withdrawReason = w->reason;
        x.withdrawnAt = event.at;
    }
    return current;
}

} // namespace clinicflow::domain::examination
