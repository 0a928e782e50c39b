// The gateway's side of the inboxes: accepts a batch of submitted commands in one unit of work, after
// checking each command id against what was seen before, so a resent command is answered with its stored result
// and never stored twice.
#pragma once

#include "storage/Inbox.h"

#include <QSqlQuery>
#include <array>

namespace clinicflow::server {

struct IntakeRequest
{
    QUuid commandId;
    QString station;
    domain::BoundedContext context = domain::BoundedContext::Reception;
    QString type;
    QByteArray payload; // serialized clinicflow.v1.Command
    qint64 actedAtMs = 0;
};

struct IntakeResult
{
    bool stored = false;  // newly stored: answer Queued
    CommandRecord record; // seen before: answer with its state
};

class CommandIntake
{
    Q_DISABLE_COPY_MOVE(CommandIntake)
public:
    explicit CommandIntake(Database &db);

    // One result per request, in order. Run it as a GroupCommit unit: an error means nothing of the batch was
    // stored, and success means stored once that unit's transaction committed.
    domain::Result<std::vector<IntakeResult>> accept(const std::vector<IntakeRequest> &requests);

    Inbox &inbox(domain::BoundedContext context);
    // The command with this id in any of the three inboxes.
    domain::Result<std::optional<CommandRecord>> find(const QUuid &commandId);

private:
    std::array<std::unique_ptr<Inbox>, 3> m_inboxes;
    QSqlQuery m_findAnywhere; // one look-up over the three inboxes
};

} // namespace clinicflow::server
