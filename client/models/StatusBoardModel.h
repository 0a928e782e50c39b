// The customer-management board: every visit of the day (the board's local day), and those of the day before that
// are still open (a patient registered before midnight is still in the building after it), patients still in the
// building first, each group by arrival, with the patient (masked: the board hangs where others can read it),
// department, doctor, the visit's state in the words the desk and the board's counts use (one column: where the patient
// is now), examinations done out of prescribed, and how long the patient has waited for the doctor.
#pragma once

#include "SortedRowsModel.h"
#include "StatusTone.h"

#include <QDate>
#include <functional>

namespace clinicflow::client {

class StatusBoardModel final : public SortedRowsModel
{
    Q_OBJECT

public:
    enum Column
    {
        TicketColumn,
        PatientColumn,
        DepartmentColumn,
        DoctorColumn,
        StatusColumn, // ModelText::visitState: "Waiting for the doctor", "At examinations", ... in the tone's colour
        ExaminationsColumn, // "1/2": performed or cancelled / prescribed and not withdrawn
        WaitingColumn,
        ColumnCount
    };
    // Shared roles: IdRole and VisitIdRole (the visit), PendingRole, StatusRole (the reception status), ToneRole (the
    // visit's as a whole), PriorityRole.
    enum Role
    {
        WaitingSecondsRole = ModelRole,
        ExamsDoneRole,
        ExamsTotalRole,
        DepartmentCodeRole,
    };

    // day: the local date whose visits are shown; today when null.
    explicit StatusBoardModel(LocalStore &store, QDate day = {}, QObject *parent = nullptr);

    QDate day() const { return m_day; }
    void setDay(QDate day);
    void setClock(std::function<QDateTime()> clock);
    void refreshWaiting();

    // The board's headline: how many visits of the day are in each tone, and in each department (by code), counted
    // in one walk over the rows; and of the closed ones, how their treatment ended.
    struct Counts
    {
        QHash<StatusTone, int> tones;
        QHash<QString, int> departments;
        int closedCompleted = 0;
        int closedRefused = 0;
    };
    Counts counts() const;
    QHash<StatusTone, int> countsByTone() const { return counts().tones; }
    QHash<QString, int> countsByDepartment() const { return counts().departments; }

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
    qint64 m_dayBeforeStartMs = 0; // open visits from here on stay
    std::function<QDateTime()> m_clock;
};

} // namespace clinicflow::client
