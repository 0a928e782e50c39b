// The one status language of every screen (SCREENS.md): each status a row can show falls in one tone, which the
// screens draw with one colour, one icon and one word everywhere. Defined once here, beside the models that report
// it (TableModel::ToneRole), so the desk, the doctor, the examiner and the board can never disagree.
#pragma once

#include "domain/Types.h"

#include <optional>

namespace clinicflow::client {

enum class StatusTone
{
    Waiting,      // amber: waiting for a doctor, or for the examiner
    InTreatment,  // blue: with the doctor, or examinations under way
    ResultsReady, // teal: the doctor has results to review
    Completed,    // green: treatment completed (the desk confirms), or an examination performed
    Refused,      // purple: treatment refused (the desk confirms)
    Closed,       // grey: done
    Cancelled,    // red, struck through: cancelled or withdrawn
};

// A visit as a whole: what the desk and the board show.
StatusTone toneOf(domain::ReceptionStatus reception, std::optional<domain::DiagnosisStatus> diagnosis);
// A consultation, as the doctor's queue shows it.
StatusTone toneOf(domain::DiagnosisStatus status);
// An examination, as the examiner's queue and the doctor's checklist show it.
StatusTone toneOf(domain::ExaminationStatus status);

} // namespace clinicflow::client
