// The front desk's list: every visit received today (the desk's local day), in ticket order, with its patient,
// department, doctor and reception status, and whether an action of this station on it awaits the server.
#pragma once

#include "SortedRowsModel.h"

#include <QDate>

namespace clinicflow::client {

class TodayVisitsModel final : public SortedRowsModel
{
    Q_OBJECT

public:
    enum Column
    {
        TicketColumn,
        PatientColumn,
        DepartmentColumn,
        DoctorColumn,
        StatusColumn,
        PendingColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole, // the visit id
        PendingRole,           // bool
        StatusRole,            // the reception status's stable name, e.g. "in_treatment"
        PriorityRole,          // "normal" | "urgent"
        TicketRole,
    };

    // day: the local date whose visits are listed; today when null.
    explicit TodayVisitsModel(LocalStore &store, QDate day = {}, QObject *parent = nullptr);

    QDate day() const { return m_day; }
    void setDay(QDate day);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

protected:
    QList<RowKey> rowsOf(const QUuid &visitId) const override;

private:
    QDate m_day;
};

} // namespace clinicflow::client
