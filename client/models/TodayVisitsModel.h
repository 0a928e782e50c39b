// The front desk's list: every visit received today (the desk's local day), and the day before's still open, in ticket
// order, with its patient, department, doctor and reception status, and whether an action of this station on it
// awaits the server.
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
        WaitingColumn,
        PendingColumn,
        ColumnCount
    };
    // Shared roles: IdRole and VisitIdRole (the visit), PendingRole, StatusRole (the reception status), ToneRole,
    // PriorityRole.
    enum Role
    {
        TicketRole = ModelRole,
        PhoneRole,          // for the desk's search: ticket, name or phone
        DepartmentCodeRole, // for the filter by department
        WaitingSecondsRole,
    };

    // day: the local date whose visits are listed, with the day before's still open (a patient registered before
    // midnight is still at the desk's care after it). Null: today's, following the clock's date past midnight.
    explicit TodayVisitsModel(LocalStore &store, QDate day = {}, QObject *parent = nullptr);

    QDate day() const { return m_day; }
    void setDay(QDate day);
    // The time waiting is measured against (tests pin it); refreshWaiting() repaints that column, and moves a model
    // that follows today on to the clock's date (every 30 s).
    void setClock(std::function<QDateTime()> clock);
    void refreshWaiting();

protected:
    QList<RowKey> rowsOf(const QUuid &visitId) const override;
    QVariant text(int row, int column) const override;
    QVariant value(int row, int role) const override;

private:
    void setDayRange();

    QDate m_day;
    // The day's first and last instant, as ms since the epoch: a row's day is read without a time zone conversion.
    qint64 m_dayStartMs = 0;
    qint64 m_dayEndMs = 0;
    qint64 m_dayBeforeStartMs = 0;
    bool m_followsToday = false;
    std::function<QDateTime()> m_clock;
};

} // namespace clinicflow::client
