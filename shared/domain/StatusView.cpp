#include "StatusView.h"

#include "ActedAt.h"

#include <algorithm>

namespace clinicflow::domain {

qint64 VisitStatus::waitingSeconds(const QDateTime &now) const
{
    if (!receivedAt.isValid())
        return 0;
    const QDateTime end = seenAt.isValid() ? seenAt : (finishedAt.isValid() ? finishedAt : now);
    // Times kept before the window of ActedAt.h (a station whose clock said 1970) are not a wait of decades: no wait
    // is longer than an action may be old, and an end before the registration is no wait at all.
    return std::clamp<qint64>(receivedAt.secsTo(end), 0, kActedAtMaxAgeMs / 1000);
}

bool project(std::optional<VisitStatus> &row, const Event &event)
{
    if (const auto *e = std::get_if<ReceptionRegistered>(&event.payload)) {
        if (row)
            return false;
        VisitStatus v;
        v.visitId = e->receptionId;
        v.ticket = e->ticket.toString();
        v.patientNumber = e->patient.patientNumber;
        v.patientName = e->patient.name;
        v.department = e->department;
        v.doctor = e->requestedDoctor;
        v.priority = e->priority;
        v.receivedAt = event.at;
        v.updatedAt = event.at;
        v.lastSequence = event.sequence;
        row = std::move(v);
        return true;
    }
    if (!row || row->visitId != event.visitId || (event.sequence != 0 && event.sequence <= row->lastSequence))
        return false;
    VisitStatus &v = *row;
    // A time before the registration (another station's clock behind the desk's) ends the wait at the registration.
    const auto seen = [&] {
        if (!v.seenAt.isValid())
            v.seenAt = v.receivedAt.isValid() ? std::max(event.at, v.receivedAt) : event.at;
    };
    std::visit(
        [&](const auto &e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, DiagnosisRegistered>) {
                v.diagnosisId = e.diagnosisId;
                v.doctor = e.doctor;
                v.diagnosisStatus = DiagnosisStatus::Waiting;
            } else if constexpr (std::is_same_v<T, TreatmentStarted>) {
                v.receptionStatus = ReceptionStatus::InTreatment;
                v.doctor = e.doctor;
            } else if constexpr (std::is_same_v<T, ExaminationPrescribed>) {
                ++v.examsPrescribed;
                v.diagnosisStatus = DiagnosisStatus::ExamsPending;
                seen();
            } else if constexpr (std::is_same_v<T, ExaminationPerformed>) {
                ++v.examsPerformed;
            } else if constexpr (std::is_same_v<T, ExaminationCancelled>) {
                ++v.examsCancelled;
            } else if constexpr (std::is_same_v<T, ExaminationWithdrawn>) {
                ++v.examsWithdrawn;
            } else if constexpr (std::is_same_v<T, ResultsReady>) {
                v.diagnosisStatus = DiagnosisStatus::ResultsReady;
            } else if constexpr (std::is_same_v<T, ResultsReviewed>) {
                v.diagnosisStatus = DiagnosisStatus::Reviewed;
            } else if constexpr (std::is_same_v<T, TreatmentCompleted>) {
                v.diagnosisStatus = DiagnosisStatus::Completed;
                seen();
            } else if constexpr (std::is_same_v<T, TreatmentRefused>) {
                v.diagnosisStatus = DiagnosisStatus::Refused;
                seen();
            } else if constexpr (std::is_same_v<T, DiagnosisWithdrawn>) {
                v.diagnosisStatus = DiagnosisStatus::Withdrawn;
            } else if constexpr (std::is_same_v<T, DiagnosisHandedOver>) {
                v.doctor = e.toDoctor;
            } else if constexpr (std::is_same_v<T, OutcomeRecorded>) {
                v.receptionStatus = e.outcome;
            } else if constexpr (std::is_same_v<T, VisitClosed>) {
                v.receptionStatus = ReceptionStatus::Closed;
                v.finishedAt = event.at;
            } else if constexpr (std::is_same_v<T, ReceptionCancelled>) {
                v.receptionStatus = ReceptionStatus::Cancelled;
                v.finishedAt = event.at;
            }
        },
        event.payload);
    v.updatedAt = event.at;
    if (event.sequence != 0)
        v.lastSequence = event.sequence;
    return true;
}

} // namespace clinicflow::domain
