// The shared part of the screens' table models (see TableModel.h).
#include "TableModel.h"

#include <QCoreApplication>

namespace clinicflow::client {

TableModel::TableModel(std::vector<const char *> headers, std::vector<Role> roles, QObject *parent)
    : QAbstractTableModel(parent)
    , m_headers(std::move(headers))
    , m_roleNames(QAbstractTableModel::roleNames())
{
    for (const Role &r : roles)
        m_roleNames.insert(r.role, r.name);
}

int TableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant TableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return text(index.row(), index.column());
    default:
        return m_roleNames.contains(role) && role >= Qt::UserRole ? value(index.row(), role) : QVariant();
    }
}

QVariant TableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= int(m_headers.size()))
        return QAbstractTableModel::headerData(section, orientation, role);
    return QCoreApplication::translate(metaObject()->className(), m_headers[std::size_t(section)]);
}

QHash<int, QByteArray> TableModel::roleNames() const
{
    return m_roleNames;
}

void TableModel::retranslate()
{
    if (!m_headers.empty())
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, int(m_headers.size()) - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

} // namespace clinicflow::client
