// Visits awaiting the desk's confirmation of their outcome (see OutcomeConfirmationModel.h).
#include "OutcomeConfirmationModel.h"

#include "ModelText.h"
#include "StatusTone.h"
#include "store/LocalStore.h"

namespace clinicflow::client {

using namespace domain;

OutcomeConfirmationModel::OutcomeConfirmationModel(LocalStore &store, QObject *parent)
    : SortedRowsModel(store,
                      {QT_TR_NOOP("Ticket"), QT_TR_NOOP("Patient"), QT_TR_NOOP("Doctor"), QT_TR_NOOP("Outcome"),
                       QT_TR_NOOP("Doctor's note"), QT_TR_NOOP("Sync")},
                      {{IdRole, "visitId"},
                       {VisitIdRole, "visit"},
                       {PendingRole, "pending"},
                       {StatusRole, "outcome"},
                       {ToneRole, "tone"},
                       {PriorityRole, "priority"},
                       {TicketRole, "ticket"}},
                      parent)
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

QVariant OutcomeConfirmationModel::text(int r, int column) const
{
    const QUuid id = idAt(r);
    const auto row = store().visit(id);
    if (!row)
        return {};
    switch (Column(column)) {
    case TicketColumn:
        return row->ticket;
    case PatientColumn:
        return row->patientName;
    case DoctorColumn:
        return ModelText::doctor(store().catalogue(), row->doctor);
    case OutcomeColumn:
        return ModelText::receptionStatus(row->receptionStatus);
    case NoteColumn: {
        // One line in the table: the note's lines joined.
        const auto diagnosis = store().diagnosisOfVisit(id);
        return diagnosis ? diagnosis->outcomeNote.split(u'\n', Qt::SkipEmptyParts).join(QStringLiteral(" · "))
                         : QString();
    }
    case PendingColumn:
        return ModelText::pending(store().isPending(id));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant OutcomeConfirmationModel::value(int r, int role) const
{
    const QUuid id = idAt(r);
    const auto row = store().visit(id);
    if (!row)
        return {};
    switch (role) {
    case TicketRole:
        return row->ticket;
    default:
        return visitValue(id, *row, role);
    }
}

} // namespace clinicflow::client
