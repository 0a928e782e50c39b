// The rows a unit of work upserts into one table, kept until the unit's end and then written many per statement
// (BatchStatement): a row saved twice in one unit is written once, with its last values. Each round trip to
// PostgreSQL costs far more than the row, and the aggregates' saves were the most frequent statements of all (2.5
// per command in the bench). The statement must take its new values from `excluded`, so that rows can share it.
#pragma once

#include "BatchStatement.h"

#include <QHash>
#include <vector>

namespace clinicflow::server {

class DeferredUpserts
{
    Q_DISABLE_COPY_MOVE(DeferredUpserts)
public:
    // `sql`: INSERT INTO t (...) VALUES %1 ON CONFLICT (...) DO UPDATE SET c = excluded.c, ...; `columns` per row.
    DeferredUpserts(Database &db, const QString &sql, int columns);

    // The row `key` (the conflict target's value) is to hold `values`; replaces what was put for it before.
    void put(const QString &key, QVariantList values);
    bool isEmpty() const { return m_rows.empty(); }
    // Writes every row put since the last flush, then forgets them; `what` names the work in an error.
    domain::Result<bool> flush(const char *what);
    void clear(); // the unit failed: nothing of it is written

private:
    BatchStatement m_batch;
    std::vector<QVariantList> m_rows;
    QHash<QString, std::size_t> m_index; // key -> its row in m_rows
};

} // namespace clinicflow::server
