// The status board's rows (see StatusBoardModel.h).
#include "StatusBoardModel.h"

#include "ModelText.h"
#include "store/LocalStore.h"

#include <QTimer>

namespace clinicflow::client {

using namespace domain;

StatusBoardModel::StatusBoardModel(LocalStore &store, QObject *parent)
    : SortedRowsModel(store, ColumnCount, parent)
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
    if (!row)
        return {};
    // Patients still in the building on top; a visit moves down when it is closed or cancelled.
    const int group = row->finishedAt.isValid() || isFinal(row->receptionStatus) ? 1 : 0;
    return {RowKey{group, row->receivedAt.toMSecsSinceEpoch(), row->ticket, 0, visitId}};
}

QVariant StatusBoardModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QUuid id = idAt(index.row());
    const auto row = store().visit(id);
    if (!row)
        return {};
    const int done = row->examsPerformed + row->examsCancelled;
    const int total = row->examsPrescribed - row->examsWithdrawn;
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TicketColumn:
            return row->ticket;
        case DepartmentColumn:
            return ModelText::department(store().catalogue(), row->department);
        case DoctorColumn:
            return ModelText::doctor(store().catalogue(), row->doctor);
        case ReceptionColumn:
            return ModelText::receptionStatus(row->receptionStatus);
        case DiagnosisColumn:
            return row->diagnosisStatus ? ModelText::diagnosisStatus(*row->diagnosisStatus) : QString();
        case ExaminationsColumn:
            return row->examsPrescribed == 0 ? QString() : QStringLiteral("%1/%2").arg(done).arg(total);
        case WaitingColumn:
            return ModelText::minutes(row->waitingSeconds(m_clock()));
        case ColumnCount:
            break;
        }
        return {};
    case IdRole:
        return id;
    case PendingRole:
        return store().isPending(id);
    case ReceptionStatusRole:
        return toString(row->receptionStatus);
    case DiagnosisStatusRole:
        return row->diagnosisStatus ? toString(*row->diagnosisStatus) : QString();
    case WaitingSecondsRole:
        return row->waitingSeconds(m_clock());
    case ExamsDoneRole:
        return done;
    case ExamsTotalRole:
        return total;
    default:
        return {};
    }
}

QVariant StatusBoardModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TicketColumn:
        return tr("Ticket");
    case DepartmentColumn:
        return tr("Department");
    case DoctorColumn:
        return tr("Doctor");
    case ReceptionColumn:
        return tr("Visit");
    case DiagnosisColumn:
        return tr("Consultation");
    case ExaminationsColumn:
        return tr("Examinations");
    case WaitingColumn:
        return tr("Waiting");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> StatusBoardModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names[IdRole] = "visitId";
    names[PendingRole] = "pending";
    names[ReceptionStatusRole] = "receptionStatus";
    names[DiagnosisStatusRole] = "diagnosisStatus";
    names[WaitingSecondsRole] = "waitingSeconds";
    names[ExamsDoneRole] = "examsDone";
    names[ExamsTotalRole] = "examsTotal";
    return names;
}

} // namespace clinicflow::client
