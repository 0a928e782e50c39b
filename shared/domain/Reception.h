// The reception context: a patient's visit from the front desk to its close (ARCHITECTURE §2, §3 steps 1, 2, 8).
//   received -> in_treatment -> treatment_completed | treatment_refused -> closed
//   received | in_treatment -> cancelled
#pragma once

#include "Transition.h"

namespace clinicflow::domain {

struct Reception
{
    QUuid id;
    Ticket ticket;
    Patient patient;
    QString department;
    QString requestedDoctor;
    QString chiefComplaint;
    Priority priority = Priority::Normal;
    QDateTime receivedAt;
    QString station;
    ReceptionStatus status = ReceptionStatus::Received;
    QUuid diagnosisId; // set when treatment starts
    QString doctor;    // the doctor the saga assigned
    QString cancelReason;
    friend bool operator==(const Reception &, const Reception &) = default;
};

namespace reception {

// RegisterVisit, CancelVisit or ConfirmOutcome. Any other command is InvalidCommand.
Result<Transition<Reception>> execute(const std::optional<Reception> &current, const Command &command,
                                      const CommandMeta &meta, const Catalogue &catalogue);

// DiagnosisRegistered -> TreatmentStarted; TreatmentCompleted | TreatmentRefused -> OutcomeRecorded.
// An event that arrives after the visit moved on (cancelled) changes nothing and emits nothing.
Result<Transition<Reception>> react(const std::optional<Reception> &current, const Event &event,
                                    const ReactionContext &context);

// The aggregate after one of its own events; other events leave it as it is.
std::optional<Reception> evolve(std::optional<Reception> current, const Event &event);

} // namespace reception
} // namespace clinicflow::domain
