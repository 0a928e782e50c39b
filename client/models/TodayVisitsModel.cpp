// The front desk's visits of the day (see TodayVisitsModel.h).
#include "TodayVisitsModel.h"

#include "ModelText.h"
#include "store/LocalStore.h"

namespace clinicflow::client {

using namespace domain;

TodayVisitsModel::TodayVisitsModel(LocalStore &store, QDate day, QObject *parent)
    : SortedRowsModel(store, ColumnCount, parent)
    , m_day(day.isValid() ? day : QDate::currentDate())
{
    connect(&store, &LocalStore::catalogueChanged, this, [this] {
        refreshColumn(DepartmentColumn);
        refreshColumn(DoctorColumn);
    });
    reload();
}

void TodayVisitsModel::setDay(QDate day)
{
    if (day == m_day)
        return;
    m_day = day;
    reload();
}

// Ticket order: station, then number, so "A-002" comes before "A-010" and each desk's tickets stay together.
QList<RowKey> TodayVisitsModel::rowsOf(const QUuid &visitId) const
{
    const auto row = store().visit(visitId);
    if (!row || row->receivedAt.toLocalTime().date() != m_day)
        return {};
    const auto ticket = Ticket::parse(row->ticket);
    return {RowKey{0, 0, ticket ? ticket->station : row->ticket, ticket ? ticket->number : 0, visitId}};
}

QVariant TodayVisitsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QUuid id = idAt(index.row());
    const auto row = store().visit(id);
    if (!row)
        return {};
    const bool pending = store().isPending(id);
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TicketColumn:
            return row->ticket;
        case PatientColumn:
            return row->patientName;
        case DepartmentColumn:
            return ModelText::department(store().catalogue(), row->department);
        case DoctorColumn:
            return ModelText::doctor(store().catalogue(), row->doctor);
        case StatusColumn:
            return ModelText::receptionStatus(row->receptionStatus);
        case PendingColumn:
            return ModelText::pending(pending);
        case ColumnCount:
            break;
        }
        return {};
    case IdRole:
        return id;
    case PendingRole:
        return pending;
    case StatusRole:
        return toString(row->receptionStatus);
    case PriorityRole:
        return toString(row->priority);
    case TicketRole:
        return row->ticket;
    default:
        return {};
    }
}

QVariant TodayVisitsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TicketColumn:
        return tr("Ticket");
    case PatientColumn:
        return tr("Patient");
    case DepartmentColumn:
        return tr("Department");
    case DoctorColumn:
        return tr("Doctor");
    case StatusColumn:
        return tr("Status");
    case PendingColumn:
        return tr("Sync");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> TodayVisitsModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names[IdRole] = "visitId";
    names[PendingRole] = "pending";
    names[StatusRole] = "status";
    names[PriorityRole] = "priority";
    names[TicketRole] = "ticket";
    return names;
}

} // namespace clinicflow::client
