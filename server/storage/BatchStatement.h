// A statement whose group of places repeats once per row (a multi-row VALUES, a UNION ALL of rows): many rows in a
// few round trips. Each round trip to PostgreSQL costs tens of microseconds of both processes' time, far more than
// the row; SQLite takes the same statements. Prepared once per row count, run in chunks of 32, 8, 4 and 1 rows.
#pragma once

#include "Database.h"

#include <QSqlQuery>
#include <functional>
#include <map>
#include <memory>

namespace clinicflow::server {

class BatchStatement
{
    Q_DISABLE_COPY_MOVE(BatchStatement)
public:
    // `sql` has %1 where the groups go, `group` the places of one row, joined by `separator`.
    BatchStatement(Database &db, QString sql, QString group, QString separator = QStringLiteral(", "));
    ~BatchStatement();

    using Row = std::function<QVariantList(std::size_t)>;
    // After each chunk, with the rows it covered: a check of what the statement did (rows affected).
    using Check = std::function<domain::Result<bool>(QSqlQuery &, std::size_t rows)>;

    // Runs over rows 0 .. count - 1; `row` gives a row's values in the group's order (bound as bindAll does);
    // `what` names the work in an error.
    domain::Result<bool> run(std::size_t count, const Row &row, const char *what, const Check &check = {});

    static constexpr std::size_t kMaxRows = 32;

private:
    QSqlQuery &prepared(std::size_t rows);

    Database &m_db;
    QString m_sql;
    QString m_group;
    QString m_separator;
    std::map<std::size_t, std::unique_ptr<QSqlQuery>> m_queries; // by rows
};

} // namespace clinicflow::server
