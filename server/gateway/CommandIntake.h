// The gateway's side of the inboxes: accepts a batch of submitted commands in one unit of work, after checking each
// command id against what was seen before. A command id names one command, server-wide and for good: its station,
// its content (a fingerprint) and one outcome. A resend of that command gets its stored result and is never stored
// twice; a Submit reusing the id for another station or other content is refused with CommandIdReused and changes
// nothing. The gateway's own refusals (role, station, an undecodable command) are kept as outcomes too, so an id
// refused once can never be applied later. Refusals and reuses are audited in the same transaction.
#pragma once

#include "domain/Commands.h"
#include "security/AuditTrail.h"
#include "storage/Inbox.h"

#include <QHash>
#include <QSqlQuery>
#include <array>

namespace clinicflow::v1 {
class Submit;
}

namespace clinicflow::server {

struct IntakeRequest
{
    QUuid commandId;
    QString station;
    domain::BoundedContext context = domain::BoundedContext::Reception;
    QString type;
    QByteArray payload;     // serialized clinicflow.v1.Command; empty for a refusal
    QByteArray fingerprint; // commandFingerprint()
    qint64 actedAtMs = 0;
    std::optional<domain::Error> refusal; // the gateway refused it: kept as its outcome, never queued
    QUuid target;                         // a refused command's target, when it decodes (for the audit trail's visit)
};

struct IntakeResult
{
    enum Kind
    {
        Queued,  // newly stored in its inbox: answer Queued
        Refused, // newly kept as refused: answer with record
        Seen,    // the same command seen before: answer with record (Queued while it is pending)
        Reused   // the id names another command: answer with record (CommandIdReused), nothing stored
    };
    Kind kind = Queued;
    CommandRecord record;
};

// What identifies a command's content: a hash of the decoded command in canonical form, so a station that encodes
// the same command differently (another protobuf library, field order) still matches; the raw bytes for a command
// that does not decode.
QByteArray commandFingerprint(const v1::Submit &submit, const domain::Result<domain::Command> &decoded);

class CommandIntake
{
    Q_DISABLE_COPY_MOVE(CommandIntake)
public:
    explicit CommandIntake(Database &db);

    // One result per request, in order. Run it as a GroupCommit unit: an error means nothing of the batch was
    // stored, and success means stored once that unit's transaction committed. Its first statement is its look-up,
    // through the pipeline where there is one: the unit may open with it (GroupCommit::Opening::Pipelined).
    domain::Result<std::vector<IntakeResult>> accept(const std::vector<IntakeRequest> &requests);

    Inbox &inbox(domain::BoundedContext context);
    // The command with this id in any of the three inboxes, or among the gateway's refusals.
    domain::Result<std::optional<CommandRecord>> find(const QUuid &commandId);

private:
    domain::Result<QHash<QUuid, CommandRecord>> findAll(const std::vector<IntakeRequest> &requests);
    domain::Result<bool> keepRefusal(const IntakeRequest &request, qint64 nowMs);
    domain::Result<bool> audit(const IntakeRequest &request, const domain::Error &refusal, qint64 nowMs);

    std::array<std::unique_ptr<Inbox>, 3> m_inboxes;
    Database &m_db;
    QSqlQuery m_findAnywhere;                   // one look-up over the three inboxes and the refusals
    std::unique_ptr<BatchStatement> m_findMany; // the same for many ids
    QSqlQuery m_refuse;
    AuditTrail m_audit;
};

} // namespace clinicflow::server
