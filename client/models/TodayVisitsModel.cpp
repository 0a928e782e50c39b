// The front desk's visits of the day (see TodayVisitsModel.h).
#include "TodayVisitsModel.h"

#include "ModelText.h"
#include "StatusTone.h"
#include "store/LocalStore.h"

#include <QTimer>

namespace clinicflow::client {

using namespace domain;

TodayVisitsModel::TodayVisitsModel(LocalStore &store, QDate day, QObject *parent)
    : SortedRowsModel(store,
                      {QT_TR_NOOP("Ticket"), QT_TR_NOOP("Patient"), QT_TR_NOOP("Department"), QT_TR_NOOP("Doctor"),
                       QT_TR_NOOP("Status"), QT_TR_NOOP("Waiting"), QT_TR_NOOP("Sync")},
                      {{IdRole, "visitId"},
                       {VisitIdRole, "visitId"},
                       {PendingRole, "pending"},
                       {StatusRole, "status"},
                       {ToneRole, "tone"},
                       {PriorityRole, "priority"},
                       {TicketRole, "ticket"},
                       {PhoneRole, "phone"},
                       {DepartmentCodeRole, "department"},
                       {WaitingSecondsRole, "waitingSeconds"}},
                      parent)
    , m_day(day.isValid() ? day : QDate::currentDate())
    , m_followsToday(!day.isValid())
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    connect(&store, &LocalStore::catalogueChanged, this, [this] {
        refreshColumn(DepartmentColumn);
        refreshColumn(DoctorColumn);
    });
    auto *tick = new QTimer(this);
    connect(tick, &QTimer::timeout, this, &TodayVisitsModel::refreshWaiting);
    tick->start(30'000);
    setDayRange();
    reload();
}

void TodayVisitsModel::setDay(QDate day)
{
    if (day == m_day)
        return;
    m_day = day;
    setDayRange();
    reload();
}

// A local day runs from its first instant to the next day's, whatever daylight saving does to its length.
void TodayVisitsModel::setDayRange()
{
    m_dayStartMs = QDateTime(m_day, QTime(0, 0)).toMSecsSinceEpoch();
    m_dayEndMs = QDateTime(m_day.addDays(1), QTime(0, 0)).toMSecsSinceEpoch();
    m_dayBeforeStartMs = QDateTime(m_day.addDays(-1), QTime(0, 0)).toMSecsSinceEpoch();
}

void TodayVisitsModel::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    refreshWaiting();
}

void TodayVisitsModel::refreshWaiting()
{
    // A desk left running overnight moves on to the new day.
    if (const QDate today = m_clock().toLocalTime().date(); m_followsToday && today != m_day) {
        setDay(today);
        return;
    }
    refreshColumn(WaitingColumn);
}

// Ticket order: station, then number, so "A-002" comes before "A-010" and each desk's tickets stay together. The day
// before's visits still open come first (their tickets are the day before's numbers), and leave the list when they
// end: they are listed only because the patient is still in the desk's care.
QList<RowKey> TodayVisitsModel::rowsOf(const QUuid &visitId) const
{
    const VisitStatus *row = store().visitRow(visitId);
    if (!row || !row->receivedAt.isValid())
        return {};
    const qint64 received = row->receivedAt.toMSecsSinceEpoch();
    if (received < m_dayBeforeStartMs || received >= m_dayEndMs)
        return {};
    const bool dayBefore = received < m_dayStartMs;
    if (dayBefore && (row->finishedAt.isValid() || isFinal(row->receptionStatus)))
        return {};
    const auto ticket = Ticket::parse(row->ticket);
    return {RowKey{dayBefore ? 0 : 1, 0, ticket ? ticket->station : row->ticket, ticket ? ticket->number : 0, visitId}};
}

QVariant TodayVisitsModel::text(int r, int column) const
{
    const QUuid id = idAt(r);
    const VisitStatus *row = store().visitRow(id);
    if (!row)
        return {};
    switch (Column(column)) {
    case TicketColumn:
        return row->ticket;
    case PatientColumn:
        return row->patientName;
    case DepartmentColumn:
        return ModelText::department(store().catalogue(), row->department);
    case DoctorColumn:
        return ModelText::doctor(store().catalogue(), row->doctor);
    case StatusColumn:
        return ModelText::visitState(row->receptionStatus, row->diagnosisStatus);
    case WaitingColumn:
        // Only while the patient still waits for a doctor: once seen, or gone, the wait is over.
        return row->seenAt.isValid() || isFinal(row->receptionStatus)
                   ? QString()
                   : ModelText::minutes(row->waitingSeconds(m_clock()));
    case PendingColumn:
        return ModelText::pending(store().isPending(id));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TodayVisitsModel::value(int r, int role) const
{
    const QUuid id = idAt(r);
    const VisitStatus *row = store().visitRow(id);
    if (!row)
        return {};
    switch (role) {
    case TicketRole:
        return row->ticket;
    case PhoneRole: {
        const auto reception = store().reception(id);
        return reception ? reception->patient.phone : QString();
    }
    case DepartmentCodeRole:
        return row->department;
    case WaitingSecondsRole:
        return row->waitingSeconds(m_clock());
    default:
        return visitValue(id, *row, role);
    }
}

} // namespace clinicflow::client
