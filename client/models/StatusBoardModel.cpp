// The status board's rows (see StatusBoardModel.h).
#include "StatusBoardModel.h"

#include "ModelText.h"
#include "store/LocalStore.h"

#include <QTimer>
#include <algorithm>
#include <array>

namespace clinicflow::client {

using namespace domain;

StatusBoardModel::StatusBoardModel(LocalStore &store, QDate day, QObject *parent)
    : SortedRowsModel(store,
                      {QT_TR_NOOP("Ticket"), QT_TR_NOOP("Patient"), QT_TR_NOOP("Department"), QT_TR_NOOP("Doctor"),
                       QT_TR_NOOP("Status"), QT_TR_NOOP("Examinations"), QT_TR_NOOP("Waiting")},
                      {{IdRole, "visitId"},
                       {VisitIdRole, "visit"},
                       {PendingRole, "pending"},
                       {StatusRole, "receptionStatus"},
                       {ToneRole, "tone"},
                       {PriorityRole, "priority"},
                       {WaitingSecondsRole, "waitingSeconds"},
                       {ExamsDoneRole, "examsDone"},
                       {ExamsTotalRole, "examsTotal"},
                       {DepartmentCodeRole, "department"}},
                      parent)
    , m_day(day.isValid() ? day : QDate::currentDate())
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    auto *tick = new QTimer(this);
    connect(tick, &QTimer::timeout, this, &StatusBoardModel::refreshWaiting);
    tick->start(30'000);
    connect(&store, &LocalStore::catalogueChanged, this, [this] {
        refreshColumn(DepartmentColumn);
        refreshColumn(DoctorColumn);
    });
    setDayRange();
    reload();
}

void StatusBoardModel::setDay(QDate day)
{
    if (day == m_day)
        return;
    m_day = day;
    setDayRange();
    reload();
}

// A local day runs from its first instant to the next day's, whatever daylight saving does to its length.
void StatusBoardModel::setDayRange()
{
    m_dayStartMs = QDateTime(m_day, QTime(0, 0)).toMSecsSinceEpoch();
    m_dayEndMs = QDateTime(m_day.addDays(1), QTime(0, 0)).toMSecsSinceEpoch();
    m_dayBeforeStartMs = QDateTime(m_day.addDays(-1), QTime(0, 0)).toMSecsSinceEpoch();
}

void StatusBoardModel::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    refreshWaiting();
}

void StatusBoardModel::refreshWaiting()
{
    refreshColumn(WaitingColumn);
}

// Called for every visit of the store when the board opens: no copy of the row, no time zone lookup.
QList<RowKey> StatusBoardModel::rowsOf(const QUuid &visitId) const
{
    const VisitStatus *row = store().visitRow(visitId);
    if (!row || !row->receivedAt.isValid())
        return {};
    const qint64 received = row->receivedAt.toMSecsSinceEpoch();
    if (received < m_dayBeforeStartMs || received >= m_dayEndMs)
        return {};
    // Patients still in the building on top; a visit moves down when it is closed or cancelled. One of the day
    // before leaves the board then: it was shown only because the patient was still here.
    const bool finished = row->finishedAt.isValid() || isFinal(row->receptionStatus);
    if (finished && received < m_dayStartMs)
        return {};
    return {RowKey{finished ? 1 : 0, received, row->ticket, 0, visitId}};
}

QVariant StatusBoardModel::text(int r, int column) const
{
    const VisitStatus *row = store().visitRow(idAt(r));
    if (!row)
        return {};
    switch (Column(column)) {
    case TicketColumn:
        return row->ticket;
    case PatientColumn:
        return ModelText::maskedName(row->patientName);
    case DepartmentColumn:
        return ModelText::department(store().catalogue(), row->department);
    case DoctorColumn:
        return ModelText::doctor(store().catalogue(), row->doctor);
    case StatusColumn:
        return ModelText::visitState(row->receptionStatus, row->diagnosisStatus);
    case ExaminationsColumn:
        return row->examsPrescribed == 0 ? QString()
                                         : QStringLiteral("%1/%2")
                                               .arg(row->examsPerformed + row->examsCancelled)
                                               .arg(row->examsPrescribed - row->examsWithdrawn);
    case WaitingColumn:
        return ModelText::minutes(row->waitingSeconds(m_clock()));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant StatusBoardModel::value(int r, int role) const
{
    const QUuid id = idAt(r);
    const VisitStatus *row = store().visitRow(id);
    if (!row)
        return {};
    switch (role) {
    case WaitingSecondsRole:
        return row->waitingSeconds(m_clock());
    case ExamsDoneRole:
        return row->examsPerformed + row->examsCancelled;
    case ExamsTotalRole:
        return row->examsPrescribed - row->examsWithdrawn;
    case DepartmentCodeRole:
        return row->department;
    default:
        return visitValue(id, *row, role);
    }
}

StatusBoardModel::Counts StatusBoardModel::counts() const
{
    // Tones in an array and departments in a short list (a hospital has a handful): one walk, no hashing per row.
    std::array<int, int(StatusTone::Cancelled) + 1> tones{};
    QList<std::pair<QString, int>> departments;
    Counts counts;
    for (int r = 0, rows = rowCount(); r < rows; ++r) {
        const VisitStatus *row = store().visitRow(idAt(r));
        if (!row)
            continue;
        ++tones[std::size_t(toneOf(row->receptionStatus, row->diagnosisStatus))];
        if (row->receptionStatus == ReceptionStatus::Closed) {
            counts.closedCompleted += row->diagnosisStatus == DiagnosisStatus::Completed;
            counts.closedRefused += row->diagnosisStatus == DiagnosisStatus::Refused;
        }
        auto it = std::find_if(departments.begin(), departments.end(),
                               [row](const auto &d) { return d.first == row->department; });
        if (it == departments.end())
            departments.append({row->department, 1});
        else
            ++it->second;
    }
    for (std::size_t t = 0; t < tones.size(); ++t) {
        if (tones[t] > 0)
            counts.tones.insert(StatusTone(t), tones[t]);
    }
    for (const auto &[code, n] : std::as_const(departments))
        counts.departments.insert(code, n);
    return counts;
}

} // namespace clinicflow::client
