// What each role can ask for. A command names its target by id and carries only what the user typed;
// who sent it and when travels beside it in CommandMeta.
#pragma once

#include "Ids.h"
#include "Types.h"

#include <QDateTime>
#include <QUuid>
#include <variant>

namespace clinicflow::domain {

// Receptionist
struct RegisterVisit
{
    QUuid receptionId;
    Ticket ticket;
    Patient patient;
    QString department;
    QString requestedDoctor; // empty: the saga assigns the least-loaded doctor of the department
    QString chiefComplaint;
    Priority priority = Priority::Normal;
    friend bool operator==(const RegisterVisit &, const RegisterVisit &) = default;
};
struct CancelVisit
{
    QUuid receptionId;
    QString reason;
    friend bool operator==(const CancelVisit &, const CancelVisit &) = default;
};
struct ConfirmOutcome
{
    QUuid receptionId;
    friend bool operator==(const ConfirmOutcome &, const ConfirmOutcome &) = default;
};

// Doctor
struct PrescribeExamination
{
    QUuid diagnosisId;
    QUuid examinationId; // made by the doctor's workstation
    QString code;        // from the examination catalogue
    QString note;
    friend bool operator==(const PrescribeExamination &, const PrescribeExamination &) = default;
};
struct ReviewResults
{
    QUuid diagnosisId;
    QString note;
    friend bool operator==(const ReviewResults &, const ReviewResults &) = default;
};
struct CompleteTreatment
{
    QUuid diagnosisId;
    QString note;
    friend bool operator==(const CompleteTreatment &, const CompleteTreatment &) = default;
};
struct RefuseTreatment
{
    QUuid diagnosisId;
    QString note;
    friend bool operator==(const RefuseTreatment &, const RefuseTreatment &) = default;
};
// A doctor hands their patient over to a colleague of the roster, who acts on the diagnosis from then on.
struct HandOverVisit
{
    QUuid diagnosisId;
    QString toDoctor;
    QString note;
    friend bool operator==(const HandOverVisit &, const HandOverVisit &) = default;
};

// Examiner
struct PerformExamination
{
    QUuid examinationId;
    QString result;
    friend bool operator==(const PerformExamination &, const PerformExamination &) = default;
};
struct CancelExamination
{
    QUuid examinationId;
    QString reason;
    friend bool operator==(const CancelExamination &, const CancelExamination &) = default;
};

using Command = std::variant<RegisterVisit, CancelVisit, ConfirmOutcome, PrescribeExamination, ReviewResults,
                             CompleteTreatment, RefuseTreatment, PerformExamination, CancelExamination, HandOverVisit>;

// Who asked, when, under which id: the command id is the idempotency key and the causation of every event it makes.
struct CommandMeta
{
    QUuid commandId;
    QString station;
    QDateTime at;
};

QString commandName(const Command &);           // "RegisterVisit"
Role commandRole(const Command &);              // the only role allowed to issue it
BoundedContext commandContext(const Command &); // the context whose inbox takes it
QUuid commandTarget(const Command &);           // the aggregate it acts on

// Checks that do not need any state: ids present, required text present, lengths bounded.
Result<bool> validateShape(const Command &);

inline constexpr int kMaxNameLength = 100;
inline constexpr int kMaxShortTextLength = 200; // phone, department, codes, reasons
inline constexpr int kMaxLongTextLength = 4000; // complaints, notes, results, addresses
inline constexpr int kEarliestBirthYear = 1880;
inline constexpr int kMaxEstimatedAge = 150;

} // namespace clinicflow::domain
