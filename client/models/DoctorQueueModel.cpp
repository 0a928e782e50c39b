// A doctor's queue of open diagnoses (see DoctorQueueModel.h).
#include "DoctorQueueModel.h"

#include "ModelText.h"
#include "store/LocalStore.h"

#include <QTimer>

namespace clinicflow::client {

using namespace domain;

DoctorQueueModel::DoctorQueueModel(LocalStore &store, const QString &doctor, QObject *parent)
    : SortedRowsModel(store, ColumnCount, parent)
    , m_doctor(doctor)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    auto *tick = new QTimer(this);
    connect(tick, &QTimer::timeout, this, &DoctorQueueModel::refreshWaiting);
    tick->start(30'000);
    reload();
}

void DoctorQueueModel::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    refreshWaiting();
}

void DoctorQueueModel::refreshWaiting()
{
    refreshColumn(WaitingColumn);
}

QList<RowKey> DoctorQueueModel::rowsOf(const QUuid &visitId) const
{
    const auto d = store().diagnosisOfVisit(visitId);
    if (!d || !isOpen(d->status) || d->doctor != m_doctor)
        return {};
    const auto row = store().visit(visitId);
    const QDateTime since = row && row->receivedAt.isValid() ? row->receivedAt : d->registeredAt;
    return {RowKey{d->priority == Priority::Urgent ? 0 : 1, since.toMSecsSinceEpoch(), {}, 0, visitId}};
}

QVariant DoctorQueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QUuid visitId = idAt(index.row());
    const auto d = store().diagnosisOfVisit(visitId);
    const auto row = store().visit(visitId);
    if (!d || !row)
        return {};
    const bool pending = store().isPending(visitId);
    const int withdrawn = d->countWith(ExaminationStatus::Withdrawn);
    const int done = d->countWith(ExaminationStatus::Performed) + d->countWith(ExaminationStatus::Cancelled);
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TicketColumn:
            return row->ticket;
        case PatientColumn:
            return row->patientName;
        case PriorityColumn:
            return ModelText::priority(d->priority);
        case StatusColumn:
            return ModelText::diagnosisStatus(d->status);
        case ExaminationsColumn:
            return d->prescriptions.isEmpty()
                       ? QString()
                       : QStringLiteral("%1/%2").arg(done).arg(d->prescriptions.size() - withdrawn);
        case WaitingColumn:
            return ModelText::minutes(row->waitingSeconds(m_clock()));
        case PendingColumn:
            return ModelText::pending(pending);
        case ColumnCount:
            break;
        }
        return {};
    case IdRole:
        return d->id;
    case VisitIdRole:
        return visitId;
    case PendingRole:
        return pending;
    case StatusRole:
        return toString(d->status);
    case PriorityRole:
        return toString(d->priority);
    case WaitingSecondsRole:
        return row->waitingSeconds(m_clock());
    default:
        return {};
    }
}

QVariant DoctorQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TicketColumn:
        return tr("Ticket");
    case PatientColumn:
        return tr("Patient");
    case PriorityColumn:
        return tr("Priority");
    case StatusColumn:
        return tr("Status");
    case ExaminationsColumn:
        return tr("Examinations");
    case WaitingColumn:
        return tr("Waiting");
    case PendingColumn:
        return tr("Sync");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> DoctorQueueModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names[IdRole] = "diagnosisId";
    names[VisitIdRole] = "visitId";
    names[PendingRole] = "pending";
    names[StatusRole] = "status";
    names[PriorityRole] = "priority";
    names[WaitingSecondsRole] = "waitingSeconds";
    return names;
}

} // namespace clinicflow::client
