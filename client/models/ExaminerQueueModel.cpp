// The examination room's queue of requested examinations (see ExaminerQueueModel.h).
#include "ExaminerQueueModel.h"

#include "ModelText.h"
#include "StatusTone.h"
#include "store/LocalStore.h"

#include <QTimer>
#include <algorithm>

namespace clinicflow::client {

using namespace domain;

ExaminerQueueModel::ExaminerQueueModel(LocalStore &store, QSet<QString> codes, QObject *parent)
    : SortedRowsModel(store,
                      {QT_TR_NOOP("Examination"), QT_TR_NOOP("Ticket"), QT_TR_NOOP("Patient"), QT_TR_NOOP("Department"),
                       QT_TR_NOOP("Requested"), QT_TR_NOOP("Waiting"), QT_TR_NOOP("Priority"), QT_TR_NOOP("Sync")},
                      {{IdRole, "examinationId"},
                       {VisitIdRole, "visitId"},
                       {PendingRole, "pending"},
                       {StatusRole, "status"},
                       {ToneRole, "tone"},
                       {PriorityRole, "priority"},
                       {CodeRole, "code"},
                       {NoteRole, "note"}},
                      parent)
    , m_codes(std::move(codes))
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    connect(&store, &LocalStore::catalogueChanged, this, [this] {
        refreshColumn(TypeColumn);
        refreshColumn(DepartmentColumn);
    });
    auto *tick = new QTimer(this);
    connect(tick, &QTimer::timeout, this, [this] { refreshColumn(WaitingColumn); });
    tick->start(30'000);
    reload();
}

void ExaminerQueueModel::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    refreshColumn(WaitingColumn);
}

void ExaminerQueueModel::setCodes(const QSet<QString> &codes)
{
    if (codes == m_codes)
        return;
    m_codes = codes;
    reload();
}

QList<RowKey> ExaminerQueueModel::rowsOf(const QUuid &visitId) const
{
    const auto row = store().visit(visitId);
    const int group = row && row->priority == Priority::Urgent ? 0 : 1;
    QList<RowKey> keys;
    for (const Examination &x : store().examinationsOfVisit(visitId)) {
        if (x.status == ExaminationStatus::Requested && (m_codes.isEmpty() || m_codes.contains(x.code)))
            keys.append(RowKey{group, x.requestedAt.toMSecsSinceEpoch(), {}, 0, x.id});
    }
    return keys;
}

QVariant ExaminerQueueModel::text(int r, int column) const
{
    const auto x = store().examination(idAt(r));
    const auto row = store().visit(visitAt(r));
    if (!x || !row)
        return {};
    switch (Column(column)) {
    case TypeColumn:
        return ModelText::examination(store().catalogue(), x->code);
    case TicketColumn:
        return row->ticket;
    case PatientColumn:
        return row->patientName;
    case DepartmentColumn:
        return ModelText::department(store().catalogue(), row->department);
    case RequestedColumn:
        return ModelText::time(x->requestedAt);
    case WaitingColumn:
        return ModelText::minutes(std::max<qint64>(0, x->requestedAt.secsTo(m_clock())));
    case PriorityColumn: // only the exception is worth a word: "Normal" on every row would be noise
        return row->priority == Priority::Urgent ? ModelText::priority(row->priority) : QString();
    case PendingColumn:
        return ModelText::pending(store().isPending(row->visitId, x->id));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ExaminerQueueModel::value(int r, int role) const
{
    const QUuid visitId = visitAt(r);
    const auto x = store().examination(idAt(r));
    const auto row = store().visit(visitId);
    if (!x || !row)
        return {};
    switch (role) {
    case IdRole:
        return x->id;
    case VisitIdRole:
        return visitId;
    case PendingRole:
        return store().isPending(visitId, x->id);
    case StatusRole:
        return toString(x->status);
    case ToneRole:
        return int(toneOf(x->status));
    case PriorityRole:
        return toString(row->priority);
    case CodeRole:
        return x->code;
    case NoteRole:
        return x->note;
    default:
        return {};
    }
}

} // namespace clinicflow::client
