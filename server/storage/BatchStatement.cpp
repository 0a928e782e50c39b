#include "BatchStatement.h"

#include <QSqlError>
#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;

namespace clinicflow::server {

namespace {

std::atomic<int> lastId{0};

// `sql` with its places (?) numbered ($1, $2, ...) as PREPARE takes them; a ? inside quotes is text.
QString numberedPlaces(const QString &sql)
{
    QString out;
    out.reserve(sql.size() + sql.size() / 4);
    bool quoted = false;
    int place = 0;
    for (const QChar c : sql) {
        if (c == u'\'')
            quoted = !quoted;
        if (c == u'?' && !quoted)
            out += u'$' + QString::number(++place);
        else
            out += c;
    }
    return out;
}

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

domain::Result<bool> BatchStatement::run(std::size_t count, const Row &row, const char *what, const Check &check)
{
    if (m_freshPlansEvery > 0 && ++m_runs > m_freshAfter) {
        m_queries.clear(); // deallocated; prepared again below
        for (const auto &[rows, name] : m_serverNames) {
            QSqlQuery deallocate(m_db.connection());
            deallocate.exec(u"DEALLOCATE "_s + name); // not transactional: gone even if the unit fails
        }
        m_serverNames.clear();
        ++m_generation;
        m_runs = 1;
        m_freshAfter = std::min(2 * m_freshAfter, m_freshPlansEvery);
    }
    if (m_db.isDeferring())
        return runDeferred(count, row, what, check);
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

// Each chunk as EXECUTE with its values written out (as QPSQL sends a prepared statement's run itself), kept with
// the database's deferred statements; a chunk with a check is sent at once, first in one message with them, and
// checked by its own count (the first statement's).
domain::Result<bool> BatchStatement::runDeferred(std::size_t count, const Row &row, const char *what,
                                                 const Check &check)
{
    std::size_t at = 0;
    while (at < count) {
        const std::size_t rows = chunk(count - at);
        auto name = serverPrepared(rows);
        if (!name)
            return name.error();
        QStringList values;
        for (std::size_t i = at; i < at + rows; ++i) {
            for (const QVariant &value : row(i))
                values.append(m_db.literal(value));
        }
        const QString execute = u"EXECUTE %1 (%2)"_s.arg(name.value(), values.join(u", "_s));
        at += rows;
        if (!check) {
            m_db.defer(execute);
            continue;
        }
        QSqlQuery query(m_db.connection());
        query.setForwardOnly(true);
        if (!query.exec(m_db.withDeferred(execute)))
            return sqlError(query, what);
        if (auto checked = check(query, rows); !checked)
            return checked;
    }
    return true;
}

domain::Result<QString> BatchStatement::serverPrepared(std::size_t rows)
{
    QString &name = m_serverNames[rows];
    if (name.isEmpty()) {
        const QString wanted = u"cf_batch_%1_%2_%3"_s.arg(m_id).arg(m_generation).arg(rows);
        QSqlQuery prepare(m_db.connection());
        if (!prepare.exec(u"PREPARE %1 AS %2"_s.arg(wanted, numberedPlaces(statementFor(rows))))) {
            m_serverNames.erase(rows);
            return sqlError(prepare, "preparing a statement");
        }
        name = wanted;
    }
    return name;
}

} // namespace clinicflow::server
