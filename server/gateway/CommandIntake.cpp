#include "CommandIntake.h"

#include "clinicflow/v1/envelope.pb.h"
#include "domain/Ids.h"
#include "proto/Convert.h"

#include <QCryptographicHash>
#include <QDateTime>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

QByteArray commandFingerprint(const v1::Submit &submit, const Result<Command> &decoded)
{
    std::string bytes;
    if (decoded) {
        bytes = "c:"; // canonical: what this server understood, re-encoded
        proto::toProto(decoded.value()).AppendToString(&bytes);
    } else {
        bytes = "r:"; // raw: the bytes as sent
        submit.command().AppendToString(&bytes);
    }
    return QCryptographicHash::hash(QByteArrayView(bytes.data(), qsizetype(bytes.size())), QCryptographicHash::Sha256)
        .first(16);
}

CommandIntake::CommandIntake(Database &db)
    : m_findAnywhere(db.connection())
    , m_refuse(db.connection())
    , m_audit(db)
{
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination})
        m_inboxes[std::size_t(context)] = std::make_unique<Inbox>(db, context);
    m_findAnywhere.setForwardOnly(true);
    QString sql;
    for (const QString &table : {u"reception_inbox"_s, u"diagnosis_inbox"_s, u"examination_inbox"_s}) {
        sql += u"SELECT %1 FROM %2 WHERE command_id = :id UNION ALL "_s.arg(QStringView(Inbox::kRecordColumns), table);
    }
    sql += u"SELECT station, %1, result_code, result_message, 0, 0, fingerprint FROM refused_commands "
           "WHERE command_id = :id"_s.arg(int(CommandState::Rejected));
    m_findAnywhere.prepare(sql);
    m_refuse.prepare(u"INSERT INTO refused_commands (command_id, station, type, fingerprint, result_code, "
                     "result_message, refused_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
}

Result<std::optional<CommandRecord>> CommandIntake::find(const QUuid &commandId)
{
    m_findAnywhere.bindValue(u":id"_s, idString(commandId));
    if (!m_findAnywhere.exec())
        return sqlError(m_findAnywhere, "looking up a command");
    std::optional<CommandRecord> found;
    if (m_findAnywhere.next())
        found = Inbox::recordFrom(m_findAnywhere, commandId);
    m_findAnywhere.finish();
    return found;
}

Inbox &CommandIntake::inbox(BoundedContext context)
{
    return *m_inboxes[std::size_t(context)];
}

Result<bool> CommandIntake::keepRefusal(const IntakeRequest &r, qint64 nowMs)
{
    bindAll(m_refuse,
            {idString(r.commandId), r.station, r.type, r.fingerprint, int(r.refusal->code), r.refusal->detail, nowMs});
    if (!m_refuse.exec())
        return sqlError(m_refuse, "keeping a refused command");
    return audit(r, *r.refusal, nowMs);
}

Result<bool> CommandIntake::audit(const IntakeRequest &r, const Error &refusal, qint64 nowMs)
{
    auto visit = m_audit.visitOf(r.context, r.target);
    if (!visit)
        return visit.error();
    return m_audit.append(AuditEntry{nowMs,
                                     r.station,
                                     {},
                                     r.type,
                                     visit.value(),
                                     r.commandId,
                                     u"refused"_s,
                                     QString::fromLatin1(errorName(refusal.code)),
                                     refusal.detail});
}

Result<std::vector<IntakeResult>> CommandIntake::accept(const std::vector<IntakeRequest> &requests)
{
    std::vector<IntakeResult> results;
    results.reserve(requests.size());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const IntakeRequest &r : requests) {
        // The look-up also finds one stored earlier in this same batch.
        auto found = find(r.commandId);
        if (!found)
            return found.error();
        if (const std::optional<CommandRecord> &seen = found.value()) {
            // Rows from before schema 5 have no fingerprint: their station alone decides.
            const bool same =
                seen->station == r.station && (seen->fingerprint.isEmpty() || seen->fingerprint == r.fingerprint);
            if (same) {
                results.push_back(IntakeResult{IntakeResult::Seen, *seen});
            } else {
                const Error reused = makeError(ErrorCode::CommandIdReused, u"the id names another command"_s);
                if (auto audited = audit(r, reused, now); !audited)
                    return audited.error();
                results.push_back(
                    IntakeResult{IntakeResult::Reused, CommandRecord{r.commandId,
                                                                     r.station,
                                                                     CommandState::Rejected,
                                                                     makeError(ErrorCode::CommandIdReused),
                                                                     0,
                                                                     0,
                                                                     {}}});
            }
            continue;
        }
        if (r.refusal) {
            if (auto kept = keepRefusal(r, now); !kept)
                return kept.error();
            results.push_back(
                IntakeResult{IntakeResult::Refused, CommandRecord{r.commandId, r.station, CommandState::Rejected,
                                                                  *r.refusal, 0, 0, r.fingerprint}});
            continue;
        }
        if (auto stored =
                inbox(r.context).enqueue(r.commandId, r.station, r.type, r.payload, r.fingerprint, now, r.actedAtMs);
            !stored)
            return stored.error();
        results.push_back(IntakeResult{IntakeResult::Queued,
                                       CommandRecord{r.commandId, r.station, CommandState::Pending, {}, 0, 0, {}}});
    }
    return results;
}

} // namespace clinicflow::server
