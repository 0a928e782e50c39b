#include "CommandIntake.h"

#include "domain/Ids.h"

#include <QDateTime>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

CommandIntake::CommandIntake(Database &db)
    : m_findAnywhere(db.connection())
{
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination})
        m_inboxes[std::size_t(context)] = std::make_unique<Inbox>(db, context);
    m_findAnywhere.setForwardOnly(true);
    QString sql;
    for (const QString &table : {u"reception_inbox"_s, u"diagnosis_inbox"_s, u"examination_inbox"_s}) {
        if (!sql.isEmpty())
            sql += u" UNION ALL "_s;
        sql += u"SELECT station, status, result_code, result_message, first_sequence, last_sequence FROM %1 "
               "WHERE command_id = :id"_s.arg(table);
    }
    m_findAnywhere.prepare(sql);
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

Result<std::vector<IntakeResult>> CommandIntake::accept(const std::vector<IntakeRequest> &requests)
{
    std::vector<IntakeResult> results;
    results.reserve(requests.size());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const IntakeRequest &r : requests) {
        // A command id is one key across the contexts: the same id under another command is the same command.
        // The look-up also finds one stored earlier in this same batch.
        auto found = find(r.commandId);
        if (!found)
            return found.error();
        const std::optional<CommandRecord> &seen = found.value();
        if (seen) {
            results.push_back(IntakeResult{false, *seen});
            continue;
        }
        if (auto stored = inbox(r.context).enqueue(r.commandId, r.station, r.type, r.payload, now, r.actedAtMs);
            !stored)
            return stored.error();
        results.push_back(IntakeResult{true, CommandRecord{r.commandId, r.station, CommandState::Pending, {}, 0, 0}});
    }
    return results;
}

} // namespace clinicflow::server
