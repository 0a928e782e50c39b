#include "Cursors.h"

using namespace Qt::StringLiterals;

namespace clinicflow::server {

Cursors::Cursors(Database &db)
    : m_get(db.connection())
    , m_set(db,
            u"INSERT INTO consumer_cursors (consumer, sequence) VALUES %1 "
            "ON CONFLICT (consumer) DO UPDATE SET sequence = excluded.sequence"_s,
            u"(?, ?)"_s)
{
    m_get.setForwardOnly(true);
    m_get.prepare(u"SELECT sequence FROM consumer_cursors WHERE consumer = ?"_s);
}

domain::Result<quint64> Cursors::get(const QString &consumer)
{
    m_get.bindValue(0, consumer);
    if (!m_get.exec())
        return sqlError(m_get, "reading a cursor");
    const quint64 sequence = m_get.next() ? m_get.value(0).toULongLong() : 0;
    m_get.finish();
    return sequence;
}

domain::Result<bool> Cursors::set(const QString &consumer, quint64 sequence)
{
    return m_set.run(
        1,
        [&](std::size_t) {
            return QVariantList{consumer, qint64(sequence)};
        },
        "advancing a cursor");
}

} // namespace clinicflow::server
