// The sentences of a visit's timeline (see HistoryText.h).
#include "HistoryText.h"

#include "ModelText.h"

namespace clinicflow::client {

using namespace domain;

namespace {

// The examination's name, or empty when its code is not known here.
QString examinationName(const HistoryText::ExaminationCodes &codes, const Catalogue &catalogue, const QUuid &id)
{
    const QString code = codes ? codes(id) : QString();
    return code.isEmpty() ? QString() : ModelText::examination(catalogue, code);
}

} // namespace

QString HistoryText::describe(const HistoryEntry &entry, const Catalogue &catalogue, const ExaminationCodes &codes)
{
    if (entry.event)
        return event(*entry.event, catalogue, codes);
    if (!entry.command)
        return {};
    const QString what = command(entry.command->command, catalogue, codes);
    return entry.inEffect ? tr("%1 (waiting for the server)").arg(what)
                          : tr("%1 (no longer possible here; waiting for the server's answer)").arg(what);
}

QString HistoryText::event(const Event &event, const Catalogue &catalogue, const ExaminationCodes &codes)
{
    return std::visit(
        [&catalogue, &codes](const auto &e) -> QString {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ReceptionRegistered>)
                return tr("Registered as %1 for %2")
                    .arg(e.ticket.toString(), ModelText::department(catalogue, e.department));
            else if constexpr (std::is_same_v<T, DiagnosisRegistered>)
                return tr("Assigned to %1").arg(ModelText::doctor(catalogue, e.doctor));
            else if constexpr (std::is_same_v<T, TreatmentStarted>)
                return tr("Treatment started with %1").arg(ModelText::doctor(catalogue, e.doctor));
            else if constexpr (std::is_same_v<T, ExaminationPrescribed>)
                return tr("%1 prescribed").arg(ModelText::examination(catalogue, e.code));
            else if constexpr (std::is_same_v<T, ExaminationRequested>)
                return tr("%1 requested from the examination room").arg(ModelText::examination(catalogue, e.code));
            else if constexpr (std::is_same_v<T, ExaminationPerformed>) {
                const QString name = examinationName(codes, catalogue, e.examinationId);
                return name.isEmpty() ? tr("Examination performed") : tr("%1 performed").arg(name);
            } else if constexpr (std::is_same_v<T, ExaminationCancelled>) {
                const QString name = examinationName(codes, catalogue, e.examinationId);
                return name.isEmpty() ? tr("Examination cancelled: %1").arg(e.reason)
                                      : tr("%1 cancelled: %2").arg(name, e.reason);
            } else if constexpr (std::is_same_v<T, ExaminationWithdrawn>) {
                const QString name = examinationName(codes, catalogue, e.examinationId);
                if (e.reason == WithdrawReason::VisitCancelled)
                    return name.isEmpty() ? tr("Examination withdrawn because the visit was cancelled")
                                          : tr("%1 withdrawn because the visit was cancelled").arg(name);
                return name.isEmpty() ? tr("Examination withdrawn because the treatment was refused")
                                      : tr("%1 withdrawn because the treatment was refused").arg(name);
            } else if constexpr (std::is_same_v<T, ResultsReady>)
                return tr("Every examination performed or cancelled: ready for review");
            else if constexpr (std::is_same_v<T, ResultsReviewed>)
                return tr("Results reviewed by the doctor");
            else if constexpr (std::is_same_v<T, TreatmentCompleted>)
                return tr("Treatment completed");
            else if constexpr (std::is_same_v<T, TreatmentRefused>)
                return tr("Treatment refused");
            else if constexpr (std::is_same_v<T, DiagnosisWithdrawn>)
                return tr("Consultation withdrawn");
            else if constexpr (std::is_same_v<T, DiagnosisHandedOver>)
                return tr("Handed over from %1 to %2")
                    .arg(ModelText::doctor(catalogue, e.fromDoctor), ModelText::doctor(catalogue, e.toDoctor));
            else if constexpr (std::is_same_v<T, OutcomeRecorded>)
                return e.outcome == ReceptionStatus::TreatmentRefused ? tr("Outcome recorded: treatment refused")
                                                                      : tr("Outcome recorded: treatment completed");
            else if constexpr (std::is_same_v<T, VisitClosed>)
                return tr("Visit closed at the desk");
            else
                return e.reason.isEmpty() ? tr("Visit cancelled") : tr("Visit cancelled: %1").arg(e.reason);
        },
        event.payload);
}

QString HistoryText::command(const Command &command, const Catalogue &catalogue, const ExaminationCodes &codes)
{
    return std::visit(
        [&catalogue, &codes](const auto &c) -> QString {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, RegisterVisit>)
                return tr("Register as %1 for %2")
                    .arg(c.ticket.toString(), ModelText::department(catalogue, c.department));
            else if constexpr (std::is_same_v<T, CancelVisit>)
                return tr("Cancel the visit");
            else if constexpr (std::is_same_v<T, ConfirmOutcome>)
                return tr("Confirm the outcome");
            else if constexpr (std::is_same_v<T, PrescribeExamination>)
                return tr("Prescribe %1").arg(ModelText::examination(catalogue, c.code));
            else if constexpr (std::is_same_v<T, ReviewResults>)
                return tr("Review the results");
            else if constexpr (std::is_same_v<T, CompleteTreatment>)
                return tr("Complete the treatment");
            else if constexpr (std::is_same_v<T, RefuseTreatment>)
                return tr("Record the refusal of treatment");
            else if constexpr (std::is_same_v<T, HandOverVisit>)
                return tr("Hand over to %1").arg(ModelText::doctor(catalogue, c.toDoctor));
            else if constexpr (std::is_same_v<T, PerformExamination>) {
                const QString name = examinationName(codes, catalogue, c.examinationId);
                return name.isEmpty() ? tr("Perform the examination") : tr("Perform %1").arg(name);
            } else {
                const QString name = examinationName(codes, catalogue, c.examinationId);
                return name.isEmpty() ? tr("Cancel the examination") : tr("Cancel %1").arg(name);
            }
        },
        command);
}

} // namespace clinicflow::client
