// In-place updates of the sorted queue and board models (see SortedRowsModel.h).
#include "SortedRowsModel.h"

#include "StatusTone.h"
#include "store/LocalStore.h"

#include <algorithm>

namespace clinicflow::client {

using namespace domain;

SortedRowsModel::SortedRowsModel(LocalStore &store, std::vector<const char *> headers, std::vector<Role> roles,
                                 QObject *parent)
    : TableModel(std::move(headers), std::move(roles), parent)
    , m_store(store)
{
    connect(&store, &LocalStore::visitChanged, this, &SortedRowsModel::updateVisit);
    connect(&store, &LocalStore::visitsReset, this, &SortedRowsModel::reload);
    connect(&store, &LocalStore::visitsChanged, this, &SortedRowsModel::updateVisits);
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
    const QUuid id = idAt(row);
    return id.isNull() ? id : m_visitOfRow.value(id, id);
}

QList<QUuid> SortedRowsModel::rowIdsOf(const QUuid &visitId) const
{
    if (const auto it = m_rowsOfVisit.constFind(visitId); it != m_rowsOfVisit.cend())
        return *it;
    return m_keys.contains(visitId) ? QList<QUuid>{visitId} : QList<QUuid>{};
}

// Every row at once, sorted once: the rows go into place without a lookup or an allocation of their own, so a day of
// 100,000 visits loads in a few tens of milliseconds.
void SortedRowsModel::reload()
{
    beginResetModel();
    const QList<QUuid> visits = m_store.visitIds();
    m_rows.clear();
    m_rows.reserve(std::size_t(visits.size()));
    m_keys.clear();
    m_visitOfRow.clear();
    m_rowsOfVisit.clear();
    m_groupRows.clear();
    for (const QUuid &visitId : visits) {
        const QList<RowKey> keys = rowsOf(visitId);
        noteRowsOf(visitId, keys);
        m_rows.insert(m_rows.end(), keys.cbegin(), keys.cend());
    }
    std::sort(m_rows.begin(), m_rows.end());
    m_keys.reserve(qsizetype(m_rows.size()));
    for (const RowKey &key : m_rows) {
        m_keys.insert(key.id, key);
        ++m_groupRows[key.group];
    }
    endResetModel();
}

// Which rows a visit that had none has now, where they are not just the one row with the visit's own id.
void SortedRowsModel::noteRowsOf(const QUuid &visitId, const QList<RowKey> &keys)
{
    if (keys.isEmpty() || (keys.size() == 1 && keys.front().id == visitId))
        return;
    QList<QUuid> &ids = m_rowsOfVisit[visitId];
    for (const RowKey &key : keys) {
        ids.append(key.id);
        if (key.id != visitId)
            m_visitOfRow.insert(key.id, visitId);
    }
}

// Many visits at once, most of them new (a part of a board's snapshot): the new rows are sorted among themselves and
// merged with the rows in place, one reset for them all; inserted one by one, each would move every row after it.
// Visits that already have rows take the usual way.
void SortedRowsModel::updateVisits(const QList<QUuid> &visitIds)
{
    std::vector<RowKey> added;
    QList<QUuid> shown;
    for (const QUuid &visitId : visitIds) {
        if (!rowIdsOf(visitId).isEmpty()) {
            shown.append(visitId);
            continue;
        }
        const QList<RowKey> keys = rowsOf(visitId);
        noteRowsOf(visitId, keys);
        added.insert(added.end(), keys.cbegin(), keys.cend());
    }
    if (!added.empty()) {
        std::sort(added.begin(), added.end());
        beginResetModel();
        const auto middle = std::ptrdiff_t(m_rows.size());
        m_rows.insert(m_rows.end(), added.cbegin(), added.cend());
        std::inplace_merge(m_rows.begin(), m_rows.begin() + middle, m_rows.end());
        for (const RowKey &key : added) {
            m_keys.insert(key.id, key);
            ++m_groupRows[key.group];
        }
        endResetModel();
    }
    for (const QUuid &visitId : std::as_const(shown))
        updateVisit(visitId);
}

QVariant SortedRowsModel::visitValue(const QUuid &visitId, const VisitStatus &row, int role) const
{
    switch (role) {
    case IdRole:
    case VisitIdRole:
        return visitId;
    case PendingRole:
        return m_store.isPending(visitId);
    case StatusRole:
        return toString(row.receptionStatus);
    case ToneRole:
        return int(toneOf(row.receptionStatus, row.diagnosisStatus));
    case PriorityRole:
        return toString(row.priority);
    default:
        return {};
    }
}

void SortedRowsModel::refreshColumn(int column)
{
    if (!m_rows.empty())
        emit dataChanged(index(0, column), index(int(m_rows.size()) - 1, column));
}

void SortedRowsModel::updateVisit(const QUuid &visitId)
{
    const QList<RowKey> now = rowsOf(visitId);
    const QList<QUuid> before = rowIdsOf(visitId);
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
    if (ids.isEmpty() || (ids.size() == 1 && ids.front() == visitId))
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
    if (key.id != visitId)
        m_visitOfRow.insert(key.id, visitId);
    ++m_groupRows[key.group];
    endInsertRows();
}

void SortedRowsModel::removeRowWithId(const QUuid &rowId)
{
    const RowKey key = m_keys.value(rowId);
    const std::ptrdiff_t at = position(key);
    beginRemoveRows({}, int(at), int(at));
    m_rows.erase(m_rows.begin() + at);
    --m_groupRows[key.group];
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
    if (old.group != key.group) { // counted in its new group before anyone hears of the change
        --m_groupRows[old.group];
        ++m_groupRows[key.group];
    }
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
