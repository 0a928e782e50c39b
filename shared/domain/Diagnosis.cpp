#include "Diagnosis.h"

#include "Rules.h"

using namespace Qt::StringLiterals;

namespace clinicflow::domain {

const Prescription *Diagnosis::prescription(const QUuid &examinationId) const
{
    for (const auto &p : prescriptions) {
        if (p.examinationId == examinationId)
            return &p;
    }
    return nullptr;
}

int Diagnosis::countWith(ExaminationStatus s) const
{
    return int(std::count_if(prescriptions.cbegin(), prescriptions.cend(),
                             [s](const Prescription &p) { return p.status == s; }));
}

namespace diagnosis {
namespace {

// The error for a command that the diagnosis can no longer take because it is finished.
std::optional<ErrorCode> closedError(DiagnosisStatus status)
{
    switch (status) {
    case DiagnosisStatus::Completed:
        return ErrorCode::TreatmentAlreadyCompleted;
    case DiagnosisStatus::Refused:
        return ErrorCode::TreatmentAlreadyRefused;
    case DiagnosisStatus::Withdrawn:
        return ErrorCode::DiagnosisWithdrawn;
    default:
        return std::nullopt;
    }
}

// Which status each command may start from, and what it says otherwise (finished states aside).
std::optional<ErrorCode> refusal(DiagnosisStatus status, const Command &command)
{
    if (auto closed = closedError(status))
        return closed;
    using S = DiagnosisStatus;
    if (std::holds_alternative<PrescribeExamination>(command)) {
        if (status == S::Reviewed)
            return ErrorCode::ResultsAlreadyReviewed;
        return std::nullopt;
    }
    if (std::holds_alternative<ReviewResults>(command)) {
        switch (status) {
        case S::Waiting:
            return ErrorCode::ResultsNotReady;
        case S::ExamsPending:
            return ErrorCode::ExaminationsStillPending;
        case S::Reviewed:
            return ErrorCode::ResultsAlreadyReviewed;
        default:
            return std::nullopt;
        }
    }
    if (std::holds_alternative<CompleteTreatment>(command)) {
        switch (status) {
        case S::ExamsPending:
            return ErrorCode::ExaminationsStillPending;
        case S::ResultsReady:
            return ErrorCode::ResultsNotReviewed;
        default:
            return std::nullopt;
        }
    }
    return std::nullopt; // RefuseTreatment and HandOverVisit: from any open state
}

// The event for a doctor's command that the rules above accepted.
EventPayload decide(const Diagnosis &d, const Command &command)
{
    if (const auto *c = std::get_if<PrescribeExamination>(&command))
        return ExaminationPrescribed{d.id, c->examinationId, c->code, c->note};
    if (const auto *c = std::get_if<ReviewResults>(&command))
        return ResultsReviewed{d.id, c->note};
    if (const auto *c = std::get_if<CompleteTreatment>(&command))
        return TreatmentCompleted{d.id, d.receptionId, c->note};
    if (const auto *c = std::get_if<HandOverVisit>(&command))
        return DiagnosisHandedOver{d.id, d.doctor, c->toDoctor, c->note};
    return TreatmentRefused{d.id, d.receptionId, std::get<RefuseTreatment>(command).note};
}

Result<Transition<Diagnosis>> registerDiagnosis(const std::optional<Diagnosis> &current,
                                                const ReceptionRegistered &registered, const Event &event,
                                                const ReactionContext &context)
{
    if (current)
        return unchanged(current); // already registered: this event was seen before
    auto doctor =
        assignDoctor(context.catalogue, registered.department, registered.requestedDoctor, context.doctorLoads);
    if (!doctor)
        return doctor.error();
    DiagnosisRegistered payload{idForVisit(registered.receptionId), registered.receptionId, doctor.value(),
                                registered.department, registered.priority};
    return emitOne(current, stamp(std::move(payload), causeOf(event, context.now)), evolve);
}

} // namespace

Result<bool> actsFor(const Diagnosis &diagnosis, const QString &doctor)
{
    if (doctor.isEmpty() || doctor != diagnosis.doctor)
        return makeError(ErrorCode::NotYourPatient,
                         u"%1 is %2's patient"_s.arg(idString(diagnosis.id), diagnosis.doctor));
    return true;
}

QUuid idForVisit(const QUuid &receptionId)
{
    return derivedId(receptionId, u"diagnosis");
}

Result<Transition<Diagnosis>> execute(const std::optional<Diagnosis> &current, const Command &command,
                                      const CommandMeta &meta, const Catalogue &catalogue)
{
    if (auto shape = validateShape(command); !shape)
        return shape.error();
    if (commandContext(command) != BoundedContext::Diagnosis)
        return makeError(ErrorCode::InvalidCommand, commandName(command));
    if (!current)
        return makeError(ErrorCode::DiagnosisNotFound, idString(commandTarget(command)));
    const Diagnosis &d = *current;
    if (auto code = refusal(d.status, command))
        return makeError(*code, idString(d.id));
    if (const auto *cmd = std::get_if<PrescribeExamination>(&command)) {
        if (!catalogue.examination(cmd->code))
            return makeError(ErrorCode::UnknownExaminationCode, cmd->code);
        if (d.prescription(cmd->examinationId))
            return makeError(ErrorCode::ExaminationAlreadyPrescribed, idString(cmd->examinationId));
    }
    if (const auto *cmd = std::get_if<HandOverVisit>(&command)) {
        if (!catalogue.doctor(cmd->toDoctor))
            return makeError(ErrorCode::UnknownDoctor, cmd->toDoctor);
        if (cmd->toDoctor == d.doctor)
            return makeError(ErrorCode::InvalidCommand, u"%1 is already the doctor"_s.arg(d.doctor));
    }
    return emitOne(current, stamp(decide(d, command), causeOf(meta, d.receptionId)), evolve);
}

Result<Transition<Diagnosis>> react(const std::optional<Diagnosis> &current, const Event &event,
                                    const ReactionContext &context)
{
    if (const auto *e = std::get_if<ReceptionRegistered>(&event.payload))
        return registerDiagnosis(current, *e, event, context);
    if (!current)
        return makeError(ErrorCode::DiagnosisNotFound, idString(event.visitId));
    if (event.visitId != current->receptionId) // routed to another visit's diagnosis: never act on it
        return makeError(ErrorCode::DiagnosisNotFound, idString(event.visitId));

    const Cause cause = causeOf(event, context.now);
    if (std::holds_alternative<ReceptionCancelled>(event.payload)) {
        if (!isOpen(current->status))
            return unchanged(current);
        return emitOne(current, stamp(DiagnosisWithdrawn{current->id, current->receptionId}, cause), evolve);
    }
    const bool result = std::holds_alternative<ExaminationPerformed>(event.payload) ||
                        std::holds_alternative<ExaminationCancelled>(event.payload);
    if (result || std::holds_alternative<ExaminationWithdrawn>(event.payload)) {
        auto recorded = evolve(current, event);
        if (!result || current->status != DiagnosisStatus::ExamsPending ||
            recorded->countWith(ExaminationStatus::Requested) > 0)
            return Transition<Diagnosis>{std::move(recorded), {}};
        return emitOne(recorded, stamp(ResultsReady{current->id}, cause), evolve);
    }
    return unchanged(current);
}

std::optional<Diagnosis> evolve(std::optional<Diagnosis> current, const Event &event)
{
    if (const auto *e = std::get_if<DiagnosisRegistered>(&event.payload)) {
        if (current)
            return current;
        Diagnosis d;
        d.id = e->diagnosisId;
        d.receptionId = e->receptionId;
        d.doctor = e->doctor;
        d.department = e->department;
        d.priority = e->priority;
        d.registeredAt = event.at;
        return d;
    }
    if (!current)
        return current;
    Diagnosis &d = *current;
    auto record = [&d](const QUuid &diagnosisId, const QUuid &examinationId, ExaminationStatus status,
                       const QString &text) {
        if (diagnosisId != d.id)
            return;
        for (auto &p : d.prescriptions) {
            if (p.examinationId == examinationId && p.status == ExaminationStatus::Requested) {
                p.status = status;
                p.result = text;
            }
        }
    };
    std::visit(
        [&](const auto &e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ExaminationPerformed>) {
                record(e.diagnosisId, e.examinationId, ExaminationStatus::Performed, e.result);
            } else if constexpr (std::is_same_v<T, ExaminationCancelled>) {
                record(e.diagnosisId, e.examinationId, ExaminationStatus::Cancelled, e.reason);
            } else if constexpr (std::is_same_v<T, ExaminationWithdrawn>) {
                record(e.diagnosisId, e.examinationId, ExaminationStatus::Withdrawn, toString(e.reason));
            } else if constexpr (std::is_same_v<T, ExaminationPrescribed>) {
                if (e.diagnosisId == d.id && !d.prescription(e.examinationId)) {
                    d.prescriptions.append(
                        Prescription{e.examinationId, e.code, e.note, ExaminationStatus::Requested, {}});
                    d.status = DiagnosisStatus::ExamsPending;
                }
            } else if constexpr (std::is_same_v<T, ResultsReady>) {
                if (e.diagnosisId == d.id)
                    d.status = DiagnosisStatus::ResultsReady;
            } else if constexpr (std::is_same_v<T, ResultsReviewed>) {
                if (e.diagnosisId == d.id) {
                    d.status = DiagnosisStatus::Reviewed;
                    d.reviewNote = e.note;
                }
            } else if constexpr (std::is_same_v<T, TreatmentCompleted>) {
                if (e.diagnosisId == d.id) {
                    d.status = DiagnosisStatus::Completed;
                    d.outcomeNote = e.note;
                }
            } else if constexpr (std::is_same_v<T, TreatmentRefused>) {
                if (e.diagnosisId == d.id) {
                    d.status = DiagnosisStatus::Refused;
                    d.outcomeNote = e.note;
                }
            } else if constexpr (std::is_same_v<T, DiagnosisWithdrawn>) {
                if (e.diagnosisId == d.id)
                    d.status = DiagnosisStatus::Withdrawn;
            } else if constexpr (std::is_same_v<T, DiagnosisHandedOver>) {
                if (e.diagnosisId == d.id)
                    d.doctor = e.toDoctor;
            }
        },
        event.payload);
    return current;
}

} // namespace diagnosis
} // namespace clinicflow::domain
