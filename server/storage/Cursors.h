// Consumer cursors: how far in the event log each worker has reacted. A worker advances its own cursor in the same
// transaction as the effects of the events it read, so no effect is ever replayed or skipped.
#pragma once

#include "BatchStatement.h"
#include "Database.h"

#include <QSqlQuery>

namespace clinicflow::server {

class Cursors
{
    Q_DISABLE_COPY_MOVE(Cursors)
public:
    explicit Cursors(Database &db);

    domain::Result<quint64> get(const QString &consumer);
    // On PostgreSQL through the pipeline: while the database defers statements, it waits for the commit.
    domain::Result<bool> set(const QString &consumer, quint64 sequence);

private:
    QSqlQuery m_get;
    BatchStatement m_set;
};

} // namespace clinicflow::server
