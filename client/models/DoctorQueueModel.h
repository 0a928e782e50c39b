// A doctor's consultation queue: the open diagnoses assigned to them. New patients first (waiting), then those whose
// results are ready (or reviewed), then those still at their examinations; within each, urgent patients first, then
// whoever has waited longest since reception. A diagnosis leaves when the doctor completes or refuses the
// treatment, or the visit is cancelled.
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
        AgeSexColumn,
        PriorityColumn,
        StatusColumn,
        ExaminationsColumn, // "1/2": examinations with a result / prescribed and not withdrawn
        WaitingColumn,
        PendingColumn,
        ColumnCount
    };
    // Shared roles: IdRole (the diagnosis: what the doctor's commands target), VisitIdRole, PendingRole, StatusRole
    // (the diagnosis status), ToneRole, PriorityRole.
    enum Role
    {
        WaitingSecondsRole = ModelRole,
    };

    DoctorQueueModel(LocalStore &store, const QString &doctor, QObject *parent = nullptr);

    const QString &doctor() const { return m_doctor; }
    // The queue's counts by stage, as its header shows them: new patients, results to decide on (ready or reviewed),
    // patients at their examinations. Kept by the rows' groups, never by walking the rows.
    struct StageCounts
    {
        int waiting = 0;
        int results = 0;
        int examinations = 0;
    };
    StageCounts stageCounts() const;
    // The time waiting is measured against (tests pin it); refreshWaiting() repaints that column.
    void setClock(std::function<QDateTime()> clock);
    void refreshWaiting();

protected:
    QList<RowKey> rowsOf(const QUuid &visitId) const override;
    QVariant text(int row, int column) const override;
    QVariant value(int row, int role) const override;

private:
    QString m_doctor;
    std::function<QDateTime()> m_clock;
};

} // namespace clinicflow::client
