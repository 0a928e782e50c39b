#include "BatchStatement.h"

#include "PgPipeline.h"

#include <QSqlError>
#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;

namespace clinicflow::server {

namespace {

std::atomic<int> lastId{0};

} // namespace

BatchStatement::BatchStatement(Database &db, QString sql, QString group, QString separator)
    : m_db(db)
    , m_sql(std::move(sql))
    , m_group(std::move(group))
    , m_separator(std::move(separator))
    , m_id(++lastId)
{
}

BatchStatement::~BatchStatement() = default;

void BatchStatement::freshPlansIfDue()
{
    if (m_freshPlansEvery <= 0 || ++m_runs <= m_freshAfter)
        return;
    m_queries.clear(); // deallocated; prepared again when next run
    if (PgPipeline *pipeline = m_db.pipeline()) {
        for (const auto &[rows, statement] : m_pipelined)
            pipeline->forget(statement.first); // after what is queued, which still runs them
    }
    m_pipelined.clear();
    ++m_generation;
    m_runs = 1;
    m_freshAfter = std::min(2 * m_freshAfter, m_freshPlansEvery);
}

domain::Result<bool> BatchStatement::run(std::size_t count, const Row &row, const char *what, const Check &check)
{
    freshPlansIfDue();
    if (PgPipeline *pipeline = m_db.pipeline())
        return runPipelined(*pipeline, count, row, what, {}, check);
    return runHere(count, row, what, check);
}

domain::Result<bool> BatchStatement::runExact(std::size_t count, const Row &row, const char *what,
                                              const Mismatch &mismatch)
{
    freshPlansIfDue();
    if (PgPipeline *pipeline = m_db.pipeline())
        return runPipelined(*pipeline, count, row, what, mismatch, {});
    std::size_t done = 0;
    return runHere(count, row, what, [&](SqlRows &, std::size_t rows) -> domain::Result<bool> {
        const std::size_t first = std::exchange(done, done + rows);
        if (m_queries.at(rows)->numRowsAffected() == int(rows))
            return true;
        return domain::makeError(domain::ErrorCode::InternalError,
                                 QString::fromUtf8(what) + u": "_s + mismatch(first, rows));
    });
}

domain::Result<bool> BatchStatement::runHere(std::size_t count, const Row &row, const char *what, const Check &check)
{
    std::size_t at = 0;
    while (at < count) {
        const std::size_t rows = chunk(count - at);
        QSqlQuery &query = prepared(rows);
        int place = 0;
        for (std::size_t i = at; i < at + rows; ++i) {
            const QVariantList values = row(i);
            bindAll(query, values, place);
            place += int(values.size());
        }
        if (!query.exec())
            return sqlError(query, what);
        if (check) {
            QueryRows read(query);
            if (auto checked = check(read, rows); !checked)
                return checked;
        }
        query.finish();
        at += rows;
    }
    return true;
}

// Each chunk queued with its values; sent now unless the database defers it.
domain::Result<bool> BatchStatement::runPipelined(PgPipeline &pipeline, std::size_t count, const Row &row,
                                                  const char *what, const Mismatch &mismatch, const Check &check)
{
    std::vector<std::pair<std::size_t, std::size_t>> chunks; // answer, rows
    std::size_t at = 0;
    while (at < count) {
        const std::size_t rows = chunk(count - at);
        QVariantList values;
        for (std::size_t i = at; i < at + rows; ++i)
            values.append(row(i));
        if (mismatch)
            values.append(u" of %1 rows: "_s.arg(rows) + mismatch(at, rows));
        const auto &[name, sql] = pipelined(rows, bool(mismatch));
        chunks.emplace_back(pipeline.queue(name, sql, values, what, bool(check)), rows);
        at += rows;
    }
    if (!check && m_db.isDeferring())
        return true;
    auto answers = pipeline.send();
    if (!answers)
        return answers.error();
    if (check) {
        for (const auto &[answer, rows] : chunks) {
            ListedRows read(answers->at(answer).values);
            if (auto checked = check(read, rows); !checked)
                return checked;
        }
    }
    return true;
}

std::size_t BatchStatement::chunk(std::size_t left)
{
    for (std::size_t size : {kMaxRows, kMaxRows / 2, kMaxRows / 4}) {
        if (left >= size)
            return size;
    }
    return left; // 1 to 7: one statement
}

QString BatchStatement::statementFor(std::size_t rows) const
{
    QStringList groups;
    for (std::size_t i = 0; i < rows; ++i)
        groups.append(m_group);
    return m_sql.arg(groups.join(m_separator));
}

QSqlQuery &BatchStatement::prepared(std::size_t rows)
{
    auto &query = m_queries[rows];
    if (!query) {
        query = std::make_unique<QSqlQuery>(m_db.connection());
        query->setForwardOnly(true);
        query->prepare(statementFor(rows));
    }
    return *query;
}

const std::pair<QByteArray, QString> &BatchStatement::pipelined(std::size_t rows, bool exact)
{
    auto &statement = m_pipelined[{rows, exact}];
    if (statement.first.isEmpty()) {
        statement.first =
            u"cf_batch_%1_%2_%3%4"_s.arg(m_id).arg(m_generation).arg(rows).arg(exact ? u"x"_s : QString()).toLatin1();
        QString sql = PgPipeline::numberedPlaces(statementFor(rows));
        if (exact) {
            // The count of rows it affected, or an error at run time that carries the text bound last ("7 of 8 rows:
            // ..."): the cast of that text to a number fails, and with it the transaction.
            const auto last = sql.count(u'$') + 1;
            sql = u"WITH done AS (%1 RETURNING 1) SELECT CASE WHEN COUNT(*) = %2 THEN COUNT(*) "
                  "ELSE CAST(COUNT(*) || $%3 AS BIGINT) END FROM done"_s.arg(sql)
                      .arg(rows)
                      .arg(last);
        }
        statement.second = sql;
    }
    return statement;
}

} // namespace clinicflow::server
