// One visit's timeline, oldest first: the confirmed events (time, what happened in a sentence, the station whose
// action started it), then this station's actions the server has not confirmed yet, marked pending. Confirmed lines
// never change, so an update only touches the tail: lines are appended, and pending ones replaced.
#pragma once

#include "TableModel.h"
#include "store/StoreTypes.h"

namespace clinicflow::client {

class LocalStore;

class VisitHistoryModel final : public TableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TimeColumn,
        DescriptionColumn,
        StationColumn,
        ColumnCount
    };
    // Shared roles: PendingRole.
    enum Role
    {
        SequenceRole = ModelRole, // 0 for a pending action
        InEffectRole,             // a pending action still shown as done here
        TypeRole,                 // the event type ("ExaminationPerformed") or the pending command's name
        AtRole,                   // QDateTime, UTC
    };

    VisitHistoryModel(LocalStore &store, const QUuid &visitId, QObject *parent = nullptr);

    const QUuid &visitId() const { return m_visitId; }
    const HistoryEntry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;

protected:
    QVariant text(int row, int column) const override;
    QVariant value(int row, int role) const override;

private:
    void update(const QUuid &visitId);
    void reload();

    LocalStore &m_store;
    QUuid m_visitId;
    QList<HistoryEntry> m_entries;
};

} // namespace clinicflow::client
