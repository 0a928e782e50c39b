// In-place updates of the sorted queue and board models (see SortedRowsModel.h).
#include "SortedRowsModel.h"

#include "store/LocalStore.h"

#include <algorithm>

namespace clinicflow::client {

SortedRowsModel::SortedRowsModel(LocalStore &store, std::vector<const char *> headers, std::vector<Role> roles,
                                 QObject *parent)
    : TableModel(std::move(headers), std::move(roles), parent)
    , m_store(store)
{
    connect(&store, &LocalStore::visitChanged, this, &SortedRowsModel::updateVisit);
    connect(&store, &LocalStore::visitsReset, this, &SortedRowsModel::reload);
}

int SortedRowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QUuid SortedRowsModel::idAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)].id : QUuid();
}

int SortedRowsModel::rowOf(const QUuid &rowId) const
{
    const auto it = m_keys.constFind(rowId);
    return it == m_keys.cend() ? -1 : int(position(*it));
}

QUuid SortedRowsModel::visitAt(int row) const
{
    return m_visitOfRow.value(idAt(row));
}

void SortedRowsModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_keys.clear();
    m_visitOfRow.clear();
    m_rowsOfVisit.clear();
    for (const QUuid &visitId : m_store.visitIds()) {
        const QList<RowKey> keys = rowsOf(visitId);
        if (keys.isEmpty())
            continue;
        QList<QUuid> &ids = m_rowsOfVisit[visitId];
        for (const RowKey &key : keys) {
            m_rows.push_back(key);
            m_keys.insert(key.id, key);
            m_visitOfRow.insert(key.id, visitId);
            ids.append(key.id);
        }
    }
    std::sort(m_rows.begin(), m_rows.end());
    endResetModel();
}

void SortedRowsModel::refreshColumn(int column)
{
    if (!m_rows.empty())
        emit dataChanged(index(0, column), index(int(m_rows.size()) - 1, column));
}

void SortedRowsModel::updateVisit(const QUuid &visitId)
{
    const QList<RowKey> now = rowsOf(visitId);
    const QList<QUuid> before = m_rowsOfVisit.value(visitId);
    QList<QUuid> ids;
    for (const RowKey &key : now)
        ids.append(key.id);
    for (const QUuid &id : before) {
        if (!ids.contains(id))
            removeRowWithId(id);
    }
    for (const RowKey &key : now) {
        if (m_keys.contains(key.id)) {
            updateRow(key);
        } else {
            insertRow(key, visitId);
        }
    }
    if (ids.isEmpty())
        m_rowsOfVisit.remove(visitId);
    else
        m_rowsOfVisit.insert(visitId, ids);
}

std::ptrdiff_t SortedRowsModel::position(const RowKey &key) const
{
    return std::lower_bound(m_rows.begin(), m_rows.end(), key) - m_rows.begin();
}

// Everything a reader may ask about the new row (its visit included) is in place before rowsInserted goes out:
// views and screens read the row from inside that signal.
void SortedRowsModel::insertRow(const RowKey &key, const QUuid &visitId)
{
    const std::ptrdiff_t at = position(key);
    beginInsertRows({}, int(at), int(at));
    m_rows.insert(m_rows.begin() + at, key);
    m_keys.insert(key.id, key);
    m_visitOfRow.insert(key.id, visitId);
    endInsertRows();
}

void SortedRowsModel::removeRowWithId(const QUuid &rowId)
{
    const std::ptrdiff_t at = position(m_keys.value(rowId));
    beginRemoveRows({}, int(at), int(at));
    m_rows.erase(m_rows.begin() + at);
    m_keys.remove(rowId);
    m_visitOfRow.remove(rowId);
    endRemoveRows();
}

// The row's data may have changed even when its place did not; when its place changed it moves (a view keeps the
// selection on it) rather than leaving and coming back.
void SortedRowsModel::updateRow(const RowKey &key)
{
    const RowKey old = m_keys.value(key.id);
    const std::ptrdiff_t from = position(old);
    std::ptrdiff_t to = from;
    if (!(old == key)) {
        const std::ptrdiff_t at = position(key); // counted with the old entry still in place
        to = at > from ? at - 1 : at;
    }
    if (to != from) {
        const int destination = int(to > from ? to + 1 : to);
        beginMoveRows({}, int(from), int(from), {}, destination);
        m_rows.erase(m_rows.begin() + from);
        m_rows.insert(m_rows.begin() + to, key);
        m_keys.insert(key.id, key);
        endMoveRows();
    } else {
        m_rows[std::size_t(from)] = key;
        m_keys.insert(key.id, key);
    }
    emit dataChanged(index(int(to), 0), index(int(to), columnCount() - 1));
}

} // namespace clinicflow::client
