// The status language's mapping (see StatusTone.h).
#include "StatusTone.h"

namespace clinicflow::client {

using namespace domain;

StatusTone toneOf(ReceptionStatus reception, std::optional<DiagnosisStatus> diagnosis)
{
    switch (reception) {
    case ReceptionStatus::Received:
        return StatusTone::Waiting;
    case ReceptionStatus::InTreatment:
        return diagnosis ? toneOf(*diagnosis) : StatusTone::Waiting;
    case ReceptionStatus::TreatmentCompleted:
        return StatusTone::Completed;
    case ReceptionStatus::TreatmentRefused:
        return StatusTone::Refused;
    case ReceptionStatus::Closed:
        return StatusTone::Closed;
    case ReceptionStatus::Cancelled:
        break;
    }
    return StatusTone::Cancelled;
}

StatusTone toneOf(DiagnosisStatus status)
{
    switch (status) {
    case DiagnosisStatus::Waiting:
        return StatusTone::Waiting;
    case DiagnosisStatus::ExamsPending:
        return StatusTone::InTreatment;
    case DiagnosisStatus::ResultsReady:
    case DiagnosisStatus::Reviewed:
        return StatusTone::ResultsReady;
    case DiagnosisStatus::Completed:
        return StatusTone::Completed;
    case DiagnosisStatus::Refused:
        return StatusTone::Refused;
    case DiagnosisStatus::Withdrawn:
        break;
    }
    return StatusTone::Cancelled;
}

StatusTone toneOf(ExaminationStatus status)
{
    switch (status) {
    case ExaminationStatus::Requested:
        return StatusTone::Waiting;
    case ExaminationStatus::Performed:
        return StatusTone::Completed;
    case ExaminationStatus::Cancelled:
    case ExaminationStatus::Withdrawn:
        break;
    }
    return StatusTone::Cancelled;
}

} // namespace clinicflow::client
