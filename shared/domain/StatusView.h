// The CQRS status view: one row per visit, built from the event log alone (ARCHITECTURE §4, view). The server's
// view worker and a workstation's replica project events with the same function, so both show the same row.
#pragma once

#include "Events.h"

#include <optional>

namespace clinicflow::domain {

struct VisitStatus
{
    QUuid visitId; // the reception id
    QString ticket;
    QString patientNumber;
    QString patientName; // shown on screens; never logged
    QString department;
    QString doctor;
    Priority priority = Priority::Normal;
    ReceptionStatus receptionStatus = ReceptionStatus::Received;
    std::optional<DiagnosisStatus> diagnosisStatus; // none until a doctor is assigned
    QUuid diagnosisId;
    int examsPrescribed = 0;
    int examsPerformed = 0;
    int examsCancelled = 0;
    int examsWithdrawn = 0;
    QDateTime receivedAt;
    QDateTime seenAt;     // the doctor's first action (prescription or outcome): the end of the wait
    QDateTime finishedAt; // closed or cancelled
    QDateTime updatedAt;
    quint64 lastSequence = 0;

    int examsOpen() const { return examsPrescribed - examsPerformed - examsCancelled - examsWithdrawn; }
    // How long the patient waited (or has been waiting, at `now`) for the doctor, in seconds.
    qint64 waitingSeconds(const QDateTime &now) const;
    friend bool operator==(const VisitStatus &, const VisitStatus &) = default;
};

// The row after one event. Events of other visits, and events older than the row's last sequence, change nothing,
// so replaying a stretch of the log is harmless. Returns whether the row changed.
bool project(std::optional<VisitStatus> &row, const Event &event);

} // namespace clinicflow::domain
