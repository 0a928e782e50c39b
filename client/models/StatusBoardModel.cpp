// The status board's rows (see StatusBoardModel.h).
#include "StatusBoardModel.h"

#include "ModelText.h"
#include "store/LocalStore.h"

#include <QTimer>

namespace clinicflow::client {

using namespace domain;

StatusBoardModel::StatusBoardModel(LocalStore &store, QDate day, QObject *parent)
    : SortedRowsModel(store,
                      {QT_TR_NOOP("Ticket"), QT_TR_NOOP("Patient"), QT_TR_NOOP("Department"), QT_TR_NOOP("Doctor"),
                       QT_TR_NOOP("Visit"), QT_TR_NOOP("Consultation"), QT_TR_NOOP("Examinations"),
                       QT_TR_NOOP("Waiting")},
                      {{IdRole, "visitId"},
                       {VisitIdRole, "visit"},
                       {PendingRole, "pending"},
                       {StatusRole, "receptionStatus"},
                       {ToneRole, "tone"},
                       {PriorityRole, "priority"},
                       {DiagnosisStatusRole, "diagnosisStatus"},
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
    reload();
}

void StatusBoardModel::setDay(QDate day)
{
    if (day == m_day)
        return;
    m_day = day;
    reload();
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

QList<RowKey> StatusBoardModel::rowsOf(const QUuid &visitId) const
{
    const auto row = store().visit(visitId);
    if (!row || row->receivedAt.toLocalTime().date() != m_day)
        return {};
    // Patients still in the building on top; a visit moves down when it is closed or cancelled.
    const int group = row->finishedAt.isValid() || isFinal(row->receptionStatus) ? 1 : 0;
    return {RowKey{group, row->receivedAt.toMSecsSinceEpoch(), row->ticket, 0, visitId}};
}

QVariant StatusBoardModel::text(int r, int column) const
{
    const auto row = store().visit(idAt(r));
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
    case ReceptionColumn:
        return ModelText::receptionStatus(row->receptionStatus);
    case DiagnosisColumn:
        return row->diagnosisStatus ? ModelText::diagnosisStatus(*row->diagnosisStatus) : QString();
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
    const auto row = store().visit(id);
    if (!row)
        return {};
    switch (role) {
    case IdRole:
    case VisitIdRole:
        return id;
    case PendingRole:
        return store().isPending(id);
    case StatusRole:
        return toString(row->receptionStatus);
    case ToneRole:
        return int(toneOf(row->receptionStatus, row->diagnosisStatus));
    case PriorityRole:
        return toString(row->priority);
    case DiagnosisStatusRole:
        return row->diagnosisStatus ? toString(*row->diagnosisStatus) : QString();
    case WaitingSecondsRole:
        return row->waitingSeconds(m_clock());
    case ExamsDoneRole:
        return row->examsPerformed + row->examsCancelled;
    case ExamsTotalRole:
        return row->examsPrescribed - row->examsWithdrawn;
    case DepartmentCodeRole:
        return row->department;
    default:
        return {};
    }
}

QHash<StatusTone, int> StatusBoardModel::countsByTone() const
{
    QHash<StatusTone, int> counts;
    for (int r = 0; r < rowCount(); ++r) {
        if (const auto row = store().visit(idAt(r)))
            ++counts[toneOf(row->receptionStatus, row->diagnosisStatus)];
    }
    return counts;
}

QHash<QString, int> StatusBoardModel::countsByDepartment() const
{
    QHash<QString, int> counts;
    for (int r = 0; r < rowCount(); ++r) {
        if (const auto row = store().visit(idAt(r)))
            ++counts[row->department];
    }
    return counts;
}

} // namespace clinicflow::client
