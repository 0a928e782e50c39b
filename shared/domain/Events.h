// What happened. Each payload belongs to the context that emits it; Event adds the metadata every event carries
// (ARCHITECTURE §6): global sequence, id, aggregate, visit (correlation), causation, time and station.
#pragma once

#include "Ids.h"
#include "Types.h"

#include <QDateTime>
#include <QUuid>
#include <variant>
#include <vector>

namespace clinicflow::domain {

// Reception context
struct ReceptionRegistered
{
    QUuid receptionId;
    Ticket ticket;
    Patient patient;
    QString department;
    QString requestedDoctor;
    QString chiefComplaint;
    Priority priority = Priority::Normal;
    friend bool operator==(const ReceptionRegistered &, const ReceptionRegistered &) = default;
};
struct TreatmentStarted
{
    QUuid receptionId;
    QUuid diagnosisId;
    QString doctor;
    friend bool operator==(const TreatmentStarted &, const TreatmentStarted &) = default;
};
struct OutcomeRecorded
{
    QUuid receptionId;
    ReceptionStatus outcome = ReceptionStatus::TreatmentCompleted; // TreatmentCompleted or TreatmentRefused
    friend bool operator==(const OutcomeRecorded &, const OutcomeRecorded &) = default;
};
struct VisitClosed
{
    QUuid receptionId;
    friend bool operator==(const VisitClosed &, const VisitClosed &) = default;
};
struct ReceptionCancelled
{
    QUuid receptionId;
    QString reason;
    friend bool operator==(const ReceptionCancelled &, const ReceptionCancelled &) = default;
};

// Diagnosis context
struct DiagnosisRegistered
{
    QUuid diagnosisId;
    QUuid receptionId;
    QString doctor;
    QString department;
    Priority priority = Priority::Normal;
    friend bool operator==(const DiagnosisRegistered &, const DiagnosisRegistered &) = default;
};
struct ExaminationPrescribed
{
    QUuid diagnosisId;
    QUuid examinationId;
    QString code;
    QString note;
    friend bool operator==(const ExaminationPrescribed &, const ExaminationPrescribed &) = default;
};
struct ResultsReady
{
    QUuid diagnosisId;
    friend bool operator==(const ResultsReady &, const ResultsReady &) = default;
};
struct ResultsReviewed
{
    QUuid diagnosisId;
    QString note;
    friend bool operator==(const ResultsReviewed &, const ResultsReviewed &) = default;
};
struct TreatmentCompleted
{
    QUuid diagnosisId;
    QUuid receptionId;
    QString note;
    friend bool operator==(const TreatmentCompleted &, const TreatmentCompleted &) = default;
};
struct TreatmentRefused
{
    QUuid diagnosisId;
    QUuid receptionId;
    QString note;
    friend bool operator==(const TreatmentRefused &, const TreatmentRefused &) = default;
};
struct DiagnosisWithdrawn
{
    QUuid diagnosisId;
    QUuid receptionId;
    friend bool operator==(const DiagnosisWithdrawn &, const DiagnosisWithdrawn &) = default;
};
struct DiagnosisHandedOver
{
    QUuid diagnosisId;
    QString fromDoctor;
    QString toDoctor;
    QString note;
    friend bool operator==(const DiagnosisHandedOver &, const DiagnosisHandedOver &) = default;
};

// Examination context
struct ExaminationRequested
{
    QUuid examinationId;
    QUuid diagnosisId;
    QString code;
    QString note;
    friend bool operator==(const ExaminationRequested &, const ExaminationRequested &) = default;
};
struct ExaminationPerformed
{
    QUuid examinationId;
    QUuid diagnosisId;
    QString examiner; // the station that performed it
    QString result;
    friend bool operator==(const ExaminationPerformed &, const ExaminationPerformed &) = default;
};
struct ExaminationCancelled
{
    QUuid examinationId;
    QUuid diagnosisId;
    QString examiner;
    QString reason;
    friend bool operator==(const ExaminationCancelled &, const ExaminationCancelled &) = default;
};
struct ExaminationWithdrawn
{
    QUuid examinationId;
    QUuid diagnosisId;
    WithdrawReason reason = WithdrawReason::TreatmentRefused;
    friend bool operator==(const ExaminationWithdrawn &, const ExaminationWithdrawn &) = default;
};

using EventPayload =
    std::variant<ReceptionRegistered, TreatmentStarted, OutcomeRecorded, VisitClosed, ReceptionCancelled,
                 DiagnosisRegistered, ExaminationPrescribed, ResultsReady, ResultsReviewed, TreatmentCompleted,
                 TreatmentRefused, DiagnosisWithdrawn, ExaminationRequested, ExaminationPerformed, ExaminationCancelled,
                 ExaminationWithdrawn, DiagnosisHandedOver>;

struct Event
{
    quint64 sequence = 0; // global order, given by the server's event log; 0 until appended
    QUuid id;
    QUuid aggregateId;
    QUuid visitId;     // the reception id: every event of one patient's visit shares it
    QUuid causationId; // the command or event that caused this one
    QDateTime at;
    QString station; // the station whose command started the chain; the saga's reactions carry it on
    EventPayload payload;
    friend bool operator==(const Event &, const Event &) = default;
};

using Events = std::vector<Event>;

QString eventTypeName(const EventPayload &);       // "ReceptionRegistered"
BoundedContext eventContext(const EventPayload &); // the context that emits it
QUuid eventAggregateId(const EventPayload &);

} // namespace clinicflow::domain
