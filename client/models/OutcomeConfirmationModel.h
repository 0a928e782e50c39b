// The front desk's confirmation queue: visits whose treatment was completed or refused, waiting for the desk to
// confirm the outcome with the patient. A visit leaves once confirmed (closed).
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
        NoteColumn, // the doctor's words with the outcome: the diagnosis, the next visit, or why it was refused
        PendingColumn,
        ColumnCount
    };
    // Shared roles: IdRole and VisitIdRole (the visit), PendingRole, StatusRole (the outcome:
    // "treatment_completed" | "treatment_refused"), ToneRole, PriorityRole.
    enum Role
    {
        TicketRole = ModelRole,
    };

    explicit OutcomeConfirmationModel(LocalStore &store, QObject *parent = nullptr);

protected:
    QList<RowKey> rowsOf(const QUuid &visitId) const override;
    QVariant text(int row, int column) const override;
    QVariant value(int row, int role) const override;
};

} // namespace clinicflow::client
