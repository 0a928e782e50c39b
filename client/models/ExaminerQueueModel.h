// The examination room's queue: every requested examination of the types this room does (the X-ray room sees
// X-rays; all types when none is set), urgent visits first, then in the order they were requested. An examination
// leaves when it is performed, cancelled or withdrawn, at once when this station did it.
#pragma once

#include "SortedRowsModel.h"

#include <QDateTime>
#include <QSet>
#include <functional>

namespace clinicflow::client {

class ExaminerQueueModel final : public SortedRowsModel
{
    Q_OBJECT

public:
    enum Column
    {
        TypeColumn,
        TicketColumn,
        PatientColumn,
        DepartmentColumn,
        RequestedColumn,
        WaitingColumn, // minutes since the doctor asked for it, as the other queues count a wait
        PriorityColumn,
        PendingColumn,
        ColumnCount
    };
    // Shared roles: IdRole (the examination: what the examiner's commands target), VisitIdRole, PendingRole,
    // StatusRole (the examination status), ToneRole, PriorityRole.
    enum Role
    {
        CodeRole = ModelRole, // the catalogue code, e.g. "XRAY"
        NoteRole,             // the doctor's note with the prescription
    };

    // codes: only examinations of these catalogue codes; all when empty.
    explicit ExaminerQueueModel(LocalStore &store, QSet<QString> codes = {}, QObject *parent = nullptr);

    const QSet<QString> &codes() const { return m_codes; }
    void setCodes(const QSet<QString> &codes);
    void setClock(std::function<QDateTime()> clock);

protected:
    QList<RowKey> rowsOf(const QUuid &visitId) const override;
    QVariant text(int row, int column) const override;
    QVariant value(int row, int role) const override;

private:
    QSet<QString> m_codes;
    std::function<QDateTime()> m_clock;
};

} // namespace clinicflow::client
