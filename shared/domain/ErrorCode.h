// Every reason ClinicFlow refuses something, with a sentence a person can read.
// The numeric values travel on the wire (clinicflow.v1.ErrorCode mirrors them): never renumber, only append.
#pragma once

#include <QString>

namespace clinicflow::domain {

enum class ErrorCode : int
{
    None = 0,

    // Shape of a command or message (1xx)
    InvalidCommand = 100,
    MissingId = 101,
    PatientNameRequired = 102,
    InvalidBirthDate = 103,
    UnknownDepartment = 104,
    UnknownDoctor = 105,
    DoctorNotInDepartment = 106,
    UnknownExaminationCode = 107,
    ResultRequired = 108,
    ReasonRequired = 109,
    InvalidTicket = 110,
    FieldTooLong = 111,
    ChiefComplaintRequired = 112,
    InvalidCharacters = 113, // a control or invisible formatting character in a name or a text
    ActedAtOutOfRange = 114, // the command's time is too far from the server's (domain/ActedAt.h)

    // Targets that do not exist, or exist already (2xx)
    VisitNotFound = 200,
    DiagnosisNotFound = 201,
    ExaminationNotFound = 202,
    VisitAlreadyRegistered = 203,
    ExaminationAlreadyPrescribed = 204,
    NoDoctorAvailable = 205,

    // Reception transitions (3xx)
    VisitAlreadyCancelled = 300,
    VisitAlreadyClosed = 301,
    VisitOutcomeNotRecorded = 302,
    VisitOutcomeAlreadyRecorded = 303,

    // Diagnosis transitions (4xx)
    DiagnosisWithdrawn = 400,
    TreatmentAlreadyCompleted = 401,
    TreatmentAlreadyRefused = 402,
    ExaminationsStillPending = 403,
    ResultsNotReady = 404,
    ResultsNotReviewed = 405,
    ResultsAlreadyReviewed = 406,

    // Examination transitions (5xx)
    ExaminationAlreadyPerformed = 500,
    ExaminationAlreadyCancelled = 501,
    ExaminationWithdrawnTreatmentRefused = 502,
    ExaminationWithdrawnVisitCancelled = 503,

    // Stations and protocol (6xx)
    RoleNotAllowed = 600,
    UnknownStation = 601,
    MalformedMessage = 602,
    MessageTooLarge = 603,
    UnsupportedProtocolVersion = 604,
    UnknownMessageType = 605,
    NotYourPatient = 606,
    ServerUnavailable = 607,
    CommandIdReused = 608, // the command id names another command (another station's, or other content)
    RateLimited = 609,     // the station sent more than its share; not taken, send again later
    InternalError = 699,
};

// English sentence for the code, marked for translation in the "ErrorCode" context:
// a screen shows QCoreApplication::translate("ErrorCode", errorMessage(code)).
const char *errorMessage(ErrorCode code);

// Stable machine name, e.g. "examination_withdrawn_treatment_refused", for logs and JSON.
const char *errorName(ErrorCode code);

// The code for a wire value, or InvalidCommand for a value this build does not know.
ErrorCode errorCodeFromInt(int value);

} // namespace clinicflow::domain
