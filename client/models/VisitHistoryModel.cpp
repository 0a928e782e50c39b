// A visit's timeline (see VisitHistoryModel.h).
#include "VisitHistoryModel.h"

#include "HistoryText.h"
#include "ModelText.h"
#include "store/LocalStore.h"

namespace clinicflow::client {

using namespace domain;

namespace {

// Two lines are the same line when they are the same event, or the same pending action in the same state.
bool sameLine(const HistoryEntry &a, const HistoryEntry &b)
{
    if (a.pending != b.pending)
        return false;
    if (!a.pending)
        return a.sequence == b.sequence;
    return a.command->meta.commandId == b.command->meta.commandId;
}

} // namespace

VisitHistoryModel::VisitHistoryModel(LocalStore &store, const QUuid &visitId, QObject *parent)
    : TableModel({QT_TR_NOOP("Time"), QT_TR_NOOP("What happened"), QT_TR_NOOP("Station")},
                 {{PendingRole, "pending"},
                  {SequenceRole, "sequence"},
                  {InEffectRole, "inEffect"},
                  {TypeRole, "type"},
                  {AtRole, "at"}},
                 parent)
    , m_store(store)
    , m_visitId(visitId)
    , m_entries(store.history(visitId))
{
    connect(&store, &LocalStore::visitChanged, this, &VisitHistoryModel::update);
    connect(&store, &LocalStore::visitsReset, this, &VisitHistoryModel::reload);
    connect(&store, &LocalStore::visitsChanged, this, [this](const QList<QUuid> &visitIds) {
        if (visitIds.contains(m_visitId))
            update(m_visitId);
    });
    connect(&store, &LocalStore::catalogueChanged, this, [this] {
        if (!m_entries.isEmpty())
            emit dataChanged(index(0, DescriptionColumn), index(rowCount() - 1, DescriptionColumn));
    });
}

void VisitHistoryModel::reload()
{
    beginResetModel();
    m_entries = m_store.history(m_visitId);
    endResetModel();
}

// The common head stays; lines after it are replaced. Confirmed events only ever append, so in practice the
// replaced part is the pending tail.
void VisitHistoryModel::update(const QUuid &visitId)
{
    if (visitId != m_visitId)
        return;
    const QList<HistoryEntry> now = m_store.history(m_visitId);
    qsizetype same = 0;
    while (same < m_entries.size() && same < now.size() && sameLine(m_entries[same], now[same]))
        ++same;
    for (qsizetype i = 0; i < same; ++i) {
        if (m_entries[i].inEffect != now[i].inEffect) {
            m_entries[i] = now[i];
            emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
        }
    }
    if (same < m_entries.size()) {
        beginRemoveRows({}, int(same), int(m_entries.size() - 1));
        m_entries.resize(same);
        endRemoveRows();
    }
    if (same < now.size()) {
        beginInsertRows({}, int(same), int(now.size() - 1));
        m_entries.append(now.mid(same));
        endInsertRows();
    }
}

int VisitHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant VisitHistoryModel::text(int row, int column) const
{
    const HistoryEntry &e = m_entries.at(row);
    switch (Column(column)) {
    case TimeColumn:
        return ModelText::time(e.at);
    case DescriptionColumn:
        return HistoryText::describe(e, m_store.catalogue(), [this](const QUuid &examinationId) {
            const auto examination = m_store.examination(examinationId);
            return examination ? examination->code : QString();
        });
    case StationColumn:
        return e.station;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant VisitHistoryModel::value(int row, int role) const
{
    const HistoryEntry &e = m_entries.at(row);
    switch (role) {
    case SequenceRole:
        return e.sequence;
    case PendingRole:
        return e.pending;
    case InEffectRole:
        return e.inEffect;
    case TypeRole:
        return e.event ? eventTypeName(e.event->payload) : commandName(e.command->command);
    case AtRole:
        return e.at;
    default:
        return {};
    }
}

} // namespace clinicflow::client
