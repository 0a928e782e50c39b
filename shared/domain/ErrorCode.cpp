#include "ErrorCode.h"

#include "Result.h"

#include <QCoreApplication>

namespace clinicflow::domain {
namespace {

struct ErrorText
{
    ErrorCode code;
    const char *name;
    const char *message;
};

// QT_TRANSLATE_NOOP keeps the English text here and lets lupdate collect it for the screens.
constexpr ErrorText kErrors[] = {
    {ErrorCode::None, "none", QT_TRANSLATE_NOOP("ErrorCode", "no error")},
    {ErrorCode::InvalidCommand, "invalid_command", QT_TRANSLATE_NOOP("ErrorCode", "this command is not valid here")},
    {ErrorCode::MissingId, "missing_id", QT_TRANSLATE_NOOP("ErrorCode", "an identifier is missing")},
    {ErrorCode::PatientNameRequired, "patient_name_required",
     QT_TRANSLATE_NOOP("ErrorCode", "the patient's name is required")},
    {ErrorCode::InvalidBirthDate, "invalid_birth_date",
     QT_TRANSLATE_NOOP("ErrorCode", "the birth date is invalid or in the future, or given with an estimated age")},
    {ErrorCode::UnknownDepartment, "unknown_department", QT_TRANSLATE_NOOP("ErrorCode", "no such department")},
    {ErrorCode::UnknownDoctor, "unknown_doctor", QT_TRANSLATE_NOOP("ErrorCode", "no such doctor")},
    {ErrorCode::DoctorNotInDepartment, "doctor_not_in_department",
     QT_TRANSLATE_NOOP("ErrorCode", "the requested doctor does not work in this department")},
    {ErrorCode::UnknownExaminationCode, "unknown_examination_code",
     QT_TRANSLATE_NOOP("ErrorCode", "no such examination in the catalogue")},
    {ErrorCode::ResultRequired, "result_required", QT_TRANSLATE_NOOP("ErrorCode", "an examination result is required")},
    {ErrorCode::ReasonRequired, "reason_required", QT_TRANSLATE_NOOP("ErrorCode", "a reason is required")},
    {ErrorCode::InvalidTicket, "invalid_ticket", QT_TRANSLATE_NOOP("ErrorCode", "the queue ticket is not valid")},
    {ErrorCode::FieldTooLong, "field_too_long", QT_TRANSLATE_NOOP("ErrorCode", "a field is too long")},
    {ErrorCode::ChiefComplaintRequired, "chief_complaint_required",
     QT_TRANSLATE_NOOP("ErrorCode", "the chief complaint is required")},
    {ErrorCode::InvalidCharacters, "invalid_characters",
     QT_TRANSLATE_NOOP("ErrorCode", "a field contains line breaks, control or invisible characters it may not hold")},
    {ErrorCode::ActedAtOutOfRange, "acted_at_out_of_range",
     QT_TRANSLATE_NOOP("ErrorCode", "the action's time is too far from the server's: check the station's clock, or "
                                    "the action waited offline too long to be accepted")},
    {ErrorCode::VisitNotFound, "visit_not_found", QT_TRANSLATE_NOOP("ErrorCode", "no such visit")},
    {ErrorCode::DiagnosisNotFound, "diagnosis_not_found", QT_TRANSLATE_NOOP("ErrorCode", "no such diagnosis")},
    {ErrorCode::ExaminationNotFound, "examination_not_found", QT_TRANSLATE_NOOP("ErrorCode", "no such examination")},
    {ErrorCode::VisitAlreadyRegistered, "visit_already_registered",
     QT_TRANSLATE_NOOP("ErrorCode", "this visit is already registered")},
    {ErrorCode::ExaminationAlreadyPrescribed, "examination_already_prescribed",
     QT_TRANSLATE_NOOP("ErrorCode", "this examination is already prescribed")},
    {ErrorCode::NoDoctorAvailable, "no_doctor_available",
     QT_TRANSLATE_NOOP("ErrorCode", "no doctor works in this department")},
    {ErrorCode::VisitAlreadyCancelled, "visit_already_cancelled",
     QT_TRANSLATE_NOOP("ErrorCode", "visit already cancelled")},
    {ErrorCode::VisitAlreadyClosed, "visit_already_closed", QT_TRANSLATE_NOOP("ErrorCode", "visit already closed")},
    {ErrorCode::VisitOutcomeNotRecorded, "visit_outcome_not_recorded",
     QT_TRANSLATE_NOOP("ErrorCode", "the treatment has no outcome yet")},
    {ErrorCode::VisitOutcomeAlreadyRecorded, "visit_outcome_already_recorded",
     QT_TRANSLATE_NOOP("ErrorCode", "the treatment already has an outcome: confirm it instead")},
    {ErrorCode::DiagnosisWithdrawn, "diagnosis_withdrawn",
     QT_TRANSLATE_NOOP("ErrorCode", "diagnosis withdrawn: the visit was cancelled")},
    {ErrorCode::TreatmentAlreadyCompleted, "treatment_already_completed",
     QT_TRANSLATE_NOOP("ErrorCode", "treatment already completed")},
    {ErrorCode::TreatmentAlreadyRefused, "treatment_already_refused",
     QT_TRANSLATE_NOOP("ErrorCode", "treatment already refused")},
    {ErrorCode::ExaminationsStillPending, "examinations_still_pending",
     QT_TRANSLATE_NOOP("ErrorCode", "examinations are still pending")},
    {ErrorCode::ResultsNotReady, "results_not_ready",
     QT_TRANSLATE_NOOP("ErrorCode", "there are no examination results to review")},
    {ErrorCode::ResultsNotReviewed, "results_not_reviewed",
     QT_TRANSLATE_NOOP("ErrorCode", "review the examination results first")},
    {ErrorCode::ResultsAlreadyReviewed, "results_already_reviewed",
     QT_TRANSLATE_NOOP("ErrorCode", "results already reviewed: complete or refuse the treatment")},
    {ErrorCode::ExaminationAlreadyPerformed, "examination_already_performed",
     QT_TRANSLATE_NOOP("ErrorCode", "examination already performed")},
    {ErrorCode::ExaminationAlreadyCancelled, "examination_already_cancelled",
     QT_TRANSLATE_NOOP("ErrorCode", "examination already cancelled")},
    {ErrorCode::ExaminationWithdrawnTreatmentRefused, "examination_withdrawn_treatment_refused",
     QT_TRANSLATE_NOOP("ErrorCode", "examination already withdrawn: the treatment was refused")},
    {ErrorCode::ExaminationWithdrawnVisitCancelled, "examination_withdrawn_visit_cancelled",
     QT_TRANSLATE_NOOP("ErrorCode", "examination already withdrawn: the visit was cancelled")},
    {ErrorCode::RoleNotAllowed, "role_not_allowed",
     QT_TRANSLATE_NOOP("ErrorCode", "this station's role may not do that")},
    {ErrorCode::UnknownStation, "unknown_station", QT_TRANSLATE_NOOP("ErrorCode", "this station is not enrolled")},
    {ErrorCode::MalformedMessage, "malformed_message", QT_TRANSLATE_NOOP("ErrorCode", "the message could not be read")},
    {ErrorCode::MessageTooLarge, "message_too_large", QT_TRANSLATE_NOOP("ErrorCode", "the message is too large")},
    {ErrorCode::UnsupportedProtocolVersion, "unsupported_protocol_version",
     QT_TRANSLATE_NOOP("ErrorCode", "this protocol version is not supported")},
    {ErrorCode::UnknownMessageType, "unknown_message_type", QT_TRANSLATE_NOOP("ErrorCode", "unknown message type")},
    {ErrorCode::NotYourPatient, "not_your_patient",
     QT_TRANSLATE_NOOP("ErrorCode", "this patient is assigned to another doctor")},
    {ErrorCode::ServerUnavailable, "server_unavailable", QT_TRANSLATE_NOOP("ErrorCode", "the server is unavailable")},
    {ErrorCode::CommandIdReused, "command_id_reused",
     QT_TRANSLATE_NOOP("ErrorCode", "this command id already names another command")},
    {ErrorCode::RateLimited, "rate_limited",
     QT_TRANSLATE_NOOP("ErrorCode", "this station is sending too much: it will send again shortly")},
    {ErrorCode::InternalError, "internal_error",
     QT_TRANSLATE_NOOP("ErrorCode", "internal error: the action was not applied")},
};

const ErrorText *find(ErrorCode code)
{
    for (const auto &e : kErrors) {
        if (e.code == code)
            return &e;
    }
    return nullptr;
}

} // namespace

const char *errorMessage(ErrorCode code)
{
    const ErrorText *e = find(code);
    return e ? e->message : "unknown error";
}

const char *errorName(ErrorCode code)
{
    const ErrorText *e = find(code);
    return e ? e->name : "unknown";
}

ErrorCode errorCodeFromInt(int value)
{
    const ErrorText *e = find(static_cast<ErrorCode>(value));
    return e ? e->code : ErrorCode::InvalidCommand;
}

QString Error::message() const
{
    QString text = QString::fromUtf8(errorMessage(code));
    if (!detail.isEmpty())
        text += QStringLiteral(" (") + detail + u')';
    return text;
}

} // namespace clinicflow::domain
