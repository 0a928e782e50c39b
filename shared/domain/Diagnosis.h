// The diagnosis context: a doctor's work on one visit (ARCHITECTURE §2, §3 steps 2, 3, 6, 7).
//   waiting -> exams_pending <-> results_ready -> reviewed -> completed | refused
//   waiting -> completed | refused (no examination needed); exams_pending | results_ready -> refused
//   any open state -> withdrawn (the visit was cancelled)
#pragma once

#include "Transition.h"

#include <QList>

namespace clinicflow::domain {

struct Prescription
{
    QUuid examinationId;
    QString code;
    QString note;
    ExaminationStatus status = ExaminationStatus::Requested;
    QString result; // the examiner's result, or the reason it was cancelled
    friend bool operator==(const Prescription &, const Prescription &) = default;
};

struct Diagnosis
{
    QUuid id;
    QUuid receptionId;
    QString doctor;
    QString department;
    Priority priority = Priority::Normal;
    QDateTime registeredAt;
    DiagnosisStatus status = DiagnosisStatus::Waiting;
    QList<Prescription> prescriptions;
    QString reviewNote;
    QString outcomeNote;

    const Prescription *prescription(const QUuid &examinationId) const;
    int countWith(ExaminationStatus status) const;
    friend bool operator==(const Diagnosis &, const Diagnosis &) = default;
};

namespace diagnosis {

// The diagnosis id of a visit: derived from the reception id, so every node computes the same one.
QUuid idForVisit(const QUuid &receptionId);

// Whether a doctor's room acting for `doctor` may act on this diagnosis: a doctor acts only on their own patients
// (NotYourPatient otherwise; a room acting for no doctor acts on nobody's). The server asks it before every doctor's
// command, with the doctor of the station's enrolment; the doctor's screen asks it before offering an action.
Result<bool> actsFor(const Diagnosis &diagnosis, const QString &doctor);

// PrescribeExamination, ReviewResults, CompleteTreatment, RefuseTreatment or HandOverVisit (to a roster doctor other
// than the current one, while open: the diagnosis is the new doctor's from then on).
Result<Transition<Diagnosis>> execute(const std::optional<Diagnosis> &current, const Command &command,
                                      const CommandMeta &meta, const Catalogue &catalogue);

// ReceptionRegistered -> DiagnosisRegistered (assigning a doctor); ReceptionCancelled -> DiagnosisWithdrawn;
// ExaminationPerformed | ExaminationCancelled -> recorded, and ResultsReady once none is still requested;
// ExaminationWithdrawn -> recorded.
Result<Transition<Diagnosis>> react(const std::optional<Diagnosis> &current, const Event &event,
                                    const ReactionContext &context);

// The aggregate after one of its own events, or after an examination event it records.
std::optional<Diagnosis> evolve(std::optional<Diagnosis> current, const Event &event);

} // namespace diagnosis
} // namespace clinicflow::domain
