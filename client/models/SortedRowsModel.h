// The machinery the queue and board models share: a sorted vector of row keys kept in step with the local store,
// one visit at a time. When the store says a visit changed, the model asks its subclass which rows that visit has
// now and inserts, removes, moves or refreshes just those rows (binary search for the place), so a view keeps its
// selection and scroll position; only visitsReset() (a snapshot, a reset) resets the model, and so does a part of a
// snapshot stored in steps (visitsChanged: its new rows merged in at once).
#pragma once

#include "TableModel.h"
#include "domain/StatusView.h"

#include <QHash>
#include <QUuid>
#include <vector>

namespace clinicflow::client {

class LocalStore;

// Where a row sorts: field by field, smaller first. The row's own id comes last, so no two keys are equal.
struct RowKey
{
    int group = 0;   // e.g. 0 urgent, 1 normal
    qint64 time = 0; // ms since the epoch
    QString text;    // e.g. the ticket's station
    int number = 0;  // e.g. the ticket's number
    QUuid id;        // the row's identity (a visit, a diagnosis or an examination id)

    friend bool operator<(const RowKey &a, const RowKey &b)
    {
        return std::tie(a.group, a.time, a.text, a.number, a.id) < std::tie(b.group, b.time, b.text, b.number, b.id);
    }
    friend bool operator==(const RowKey &a, const RowKey &b)
    {
        return a.group == b.group && a.time == b.time && a.text == b.text && a.number == b.number && a.id == b.id;
    }
};

class SortedRowsModel : public TableModel
{
    Q_OBJECT

public:
    int rowCount(const QModelIndex &parent = {}) const override;

    QUuid idAt(int row) const;           // null outside the rows
    int rowOf(const QUuid &rowId) const; // -1 when absent
    QUuid visitAt(int row) const;        // the visit the row belongs to
    // How many rows have this RowKey::group now: kept as rows come, go and move, so screens count their rows by
    // group without walking them (a doctor's queue recounts on every change while a station catches up).
    int rowsInGroup(int group) const { return m_groupRows.value(group); }

protected:
    SortedRowsModel(LocalStore &store, std::vector<const char *> headers, std::vector<Role> roles, QObject *parent);
    // The shared roles (IdRole to PriorityRole) of a row that is one visit, its id the visit's: the desk's visits,
    // the confirmation queue and the board answer them alike.
    QVariant visitValue(const QUuid &visitId, const domain::VisitStatus &row, int role) const;

    // The rows a visit has in this model as the store is now (none when it has left or never belonged).
    virtual QList<RowKey> rowsOf(const QUuid &visitId) const = 0;

    // Builds the rows from scratch; subclasses call it at the end of their constructor and when a filter changes.
    void reload();
    void refreshColumn(int column); // dataChanged for one column of every row (a clock tick, a roster change)
    LocalStore &store() const { return m_store; }

private:
    void updateVisit(const QUuid &visitId);
    void updateVisits(const QList<QUuid> &visitIds);
    void noteRowsOf(const QUuid &visitId, const QList<RowKey> &keys);
    QList<QUuid> rowIdsOf(const QUuid &visitId) const;
    std::ptrdiff_t position(const RowKey &key) const;
    void insertRow(const RowKey &key, const QUuid &visitId);
    void removeRowWithId(const QUuid &rowId);
    void updateRow(const RowKey &key);

    LocalStore &m_store;
    std::vector<RowKey> m_rows;  // sorted
    QHash<QUuid, RowKey> m_keys; // row id -> its current key
    // Most models have one row per visit whose id is the visit's own (a board of 100,000 visits): those rows are
    // known from m_keys alone. Only the others are listed here (an examination's row belongs to its visit).
    QHash<QUuid, QUuid> m_visitOfRow;         // row id -> visit id, when they differ
    QHash<QUuid, QList<QUuid>> m_rowsOfVisit; // visit id -> its row ids, unless they are exactly {visit id}
    QHash<int, int> m_groupRows;              // group -> rows in it
};

} // namespace clinicflow::client
