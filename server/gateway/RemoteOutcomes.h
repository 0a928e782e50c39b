// Outcomes resolved by a worker in another process. With --only, a context's worker may run in a process other
// than the gateway's: it records each outcome on its inbox row but cannot post it on this process's Bus. Each
// resolution is numbered in the order its worker commits them (Inbox.h), so the gateway reads the ones after the
// last it has seen, one range read per context, on its own connection: the cost follows what was resolved, not how
// many commands are waiting. A look by command ids remains for a command that waits unusually long.
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

    // Starts after the resolutions already made: outcomes from before are answered from the inbox (a resend).
    domain::Result<bool> start();
    // The outcomes the workers of the contexts not local here resolved since the last call, each context's in its
    // order, added to `outcomes`: one statement for the three inboxes' last resolutions, then a range read for each
    // that moved (on PostgreSQL, one message of a range read each, to its inbox's last resolution). What was read
    // before a failure is in `outcomes` all the same: it is not read again.
    domain::Result<bool> resolvedElsewhere(const std::array<bool, 3> &localContexts, std::vector<Outcome> &outcomes);
    // The outcomes among `commandIds` (all submitted to `context`) that are resolved; the others are still pending.
    domain::Result<std::vector<Outcome>> resolved(domain::BoundedContext context, const QList<QUuid> &commandIds);

private:
    // The last resolution of each context's inbox, by context.
    domain::Result<std::array<qint64, 3>> lastResolutions();
    domain::Result<bool> readSince(domain::BoundedContext context, qint64 last, std::vector<Outcome> &outcomes);
    domain::Result<bool> readAllSince(const std::array<bool, 3> &localContexts, std::vector<Outcome> &outcomes);

    static constexpr int kIdsPerQuery = 64;
    static constexpr int kPage = 1024;  // resolutions per range read
    static constexpr int kIdColumn = 7; // after Inbox::kRecordColumns
    Database &m_db;
    std::array<QSqlQuery, 3> m_queries; // by context
    std::array<QSqlQuery, 3> m_since;   // by context
    std::array<QString, 3> m_uptoSql;   // by context: the range to the last resolution, for the pipeline
    QSqlQuery m_last;                   // the three inboxes' last resolutions
    std::array<qint64, 3> m_seen{};     // the last resolution read, by context
};

} // namespace clinicflow::server
