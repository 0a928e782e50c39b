// A statement whose group of places repeats once per row (a multi-row VALUES, a UNION ALL of rows): many rows in a
// few round trips. Each round trip to PostgreSQL costs tens of microseconds of both processes' time, far more than
// the row; SQLite takes the same statements. On PostgreSQL its writes go through the database's pipeline, prepared
// once and run with bound values (PgPipeline.h); its reads through the driver. Prepared once per row count, run in
// chunks of 32, 16 and 8 rows and then the 1 to 7 left in one: up to 7 rows are one statement, up to 15 two, up to 31
// three (chunk()).
#pragma once

#include "Database.h"
#include "SqlRows.h"

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
    // After each chunk, with the rows it covered: a reading of what it returned.
    using Check = std::function<domain::Result<bool>(SqlRows &, std::size_t rows)>;
    // The error of a chunk that did not affect each of its rows (rows first .. first + count - 1).
    using Mismatch = std::function<QString(std::size_t first, std::size_t count)>;

    // Runs over rows 0 .. count - 1; `row` gives a row's values in the group's order (bound as bindAll does);
    // `what` names the work in an error. On PostgreSQL it goes through the database's pipeline (Database::pipeline):
    // a run without a check, while the database defers statements (Database::startDeferring), waits there to be
    // sent with the next statement that needs an answer; a run with one is sent at once, with what waits.
    domain::Result<bool> run(std::size_t count, const Row &row, const char *what, const Check &check = {});
    // The same for a statement that must affect each of its rows (an UPDATE or DELETE without RETURNING): a chunk
    // that affects fewer fails the unit with `mismatch`. On PostgreSQL the statement checks itself (it fails the
    // transaction with that text), so it can wait to be sent like any other write.
    domain::Result<bool> runExact(std::size_t count, const Row &row, const char *what, const Mismatch &mismatch);

    static constexpr std::size_t kMaxRows = 32;
    // The rows of the next statement when `left` rows are left to run.
    static std::size_t chunk(std::size_t left);

    // Prepares the statements again after 50 runs, then after twice as many each time, up to every `runs` runs.
    // PostgreSQL plans a prepared statement for its first five runs, then keeps one generic plan for as long as the
    // statement lives, chosen with the table sizes of that moment and not remade as the tables grow: a look-up
    // joined to an inbox that was nearly empty then scans the whole inbox (a hash join) on every run thereafter,
    // however large it has grown. The tables a statement reads grow with its runs, so its plan is remade for what
    // they became: often while they are small, rarely once they are large.
    void setFreshPlansEvery(int runs) { m_freshPlansEvery = runs; }

private:
    QSqlQuery &prepared(std::size_t rows);
    void freshPlansIfDue();
    domain::Result<bool> runHere(std::size_t count, const Row &row, const char *what, const Check &check);
    domain::Result<bool> runPipelined(PgPipeline &pipeline, std::size_t count, const Row &row, const char *what,
                                      const Mismatch &mismatch, const Check &check);
    QString statementFor(std::size_t rows) const;
    // The pipeline's name and text ($1, $2, ...) of the statement for `rows` rows; `exact`: the one that fails
    // unless it affects every row, with the text in its last place.
    const std::pair<QByteArray, QString> &pipelined(std::size_t rows, bool exact);

    Database &m_db;
    QString m_sql;
    QString m_group;
    QString m_separator;
    std::map<std::size_t, std::unique_ptr<QSqlQuery>> m_queries;                        // by rows
    std::map<std::pair<std::size_t, bool>, std::pair<QByteArray, QString>> m_pipelined; // by rows, exact
    int m_id = 0;                                                                       // in the names
    int m_generation = 0;      // of the names, one per fresh plans
    int m_freshPlansEvery = 0; // 0: kept for good
    int m_runs = 0;            // since they were prepared
    int m_freshAfter = 50;     // runs before they are prepared again, doubling up to m_freshPlansEvery
};

} // namespace clinicflow::server
