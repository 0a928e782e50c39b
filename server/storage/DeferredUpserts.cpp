#include "DeferredUpserts.h"

#include <QStringList>

namespace clinicflow::server {

namespace {

QString placesFor(int columns)
{
    QStringList places;
    for (int i = 0; i < columns; ++i)
        places.append(QStringLiteral("?"));
    return QLatin1Char('(') + places.join(QStringLiteral(", ")) + QLatin1Char(')');
}

} // namespace

DeferredUpserts::DeferredUpserts(Database &db, const QString &sql, int columns)
    : m_batch(db, sql, placesFor(columns))
{
}

void DeferredUpserts::put(const QString &key, QVariantList values)
{
    if (const auto it = m_index.constFind(key); it != m_index.cend()) {
        m_rows[*it] = std::move(values);
        return;
    }
    m_index.insert(key, m_rows.size());
    m_rows.push_back(std::move(values));
}

domain::Result<bool> DeferredUpserts::flush(const char *what)
{
    if (m_rows.empty())
        return true;
    auto written = m_batch.run(
        m_rows.size(), [this](std::size_t i) { return m_rows[i]; }, what);
    clear(); // written, or the unit fails and is undone
    return written;
}

void DeferredUpserts::clear()
{
    m_rows.clear();
    m_index.clear();
}

} // namespace clinicflow::server
