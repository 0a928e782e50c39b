// Visits awaiting the desk's confirmation of their outcome (see OutcomeConfirmationModel.h).
#include "OutcomeConfirmationModel.h"

#include "ModelText.h"
#include "store/LocalStore.h"

namespace clinicflow::client {

using namespace domain;

OutcomeConfirmationModel::OutcomeConfirmationModel(LocalStore &store, QObject *parent)
    : SortedRowsModel(store, ColumnCount, parent)
{
    connect(&store, &LocalStore::catalogueChanged, this, [this] { refreshColumn(DoctorColumn); });
    reload();
}

QList<RowKey> OutcomeConfirmationModel::rowsOf(const QUuid &visitId) const
{
    const auto row = store().visit(visitId);
    if (!row || (row->receptionStatus != ReceptionStatus::TreatmentCompleted &&
                 row->receptionStatus != ReceptionStatus::TreatmentRefused))
        return {};
    // By arrival, which does not change while the row is here, so rows never jump about under the cursor.
    return {RowKey{0, row->receivedAt.toMSecsSinceEpoch(), row->ticket, 0, visitId}};
}

QVariant OutcomeConfirmationModel::data(const QModelIndex &index, int role) const
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
        case DoctorColumn:
            return ModelText::doctor(store().catalogue(), row->doctor);
        case OutcomeColumn:
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
    case OutcomeRole:
        return toString(row->receptionStatus);
    case TicketRole:
        return row->ticket;
    default:
        return {};
    }
}

QVariant OutcomeConfirmationModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TicketColumn:
        return tr("Ticket");
    case PatientColumn:
        return tr("Patient");
    case DoctorColumn:
        return tr("Doctor");
    case OutcomeColumn:
        return tr("Outcome");
    case PendingColumn:
        return tr("Sync");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> OutcomeConfirmationModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names[IdRole] = "visitId";
    names[PendingRole] = "pending";
    names[OutcomeRole] = "outcome";
    names[TicketRole] = "ticket";
    return names;
}

} // namespace clinicflow::client
