#include "BatchStatement.h"

#include <algorithm>

namespace clinicflow::server {

BatchStatement::BatchStatement(Database &db, QString sql, QString group, QString separator)
    : m_db(db)
    , m_sql(std::move(sql))
    , m_group(std::move(group))
    , m_separator(std::move(separator))
{
}

BatchStatement::~BatchStatement() = default;

domain::Result<bool> BatchStatement::run(std::size_t count, const Row &row, const char *what, const Check &check)
{
    if (m_freshPlansEvery > 0 && ++m_runs > m_freshAfter) {
        m_queries.clear(); // deallocated; prepared again below
        m_runs = 1;
        m_freshAfter = std::min(2 * m_freshAfter, m_freshPlansEvery);
    }
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
            if (auto checked = check(query, rows); !checked)
                return checked;
        }
        query.finish();
        at += rows;
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

QSqlQuery &BatchStatement::prepared(std::size_t rows)
{
    auto &query = m_queries[rows];
    if (!query) {
        QStringList groups;
        for (std::size_t i = 0; i < rows; ++i)
            groups.append(m_group);
        query = std::make_unique<QSqlQuery>(m_db.connection());
        query->setForwardOnly(true);
        query->prepare(m_sql.arg(groups.join(m_separator)));
    }
    return *query;
}

} // namespace clinicflow::server
