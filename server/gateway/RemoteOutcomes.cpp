#include "RemoteOutcomes.h"

#include "domain/Ids.h"
#include "storage/Inbox.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

RemoteOutcomes::RemoteOutcomes(Database &db)
    : m_queries{QSqlQuery(db.connection()), QSqlQuery(db.connection()), QSqlQuery(db.connection())}
{
    QStringList marks;
    for (int i = 0; i < kIdsPerQuery; ++i)
        marks.append(u"?"_s);
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination}) {
        QSqlQuery &q = m_queries[std::size_t(context)];
        q.setForwardOnly(true);
        q.prepare(u"SELECT %1, command_id FROM %2_inbox WHERE status <> %3 AND command_id IN (%4)"_s.arg(
            QStringView(Inbox::kRecordColumns), toString(context), QString::number(int(CommandState::Pending)),
            marks.join(u", "_s)));
    }
}

Result<std::vector<Outcome>> RemoteOutcomes::resolved(BoundedContext context, const QList<QUuid> &commandIds)
{
    QSqlQuery &q = m_queries[std::size_t(context)];
    std::vector<Outcome> outcomes;
    for (qsizetype first = 0; first < commandIds.size(); first += kIdsPerQuery) {
        for (int i = 0; i < kIdsPerQuery; ++i) {
            const qsizetype at = first + i;
            // Unused places match nothing: no command id is empty.
            q.bindValue(i, at < commandIds.size() ? idString(commandIds.at(at)) : u""_s);
        }
        if (!q.exec())
            return sqlError(q, "reading outcomes resolved by another process");
        while (q.next()) {
            const CommandRecord r = Inbox::recordFrom(q, idFromString(q.value(kIdColumn).toString()));
            outcomes.push_back(Outcome{r.commandId, r.station, r.state == CommandState::Applied, r.firstSequence,
                                       r.lastSequence, r.rejection});
        }
        q.finish();
    }
    return outcomes;
}

} // namespace clinicflow::server
