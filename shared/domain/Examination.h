// The examination context: one prescribed examination in an examiner's queue (ARCHITECTURE §2, §3 steps 4, 5, 7).
//   requested -> performed | cancelled;  requested -> withdrawn (compensation)
#pragma once

#include "Transition.h"

namespace clinicflow::domain {

struct Examination
{
    QUuid id;
    QUuid diagnosisId;
    QUuid receptionId;
    QString code;
    QString note; // the doctor's note with the prescription
    QDateTime requestedAt;
    // When it ended, one field per way of ending: only the one matching the status is set.
    QDateTime performedAt;
    QDateTime cancelledAt;
    QDateTime withdrawnAt;
    QString examiner;
    QString result;
    QString cancelReason;
    ExaminationStatus status = ExaminationStatus::Requested;
    std::optional<WithdrawReason> withdrawReason;
    friend bool operator==(const Examination &, const Examination &) = default;
};

namespace examination {

// PerformExamination or CancelExamination. The examiner is the station in meta.
Result<Transition<Examination>> execute(const std::optional<Examination> &current, const Command &command,
                                        const CommandMeta &meta, const Catalogue &catalogue);

// ExaminationPrescribed -> ExaminationRequested; TreatmentRefused | DiagnosisWithdrawn -> ExaminationWithdrawn
// while still requested.
Result<Transition<Examination>> react(const std::optional<Examination> &current, const Event &event,
                                      const ReactionContext &context);

std::optional<Examination> evolve(std::optional<Examination> current, const Event &event);

} // namespace examination
} // namespace clinicflow::domain
