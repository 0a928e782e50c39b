// The status_view table: one row per visit, written only by the view worker and read by the board, the REST
// reads and station snapshots.
#pragma once

#include "domain/StatusView.h"
#include "storage/BatchStatement.h"
#include "storage/Database.h"

#include <QHash>
#include <QSqlQuery>
#include <vector>

namespace clinicflow::server {

struct VisitFilter
{
    std::optional<domain::ReceptionStatus> status;
    QString department;
    int limit = 100;
    quint64 after = 0; // keyset cursor: rows with a last sequence above it, in that order
};

class StatusViewStore
{
    Q_DISABLE_COPY_MOVE(StatusViewStore)
public:
    explicit StatusViewStore(Database &db);

    // The rows of these visits that exist, many per statement (a visit without a row is not in the result).
    domain::Result<QHash<QUuid, domain::VisitStatus>> loadMany(const QList<QUuid> &visitIds);
    domain::Result<bool> save(const domain::VisitStatus &row);
    // Rows of different visits, many per statement.
    domain::Result<bool> save(const std::vector<domain::VisitStatus> &rows);
    domain::Result<std::vector<domain::VisitStatus>> list(const VisitFilter &filter);
    // Rows ordered by visit id after `afterVisit`, for a chunked snapshot.
    domain::Result<std::vector<domain::VisitStatus>> page(const QUuid &afterVisit, int limit);

private:
    domain::Result<std::vector<domain::VisitStatus>> rows(QSqlQuery &query);

    Database &m_db;
    QSqlQuery m_upsert;
    BatchStatement m_upserts;
    BatchStatement m_selectMany;
    QSqlQuery m_page;
};

} // namespace clinicflow::server
