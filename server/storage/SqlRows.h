// Rows a statement returned, read one at a time: the driver's (a QSqlQuery) or those PostgreSQL answered in the
// pipeline (PgPipeline). What reads rows takes either.
#pragma once

#include <QSqlQuery>
#include <QVariant>
#include <vector>

namespace clinicflow::server {

class SqlRows
{
public:
    virtual ~SqlRows() = default;
    // Moves to the next row; false after the last.
    virtual bool next() = 0;
    // The current row's value in `column` (from 0); a NULL is a null value.
    virtual QVariant value(int column) const = 0;
};

// A query's rows, as the driver reads them.
class QueryRows final : public SqlRows
{
public:
    explicit QueryRows(QSqlQuery &query)
        : m_query(query)
    {
    }
    bool next() override { return m_query.next(); }
    QVariant value(int column) const override { return m_query.value(column); }

private:
    QSqlQuery &m_query;
};

// Rows already read, each a list of values.
class ListedRows final : public SqlRows
{
public:
    explicit ListedRows(const std::vector<QVariantList> &rows)
        : m_rows(rows)
    {
    }
    bool next() override { return ++m_at < m_rows.size(); }
    QVariant value(int column) const override { return m_rows.at(m_at).value(column); }

private:
    const std::vector<QVariantList> &m_rows;
    std::size_t m_at = std::size_t(-1);
};

} // namespace clinicflow::server
