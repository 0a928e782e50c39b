// Reading the visits' rows at open, all at once or a part at a time (see LocalStore::Rows).
#include "LocalStore.h"
#include "LocalStorePrivate.h"
#include "ReplicaState.h"
#include "StoreDatabase.h"
#include "StoreRows.h"
#include "common/Logging.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcStore;

namespace clinicflow::client {

// The rows after the last one read, up to the last the table had at open, in the order they were stored. The
// aggregates folded from the events at open are independent of them, so a row read late is the row read at open.
Result<int> LocalStore::readRows(int limit, QList<QUuid> *visits)
{
    QSqlQuery q(m_db->database());
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT row, %1 FROM visits WHERE row > ? AND row <= ? ORDER BY row LIMIT ?"_s.arg(rows::visitColumnList()));
    q.addBindValue(m_rowsRead);
    q.addBindValue(m_rowsEnd);
    q.addBindValue(limit < 0 ? -1 : limit);
    if (!q.exec())
        return makeError(ErrorCode::InternalError, u"cannot read visits"_s);
    int read = 0;
    while (q.next()) {
        auto row = rows::readVisit(q, 1);
        if (!row)
            return row.error();
        const QUuid id = row->visitId;
        VisitState &state = m_replica->confirmedState(id);
        state.row = std::move(row.value());
        state.rowKey = q.value(0).toLongLong();
        m_rowsRead = state.rowKey;
        if (m_replica->hasEntries(id))
            m_replica->recompute(id, m_catalogue); // this station's own actions on it, over the row now known
        if (visits)
            visits->append(id);
        ++read;
    }
    if (read == 0 || (limit >= 0 && read < limit))
        m_rowsRead = m_rowsEnd; // nothing left up to the end
    if (!rowsPending()) {
        // Every page of the file went through SQLite's cache once and will not be read again: given back, the
        // cache grows again with what the station actually uses.
        (void)m_db->exec(u"PRAGMA shrink_memory"_s, "shrink memory");
    }
    return read;
}

Result<int> LocalStore::loadRows(int limit)
{
    if (!rowsPending())
        return 0;
    QList<QUuid> visits;
    auto read = readRows(std::max(1, limit), &visits);
    if (!read)
        return read;
    if (!rowsPending())
        qCInfo(lcStore) << "every stored row read:" << m_replica->confirmedVisits().size() << "visits";
    if (!visits.isEmpty())
        emit visitsChanged(visits);
    return read;
}

Result<bool> LocalStore::readAllRows()
{
    if (!rowsPending())
        return true;
    QList<QUuid> visits;
    if (auto read = readRows(-1, &visits); !read)
        return read.error();
    if (!visits.isEmpty())
        emit visitsChanged(visits);
    return true;
}

} // namespace clinicflow::client
