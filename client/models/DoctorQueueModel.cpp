// A doctor's queue of open diagnoses (see DoctorQueueModel.h).
#include "DoctorQueueModel.h"

#include "ModelText.h"
#include "StatusTone.h"
#include "store/LocalStore.h"

#include <QTimer>

namespace clinicflow::client {

using namespace domain;

namespace {

// Who the doctor sees next: new patients, then results to review, then patients still at their examinations.
int stage(DiagnosisStatus status)
{
    switch (status) {
    case DiagnosisStatus::Waiting:
        return 0;
    case DiagnosisStatus::ResultsReady:
    case DiagnosisStatus::Reviewed:
        return 1;
    default:
        return 2;
    }
}

} // namespace

DoctorQueueModel::DoctorQueueModel(LocalStore &store, const QString &doctor, QObject *parent)
    : SortedRowsModel(store,
                      {QT_TR_NOOP("Ticket"), QT_TR_NOOP("Patient"), QT_TR_NOOP("Age/Sex"), QT_TR_NOOP("Priority"),
                       QT_TR_NOOP("Status"), QT_TR_NOOP("Examinations"), QT_TR_NOOP("Waiting"), QT_TR_NOOP("Sync")},
                      {{IdRole, "diagnosisId"},
                       {VisitIdRole, "visitId"},
                       {PendingRole, "pending"},
                       {StatusRole, "status"},
                       {ToneRole, "tone"},
                       {PriorityRole, "priority"},
                       {WaitingSecondsRole, "waitingSeconds"}},
                      parent)
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

// A row's group is its stage times two, urgent first within it (rowsOf).
DoctorQueueModel::StageCounts DoctorQueueModel::stageCounts() const
{
    const auto inStage = [this](int stage) { return rowsInGroup(stage * 2) + rowsInGroup(stage * 2 + 1); };
    return {inStage(0), inStage(1), inStage(2)};
}

QList<RowKey> DoctorQueueModel::rowsOf(const QUuid &visitId) const
{
    const auto d = store().diagnosisOfVisit(visitId);
    if (!d || !isOpen(d->status) || d->doctor != m_doctor)
        return {};
    const auto row = store().visit(visitId);
    const QDateTime since = row && row->receivedAt.isValid() ? row->receivedAt : d->registeredAt;
    const int group = stage(d->status) * 2 + (d->priority == Priority::Urgent ? 0 : 1);
    return {RowKey{group, since.toMSecsSinceEpoch(), {}, 0, visitId}};
}

QVariant DoctorQueueModel::text(int r, int column) const
{
    const QUuid visitId = idAt(r);
    const auto d = store().diagnosisOfVisit(visitId);
    const auto row = store().visit(visitId);
    if (!d || !row)
        return {};
    switch (Column(column)) {
    case TicketColumn:
        return row->ticket;
    case PatientColumn:
        return row->patientName;
    case AgeSexColumn: {
        const auto reception = store().reception(visitId);
        return reception ? ModelText::ageSex(reception->patient, m_clock().toLocalTime().date()) : QString();
    }
    case PriorityColumn:
        return ModelText::priority(d->priority);
    case StatusColumn:
        return ModelText::diagnosisStatus(d->status);
    case ExaminationsColumn: {
        const int withdrawn = d->countWith(ExaminationStatus::Withdrawn);
        const int done = d->countWith(ExaminationStatus::Performed) + d->countWith(ExaminationStatus::Cancelled);
        return d->prescriptions.isEmpty() ? QString()
                                          : QStringLiteral("%1/%2").arg(done).arg(d->prescriptions.size() - withdrawn);
    }
    case WaitingColumn:
        return ModelText::minutes(row->waitingSeconds(m_clock()));
    case PendingColumn:
        return ModelText::pending(store().isPending(visitId));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant DoctorQueueModel::value(int r, int role) const
{
    const QUuid visitId = idAt(r);
    const auto d = store().diagnosisOfVisit(visitId);
    const auto row = store().visit(visitId);
    if (!d || !row)
        return {};
    switch (role) {
    case IdRole:
        return d->id;
    case VisitIdRole:
        return visitId;
    case PendingRole:
        return store().isPending(visitId);
    case StatusRole:
        return toString(d->status);
    case ToneRole:
        return int(toneOf(d->status));
    case PriorityRole:
        return toString(d->priority);
    case WaitingSecondsRole:
        return row->waitingSeconds(m_clock());
    default:
        return {};
    }
}

} // namespace clinicflow::client
