// The vocabulary of the domain: roles, contexts, statuses and the patient record, with their stable names.
// Names (e.g. "in_treatment") are what storage, JSON and logs use; enums are what code uses.
#pragma once

#include <QDate>
#include <QString>
#include <optional>

namespace clinicflow::domain {

enum class Role
{
    Receptionist,
    Doctor,
    Examiner,
    Board
};
enum class BoundedContext
{
    Reception,
    Diagnosis,
    Examination
};
enum class Priority
{
    Normal,
    Urgent
};
enum class Sex
{
    Unknown,
    Female,
    Male,
    Other
};

enum class ReceptionStatus
{
    Received,
    InTreatment,
    TreatmentCompleted,
    TreatmentRefused,
    Closed,
    Cancelled
};
enum class DiagnosisStatus
{
    Waiting,
    ExamsPending,
    ResultsReady,
    Reviewed,
    Completed,
    Refused,
    Withdrawn
};
enum class ExaminationStatus
{
    Requested,
    Performed,
    Cancelled,
    Withdrawn
};

// Why an examination was withdrawn by the saga's compensation.
enum class WithdrawReason
{
    TreatmentRefused,
    VisitCancelled
};

struct Patient
{
    QString patientNumber; // hospital patient number when the patient is known; empty for a new patient
    QString name;
    QDate birthDate; // null when unknown (an unconscious patient, say)
    Sex sex = Sex::Unknown;
    QString phone;
    QString address;
    // Only when the birth date is unknown: the desk's estimate of the age in years, if it made one.
    std::optional<int> estimatedAgeYears;
    friend bool operator==(const Patient &, const Patient &) = default;
};

QString toString(Role);
QString toString(BoundedContext);
QString toString(Priority);
QString toString(Sex);
QString toString(ReceptionStatus);
QString toString(DiagnosisStatus);
QString toString(ExaminationStatus);
QString toString(WithdrawReason);

// Parsing a name gives nothing for a name this build does not know.
template<typename Enum>
std::optional<Enum> fromString(const QString &name);
template<>
std::optional<Role> fromString<Role>(const QString &);
template<>
std::optional<BoundedContext> fromString<BoundedContext>(const QString &);
template<>
std::optional<Priority> fromString<Priority>(const QString &);
template<>
std::optional<Sex> fromString<Sex>(const QString &);
template<>
std::optional<ReceptionStatus> fromString<ReceptionStatus>(const QString &);
template<>
std::optional<DiagnosisStatus> fromString<DiagnosisStatus>(const QString &);
template<>
std::optional<ExaminationStatus> fromString<ExaminationStatus>(const QString &);
template<>
std::optional<WithdrawReason> fromString<WithdrawReason>(const QString &);

bool isOpen(DiagnosisStatus); // not yet completed, refused or withdrawn
bool isFinal(ReceptionStatus);

} // namespace clinicflow::domain
