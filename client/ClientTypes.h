// Values that cross between the workstation's layers: the local store hands outbox commands to the sync engine,
// and the engine hands back the server's answers and the events it received, in order.
#pragma once

#include "domain/Commands.h"
#include "domain/Result.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QUuid>

namespace clinicflow::client {

// What the status bar shows. Offline: no server heard for a few seconds. Connecting: a Hello is out.
// Syncing: catching up (events or a snapshot) or sending the outbox. Online: caught up, nothing unanswered.
enum class ConnectionState
{
    Offline,
    Connecting,
    Syncing,
    Online
};

// One outbox entry as the engine sends it: Submit(command id, station, at, command). The store keeps it until the
// server answers Applied or Rejected; resending it is harmless because the server deduplicates by command id.
struct OutgoingCommand
{
    domain::CommandMeta meta;
    domain::Command command;
};

// The server's final answer to one command.
struct CommandOutcome
{
    QUuid commandId;
    bool applied = false;
    QList<quint64> sequences; // Applied: the events it produced, in order
    domain::Error error;      // Rejected: the server's reason
};

} // namespace clinicflow::client

Q_DECLARE_METATYPE(clinicflow::client::ConnectionState)
Q_DECLARE_METATYPE(clinicflow::client::OutgoingCommand)
Q_DECLARE_METATYPE(clinicflow::client::CommandOutcome)
