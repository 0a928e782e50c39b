// A doctor's consultation queue: the open diagnoses assigned to them (waiting, examinations pending, results ready,
// reviewed), urgent patients first, then whoever has waited longest since reception. A diagnosis leaves when the
// doctor completes or refuses the treatment, or the visit is cancelled.
#pragma once

#include "SortedRowsModel.h"

#include <functional>

namespace clinicflow::client {

class DoctorQueueModel final : public SortedRowsModel
{
    Q_OBJECT

public:
    enum Column
    {
        TicketColumn,
        PatientColumn,
        PriorityColumn,
        StatusColumn,
        ExaminationsColumn, // "1/2": examinations with a result / prescribed and not withdrawn
        WaitingColumn,
        PendingColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole, // the diagnosis id: what the doctor's commands target
        VisitIdRole,
        PendingRole,
        StatusRole,   // the diagnosis status's stable name, e.g. "results_ready"
        PriorityRole, // "normal" | "urgent"
        WaitingSecondsRole,
    };

    DoctorQueueModel(LocalStore &store, const QString &doctor, QObject *parent = nullptr);

    const QString &doctor() const { return m_doctor; }
    // The time waiting is measured against (tests pin it); refreshWaiting() repaints that column.
    void setClock(std::function<QDateTime()> clock);
    void refreshWaiting();

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

protected:
    QList<RowKey> rowsOf(const QUuid &visitId) const override;

private:
    QString m_doctor;
    std::function<QDateTime()> m_clock;
};

} // namespace clinicflow::client
