#include "CommandIntake.h"

#include "clinicflow/v1/envelope.pb.h"
#include "domain/Ids.h"
#include "proto/Convert.h"

#include <QCryptographicHash>
#include <QDateTime>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {
namespace {
constexpr int kIdColumn = 7; // after Inbox::kRecordColumns
} // namespace

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
    : m_db(db)
    , m_findAnywhere(db.connection())
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
    // The same for a batch's ids at once: the ids are bound once and read by each table's part.
    QString batch = u"WITH ids(id) AS (VALUES %1) "_s;
    for (const QString &table : {u"reception_inbox"_s, u"diagnosis_inbox"_s, u"examination_inbox"_s}) {
        batch += u"SELECT %1, command_id FROM %2 JOIN ids ON command_id = ids.id UNION ALL "_s.arg(
            QStringView(Inbox::kRecordColumns), table);
    }
    batch += u"SELECT station, %1, result_code, result_message, 0, 0, fingerprint, command_id FROM refused_commands "
             "JOIN ids ON command_id = ids.id"_s.arg(int(CommandState::Rejected));
    m_findMany = std::make_unique<BatchStatement>(db, batch, u"(?)"_s);
    // Planned again as the inboxes grow: a plan made while they were small scans them whole (BatchStatement.h).
    m_findMany->setFreshPlansEvery(200);
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

Result<QHash<QUuid, CommandRecord>> CommandIntake::findAll(const std::vector<IntakeRequest> &requests)
{
    QHash<QUuid, CommandRecord> found;
    auto read = m_findMany->run(
        requests.size(), [&requests](std::size_t i) -> QVariantList { return {idString(requests[i].commandId)}; },
        "looking up commands",
        [&found](SqlRows &query, std::size_t) -> Result<bool> {
            while (query.next()) {
                // A record's columns (Inbox::kRecordColumns), then the id.
                const QUuid id = idFromString(query.value(kIdColumn).toString());
                found.insert(id, Inbox::recordFrom(query, id));
            }
            return true;
        });
    if (!read)
        return read.error();
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
    // One look-up for the batch, and what the batch itself keeps (an id sent twice in one batch is seen the second
    // time); the new commands are stored at the end, many per statement.
    auto found = findAll(requests);
    if (!found)
        return found.error();
    QHash<QUuid, CommandRecord> &known = found.value();
    std::array<std::vector<Inbox::Stored>, 3> toStore;
    for (const IntakeRequest &r : requests) {
        if (const auto seen = known.constFind(r.commandId); seen != known.cend()) {
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
            const CommandRecord refused{r.commandId, r.station, CommandState::Rejected, *r.refusal,
                                        0,           0,         r.fingerprint};
            known.insert(r.commandId, refused);
            results.push_back(IntakeResult{IntakeResult::Refused, refused});
            continue;
        }
        toStore[std::size_t(r.context)].push_back(
            Inbox::Stored{r.commandId, r.station, r.type, r.payload, r.fingerprint, now, r.actedAtMs});
        known.insert(r.commandId,
                     CommandRecord{r.commandId, r.station, CommandState::Pending, {}, 0, 0, r.fingerprint});
        results.push_back(IntakeResult{IntakeResult::Queued,
                                       CommandRecord{r.commandId, r.station, CommandState::Pending, {}, 0, 0, {}}});
    }
    // On PostgreSQL the new commands travel with the commit, in one message (Database::startDeferring).
    m_db.startDeferring();
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination}) {
        if (auto stored = inbox(context).enqueue(toStore[std::size_t(context)]); !stored) {
            m_db.dropDeferred();
            return stored.error();
        }
    }
    m_db.finishDeferring();
    return results;
}

} // namespace clinicflow::server
