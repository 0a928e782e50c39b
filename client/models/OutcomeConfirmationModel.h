// The front desk's second list: visits whose treatment the doctor completed or the patient refused, waiting for
// the desk's ConfirmOutcome (ARCHITECTURE §3 step 8). Oldest first; a visit leaves as soon as the desk confirms it.
#pragma once

#include "SortedRowsModel.h"

namespace clinicflow::client {

class OutcomeConfirmationModel final : public SortedRowsModel
{
    Q_OBJECT

public:
    enum Column
    {
        TicketColumn,
        PatientColumn,
        DoctorColumn,
        OutcomeColumn,
        PendingColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole, // the visit id
        PendingRole,
        OutcomeRole, // "treatment_completed" | "treatment_refused"
        TicketRole,
    };

    explicit OutcomeConfirmationModel(LocalStore &store, QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

protected:
    QList<RowKey> rowsOf(const QUuid &visitId) const override;
};

} // namespace clinicflow::client
