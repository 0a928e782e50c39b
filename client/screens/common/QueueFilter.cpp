// Search and filters over a queue (see QueueFilter.h).
#include "QueueFilter.h"

#include "models/TableModel.h"

namespace clinicflow::client {

QueueFilter::QueueFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
}

void QueueFilter::setSearchColumns(QList<int> columns)
{
    m_columns = std::move(columns);
}

void QueueFilter::setSearchRoles(QList<int> roles)
{
    m_roles = std::move(roles);
}

void QueueFilter::setSearchText(const QString &text)
{
    const QString simplified = text.simplified();
    if (simplified == m_text)
        return;
    m_text = simplified;
    invalidateFilter();
}

void QueueFilter::setTone(std::optional<StatusTone> tone)
{
    if (tone == m_tone)
        return;
    m_tone = tone;
    invalidateFilter();
}

void QueueFilter::setDepartment(const QString &code)
{
    if (code == m_department)
        return;
    m_department = code;
    invalidateFilter();
}

bool QueueFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex first = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_tone && first.data(TableModel::ToneRole).toInt() != int(*m_tone))
        return false;
    if (!m_department.isEmpty() && m_departmentRole >= 0 && first.data(m_departmentRole).toString() != m_department)
        return false;
    if (m_text.isEmpty())
        return true;
    // Phone numbers match with or without their dashes and spaces.
    const auto digits = [](QString s) { return s.remove(QLatin1Char('-')).remove(QLatin1Char(' ')); };
    const QString needle = m_text;
    const auto matches = [&](const QString &hay) {
        return hay.contains(needle, Qt::CaseInsensitive) ||
               (!digits(needle).isEmpty() && digits(hay).contains(digits(needle), Qt::CaseInsensitive));
    };
    for (int column : m_columns) {
        if (matches(sourceModel()->index(sourceRow, column, sourceParent).data().toString()))
            return true;
    }
    for (int role : m_roles) {
        if (matches(first.data(role).toString()))
            return true;
    }
    return false;
}

} // namespace clinicflow::client
