// Values the local store hands to models, screens and tests: an outbox entry as recorded (audit), a conflict the
// server reported, one line of a visit's history, and what a registration at the desk produced.
#pragma once

#include "ClientTypes.h"
#include "domain/Events.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QUuid>
#include <optional>

namespace clinicflow::client {

// An outbox entry's life: pending (stored, not yet acknowledged) -> queued (the gateway took it) -> applied |
// rejected. Answered entries are never deleted: the outbox doubles as the station's audit of what it asked for.
enum class OutboxState
{
    Pending,
    Queued,
    Applied,
    Rejected
};

QString outboxStateName(OutboxState state); // "pending", as stored
std::optional<OutboxState> outboxStateFromString(const QString &name);

// One outbox row as stored.
struct OutboxRecord
{
    qint64 position = 0; // the order the station acted in
    QUuid commandId;
    QString commandName;
    QUuid visitId;
    QDateTime at;
    OutboxState state = OutboxState::Pending;
    QList<quint64> sequences; // applied: the events it produced
    domain::Error error;      // rejected: the server's reason
    QDateTime answeredAt;
};

// A command the server rejected after the station had shown it as done: the user must see it and acknowledge it.
struct Conflict
{
    qint64 id = 0;
    QUuid commandId;
    QString commandName;
    QUuid visitId;
    QString ticket; // the visit's ticket, so the desk can find the patient
    domain::ErrorCode code = domain::ErrorCode::None;
    QString message; // the code's English sentence; screens translate it in the "ErrorCode" context
    QString detail;  // the server's detail (ids, tickets; never a patient's name)
    QDateTime at;    // when the station recorded it
    bool acknowledged = false;
};

// One line of a visit's timeline: a confirmed event (sequence > 0), or an action of this station that the server
// has not confirmed yet (pending, sequence 0, with the command instead of an event).
struct HistoryEntry
{
    quint64 sequence = 0;
    QDateTime at;
    QString station;
    bool pending = false;
    bool inEffect = true; // pending only: false when it no longer applies on the current state (likely rejected)
    std::optional<domain::Event> event;
    std::optional<OutgoingCommand> command;
};

// What RegisterVisit produced at the desk: the visit to print a ticket for, and the outbox command carrying it.
struct SubmittedVisit
{
    QUuid commandId;
    QUuid visitId;
    domain::Ticket ticket;
};

} // namespace clinicflow::client

Q_DECLARE_METATYPE(clinicflow::client::Conflict)
