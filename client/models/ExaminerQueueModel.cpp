// The examination room's queue of requested examinations (see ExaminerQueueModel.h).
#include "ExaminerQueueModel.h"

#include "ModelText.h"
#include "store/LocalStore.h"

namespace clinicflow::client {

using namespace domain;

ExaminerQueueModel::ExaminerQueueModel(LocalStore &store, const QString &code, QObject *parent)
    : SortedRowsModel(store, ColumnCount, parent)
    , m_code(code)
{
    connect(&store, &LocalStore::catalogueChanged, this, [this] {
        refreshColumn(TypeColumn);
        refreshColumn(DepartmentColumn);
    });
    reload();
}

void ExaminerQueueModel::setCode(const QString &code)
{
    if (code == m_code)
        return;
    m_code = code;
    reload();
}

QList<RowKey> ExaminerQueueModel::rowsOf(const QUuid &visitId) const
{
    const auto row = store().visit(visitId);
    const int group = row && row->priority == Priority::Urgent ? 0 : 1;
    QList<RowKey> keys;
    for (const Examination &x : store().examinationsOfVisit(visitId)) {
        if (x.status == ExaminationStatus::Requested && (m_code.isEmpty() || x.code == m_code))
            keys.append(RowKey{group, x.requestedAt.toMSecsSinceEpoch(), {}, 0, x.id});
    }
    return keys;
}

QVariant ExaminerQueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QUuid visitId = visitAt(index.row());
    const auto x = store().examination(idAt(index.row()));
    const auto row = store().visit(visitId);
    if (!x || !row)
        return {};
    const bool pending = store().isPending(visitId);
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TypeColumn:
            return ModelText::examination(store().catalogue(), x->code);
        case TicketColumn:
            return row->ticket;
        case DepartmentColumn:
            return ModelText::department(store().catalogue(), row->department);
        case RequestedColumn:
            return ModelText::time(x->requestedAt);
        case PriorityColumn:
            return ModelText::priority(row->priority);
        case PendingColumn:
            return ModelText::pending(pending);
        case ColumnCount:
            break;
        }
        return {};
    case IdRole:
        return x->id;
    case VisitIdRole:
        return visitId;
    case PendingRole:
        return pending;
    case CodeRole:
        return x->code;
    case PriorityRole:
        return toString(row->priority);
    case NoteRole:
        return x->note;
    default:
        return {};
    }
}

QVariant ExaminerQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TypeColumn:
        return tr("Examination");
    case TicketColumn:
        return tr("Ticket");
    case DepartmentColumn:
        return tr("Department");
    case RequestedColumn:
        return tr("Requested");
    case PriorityColumn:
        return tr("Priority");
    case PendingColumn:
        return tr("Sync");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> ExaminerQueueModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names[IdRole] = "examinationId";
    names[VisitIdRole] = "visitId";
    names[PendingRole] = "pending";
    names[CodeRole] = "code";
    names[PriorityRole] = "priority";
    names[NoteRole] = "note";
    return names;
}

} // namespace clinicflow::client
