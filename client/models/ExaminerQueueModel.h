// The examination room's queue: every requested examination (optionally of one code: the X-ray room sees X-rays),
// urgent visits first, then in the order they were requested. An examination leaves when it is performed,
// cancelled or withdrawn, at once when this station did it.
#pragma once

#include "SortedRowsModel.h"

namespace clinicflow::client {

class ExaminerQueueModel final : public SortedRowsModel
{
    Q_OBJECT

public:
    enum Column
    {
        TypeColumn,
        TicketColumn,
        DepartmentColumn,
        RequestedColumn,
        PriorityColumn,
        PendingColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole, // the examination id: what the examiner's commands target
        VisitIdRole,
        PendingRole,
        CodeRole,     // the catalogue code, e.g. "XRAY"
        PriorityRole, // "normal" | "urgent"
        NoteRole,     // the doctor's note with the prescription
    };

    // code: only examinations of this catalogue code; all when empty.
    explicit ExaminerQueueModel(LocalStore &store, const QString &code = {}, QObject *parent = nullptr);

    const QString &code() const { return m_code; }
    void setCode(const QString &code);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

protected:
    QList<RowKey> rowsOf(const QUuid &visitId) const override;

private:
    QString m_code;
};

} // namespace clinicflow::client
