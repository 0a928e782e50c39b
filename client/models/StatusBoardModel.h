// The customer-management board: every visit the station knows, open ones first, each group by arrival, with its
// department, doctor, reception and diagnosis status, examinations done out of prescribed, and how long the patient has
// waited for the doctor. Read-only and shown on a public screen, so it exposes no patient name.
#pragma once

#include "SortedRowsModel.h"

#include <functional>

namespace clinicflow::client {

class StatusBoardModel final : public SortedRowsModel
{
    Q_OBJECT

public:
    enum Column
    {
        TicketColumn,
        DepartmentColumn,
        DoctorColumn,
        ReceptionColumn,
        DiagnosisColumn,
        ExaminationsColumn, // "1/2": performed or cancelled / prescribed and not withdrawn
        WaitingColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole, // the visit id
        PendingRole,
        ReceptionStatusRole, // stable names, e.g. "in_treatment"
        DiagnosisStatusRole, // empty until a doctor is assigned
        WaitingSecondsRole,
        ExamsDoneRole,
        ExamsTotalRole,
    };

    explicit StatusBoardModel(LocalStore &store, QObject *parent = nullptr);

    void setClock(std::function<QDateTime()> clock);
    void refreshWaiting();

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

protected:
    QList<RowKey> rowsOf(const QUuid &visitId) const override;

private:
    std::function<QDateTime()> m_clock;
};

} // namespace clinicflow::client
