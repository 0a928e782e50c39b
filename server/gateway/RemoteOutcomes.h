// Outcomes resolved by a worker in another process. With --only, a context's worker may run in a process other
// than the gateway's: it records each outcome on its inbox row but cannot post it on this process's Bus. The
// gateway reads those rows for the commands it still waits for, a page of ids per query, on its own connection.
#pragma once

#include "Bus.h"
#include "domain/Types.h"
#include "storage/Database.h"

#include <QList>
#include <QSqlQuery>
#include <array>

namespace clinicflow::server {

class RemoteOutcomes
{
    Q_DISABLE_COPY_MOVE(RemoteOutcomes)
public:
    explicit RemoteOutcomes(Database &db);

    // The outcomes among `commandIds` (all submitted to `context`) that are resolved; the others are still pending.
    domain::Result<std::vector<Outcome>> resolved(domain::BoundedContext context, const QList<QUuid> &commandIds);

private:
    static constexpr int kIdsPerQuery = 64;
    static constexpr int kIdColumn = 7; // after Inbox::kRecordColumns
    std::array<QSqlQuery, 3> m_queries; // by context
};

} // namespace clinicflow::server
