// The local store's inputs from the sync engine: the server's events in log order, its answers to the outbox, and
// snapshots and resets of the replica (see LocalStore.h). Each input is one transaction, and memory and signals
// follow its commit.
#include "LocalStore.h"
#include "LocalStorePrivate.h"
#include "ReplicaState.h"
#include "StoreRows.h"
#include "common/Logging.h"

#include <QSet>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStore;

namespace clinicflow::client {

using namespace domain;

// Inserts the visit's row the first time (SQLite picks the key, in arrival order) and updates it in place after.
Result<bool> LocalStore::writeVisit(VisitState &state)
{
    if (!state.row)
        return true;
    QSqlQuery &q = state.rowKey == 0 ? m_sql->insertVisit : m_sql->updateVisit;
    rows::bindVisit(q, *state.row);
    if (state.rowKey != 0)
        q.bindValue(rows::kVisitColumns, state.rowKey);
    if (auto done = StoreDatabase::run(q, "write visit"); !done)
        return done;
    if (state.rowKey == 0)
        state.rowKey = q.lastInsertId().toLongLong();
    return true;
}

Result<int> LocalStore::applyEvents(const QList<Event> &events)
{
    if (auto read = readAllRows(); !read)
        return read.error();
    qsizetype first = 0;
    while (first < events.size() && events[first].sequence != 0 && events[first].sequence <= m_lastSequence)
        ++first; // already applied: a resend or an overlapping catch-up
    quint64 expected = m_lastSequence + 1;
    for (qsizetype i = first; i < events.size(); ++i, ++expected) {
        if (events[i].sequence == expected)
            continue;
        qCWarning(lcStore) << "event sequence gap: expected" << expected << "got" << events[i].sequence
                           << "- nothing applied";
        emit gapDetected(expected, events[i].sequence);
        return makeError(ErrorCode::MalformedMessage,
                         u"expected event %1, got %2"_s.arg(expected).arg(events[i].sequence));
    }
    if (first == events.size())
        return 0;

    const quint64 previousLast = m_lastSequence;
    const int previousPending = pendingCount();
    const quint64 newLast = events.back().sequence;
    // The touched visits are folded on copies, so a failed transaction leaves memory as it was.
    QHash<QUuid, VisitState> touched;
    Transaction tx(*m_db, StoreDatabase::Durability::Replayable);
    if (!tx.ok())
        return tx.error();
    QSqlQuery &insert = m_sql->insertEvent;
    for (qsizetype i = first; i < events.size(); ++i) {
        const Event &e = events[i];
        insert.bindValue(0, qint64(e.sequence));
        insert.bindValue(1, idString(e.visitId));
        insert.bindValue(2, eventTypeName(e.payload));
        insert.bindValue(3, rows::timeValue(e.at));
        insert.bindValue(4, rows::encodeEvent(e));
        if (auto done = StoreDatabase::run(insert, "insert event"); !done)
            return done.error();
        auto it = touched.find(e.visitId);
        if (it == touched.end()) {
            const VisitState *current = m_replica->confirmed(e.visitId);
            it = touched.insert(e.visitId, current ? *current : VisitState{});
        }
        m_replica->index(e);
        it->fold(e);
        it->sequences.append(e.sequence);
    }
    // Once per visit per batch, however many of its events the batch held.
    for (VisitState &s : touched) {
        if (auto done = writeVisit(s); !done)
            return done.error();
    }
    if (auto done = writeSetting(settings::kLastSequence, QString::number(newLast)); !done)
        return done.error();
    if (auto done = tx.commit(); !done)
        return done.error();

    QList<QUuid> visits;
    visits.reserve(touched.size());
    for (auto it = touched.begin(); it != touched.end(); ++it) {
        visits.append(it.key());
        m_replica->setConfirmed(it.key(), std::move(*it));
    }
    m_lastSequence = newLast;
    m_settings.insert(settings::kLastSequence, QString::number(newLast));
    afterConfirmedChange(visits, previousLast, previousPending);
    return int(events.size() - first);
}

// The confirmed state moved: commands whose events have all arrived leave the overlay, and the overlay of every
// touched visit is replayed on the new confirmed state (commands that no longer validate drop out of it).
void LocalStore::afterConfirmedChange(const QList<QUuid> &touched, quint64 previousLast, int previousPending)
{
    QSet<QUuid> visits(touched.cbegin(), touched.cend());
    for (const QUuid &id : m_replica->dropSeen(m_lastSequence))
        visits.insert(id);
    for (const QUuid &id : std::as_const(visits))
        m_replica->recompute(id, m_catalogue);
    for (const QUuid &id : std::as_const(visits))
        emit visitChanged(id);
    if (m_lastSequence != previousLast)
        emit lastSequenceChanged(m_lastSequence);
    if (pendingCount() != previousPending)
        emit pendingCountChanged(pendingCount());
}

void LocalStore::markQueued(const QUuid &commandId)
{
    OutboxEntry *entry = m_replica->entry(commandId);
    if (!entry || entry->state != OutboxState::Pending)
        return;
    // Informational: lost to a crash, the command is simply pending again and resent (the server deduplicates).
    Transaction tx(*m_db, StoreDatabase::Durability::Replayable);
    m_sql->markQueued.bindValue(0, idString(commandId));
    if (tx.ok() && StoreDatabase::run(m_sql->markQueued, "mark queued") && tx.commit())
        entry->state = OutboxState::Queued;
}

Result<bool> LocalStore::updateOutcome(const CommandOutcome &outcome, const QString &state, quint64 maxSequence)
{
    QSqlQuery &q = m_sql->updateOutcome;
    const QVariant noCode(QMetaType::fromType<int>());
    q.bindValue(0, state);
    q.bindValue(1, outcome.applied ? rows::sequencesText(outcome.sequences) : QString());
    q.bindValue(2, qint64(maxSequence));
    q.bindValue(3, outcome.applied ? noCode : QVariant(int(outcome.error.code)));
    q.bindValue(4, outcome.applied ? QVariant(QMetaType::fromType<QString>()) : QVariant(outcome.error.message()));
    q.bindValue(5, rows::timeValue(now()));
    q.bindValue(6, idString(outcome.commandId));
    return StoreDatabase::run(q, "record outcome");
}

Result<Conflict> LocalStore::recordConflict(const CommandOutcome &outcome, const OutgoingCommand &command,
                                            const QUuid &visitId)
{
    QString ticket;
    if (const auto row = visit(visitId))
        ticket = row->ticket;
    else if (const auto *registration = std::get_if<RegisterVisit>(&command.command))
        ticket = registration->ticket.toString();
    Conflict c{0,
               outcome.commandId,
               commandName(command.command),
               visitId,
               ticket,
               outcome.error.code,
               QString::fromUtf8(errorMessage(outcome.error.code)),
               outcome.error.detail,
               now(),
               false};
    QSqlQuery &q = m_sql->insertConflict;
    q.bindValue(0, idString(c.commandId));
    q.bindValue(1, c.commandName);
    q.bindValue(2, rows::idValue(c.visitId));
    q.bindValue(3, c.ticket);
    q.bindValue(4, int(c.code));
    q.bindValue(5, c.message);
    q.bindValue(6, c.detail);
    q.bindValue(7, rows::timeValue(c.at));
    if (auto done = StoreDatabase::run(q, "record conflict"); !done)
        return done.error();
    c.id = q.lastInsertId().toLongLong();
    return c;
}

Result<bool> LocalStore::markOutcome(const CommandOutcome &outcome)
{
    if (auto read = readAllRows(); !read)
        return read;
    OutboxEntry *entry = m_replica->entry(outcome.commandId);
    if (!entry || (entry->state != OutboxState::Pending && entry->state != OutboxState::Queued)) {
        qCDebug(lcStore) << "outcome ignored: command unknown or already answered" << idString(outcome.commandId);
        return false;
    }
    const int previousPending = pendingCount();
    const QUuid visitId = entry->visitId;
    const OutgoingCommand command = entry->command;
    const quint64 maxSequence =
        outcome.sequences.isEmpty() ? 0 : *std::max_element(outcome.sequences.cbegin(), outcome.sequences.cend());

    Transaction tx(*m_db, StoreDatabase::Durability::Replayable);
    if (!tx.ok())
        return tx.error();
    if (auto done = updateOutcome(
            outcome, outboxStateName(outcome.applied ? OutboxState::Applied : OutboxState::Rejected), maxSequence);
        !done)
        return done;
    std::optional<Conflict> conflict;
    if (!outcome.applied) {
        auto recorded = recordConflict(outcome, command, visitId);
        if (!recorded)
            return recorded.error();
        conflict = recorded.value();
    }
    if (auto done = tx.commit(); !done)
        return done;

    if (outcome.applied && maxSequence > m_lastSequence) {
        // Its events are still on their way: it stays in the overlay until they arrive.
        m_replica->markApplied(outcome.commandId, maxSequence);
    } else {
        m_replica->removeEntry(outcome.commandId);
        m_replica->recompute(visitId, m_catalogue);
        emit visitChanged(visitId);
    }
    if (conflict) {
        qCInfo(lcStore).noquote() << "command rejected:" << commandName(command.command) << idString(outcome.commandId)
                                  << errorName(conflict->code) << conflict->ticket;
        emit conflictRecorded(*conflict);
        emit conflictsChanged();
    }
    if (pendingCount() != previousPending)
        emit pendingCountChanged(pendingCount());
    return true;
}

Result<bool> LocalStore::applySnapshot(const QList<VisitStatus> &rowsIn, quint64 sequence)
{
    Transaction tx(*m_db, StoreDatabase::Durability::Replayable);
    if (!tx.ok())
        return tx.error();
    if (auto done = m_db->exec(u"DELETE FROM visits"_s, "snapshot"); !done)
        return done;
    // Stored events past the snapshot would collide with the ones the server sends next.
    if (auto done = m_db->exec(u"DELETE FROM events WHERE sequence > %1"_s.arg(sequence), "snapshot"); !done)
        return done;
    QList<qint64> keys;
    for (const VisitStatus &row : rowsIn) {
        VisitState fresh;
        fresh.row = row;
        if (auto done = writeVisit(fresh); !done)
            return done;
        keys.append(fresh.rowKey);
    }
    if (auto done = writeSetting(settings::kLastSequence, QString::number(sequence)); !done)
        return done;
    if (auto done = tx.commit(); !done)
        return done;
    forgetUnreadRows(); // deleted with the rest

    const quint64 previousLast = m_lastSequence;
    m_replica->clearConfirmedRows(sequence);
    for (qsizetype i = 0; i < rowsIn.size(); ++i) {
        VisitState &state = m_replica->confirmedState(rowsIn[i].visitId);
        state.row = rowsIn[i];
        state.rowKey = keys[i];
    }
    m_lastSequence = sequence;
    m_settings.insert(settings::kLastSequence, QString::number(sequence));
    m_replica->dropSeen(sequence);
    m_replica->recomputeAll(m_catalogue);
    qCInfo(lcStore) << "snapshot applied:" << rowsIn.size() << "visits at sequence" << sequence;
    emit visitsReset();
    if (previousLast != sequence)
        emit lastSequenceChanged(sequence);
    return true;
}

Result<bool> LocalStore::beginSnapshot(quint64 sequence)
{
    Transaction tx(*m_db, StoreDatabase::Durability::Replayable);
    if (!tx.ok())
        return tx.error();
    if (auto done = m_db->exec(u"DELETE FROM visits"_s, "snapshot"); !done)
        return done;
    if (auto done = m_db->exec(u"DELETE FROM events WHERE sequence > %1"_s.arg(sequence), "snapshot"); !done)
        return done;
    if (auto done = writeSetting(settings::kSnapshotUnfinished, QString::number(sequence)); !done)
        return done;
    if (auto done = tx.commit(); !done)
        return done;
    forgetUnreadRows(); // deleted with the rest
    m_settings.insert(settings::kSnapshotUnfinished, QString::number(sequence));
    m_replica->clearConfirmedRows(sequence);
    m_replica->recomputeAll(m_catalogue);
    emit visitsReset();
    return true;
}

Result<bool> LocalStore::addSnapshotRows(const QList<VisitStatus> &rowsIn)
{
    if (auto read = readAllRows(); !read)
        return read;
    Transaction tx(*m_db, StoreDatabase::Durability::Replayable);
    if (!tx.ok())
        return tx.error();
    QList<qint64> keys;
    keys.reserve(rowsIn.size());
    for (const VisitStatus &row : rowsIn) {
        VisitState fresh;
        fresh.row = row;
        if (auto done = writeVisit(fresh); !done)
            return done;
        keys.append(fresh.rowKey);
    }
    if (auto done = tx.commit(); !done)
        return done;

    QList<QUuid> visits;
    visits.reserve(rowsIn.size());
    for (qsizetype i = 0; i < rowsIn.size(); ++i) {
        const QUuid &id = rowsIn[i].visitId;
        VisitState &state = m_replica->confirmedState(id);
        state.row = rowsIn[i];
        state.rowKey = keys[i];
        if (m_replica->hasEntries(id))
            m_replica->recompute(id, m_catalogue);
        visits.append(id);
    }
    emit visitsChanged(visits);
    return true;
}

Result<bool> LocalStore::finishSnapshot(quint64 sequence)
{
    if (auto read = readAllRows(); !read)
        return read;
    Transaction tx(*m_db, StoreDatabase::Durability::Replayable);
    if (!tx.ok())
        return tx.error();
    if (auto done = writeSetting(settings::kLastSequence, QString::number(sequence)); !done)
        return done;
    if (auto done =
            m_db->exec(u"DELETE FROM settings WHERE key = '%1'"_s.arg(settings::kSnapshotUnfinished), "snapshot");
        !done)
        return done;
    if (auto done = tx.commit(); !done)
        return done;

    const quint64 previousLast = m_lastSequence;
    const int previousPending = pendingCount();
    m_lastSequence = sequence;
    m_settings.insert(settings::kLastSequence, QString::number(sequence));
    m_settings.remove(settings::kSnapshotUnfinished);
    const QList<QUuid> seen = m_replica->dropSeen(sequence);
    for (const QUuid &id : seen)
        m_replica->recompute(id, m_catalogue);
    qCInfo(lcStore) << "snapshot applied in steps:" << m_replica->confirmedVisits().size() << "visits at sequence"
                    << sequence;
    for (const QUuid &id : seen)
        emit visitChanged(id);
    if (previousLast != sequence)
        emit lastSequenceChanged(sequence);
    if (pendingCount() != previousPending)
        emit pendingCountChanged(pendingCount());
    return true;
}

Result<bool> LocalStore::resetReplica()
{
    Transaction tx(*m_db);
    if (!tx.ok())
        return tx.error();
    // Applied entries' sequences belong to the old server's log: they must not wait for those numbers again.
    for (const QString &sql : {u"DELETE FROM events"_s, u"DELETE FROM visits"_s,
                               u"UPDATE outbox SET max_sequence = 0 WHERE state = 'applied'"_s}) {
        if (auto done = m_db->exec(sql, "reset replica"); !done)
            return done;
    }
    if (auto done = writeSetting(settings::kLastSequence, u"0"_s); !done)
        return done;
    if (auto done = tx.commit(); !done)
        return done;
    forgetUnreadRows(); // deleted with the rest

    const quint64 previousLast = m_lastSequence;
    m_replica->clearConfirmed();
    m_replica->dropApplied();
    m_lastSequence = 0;
    m_settings.insert(settings::kLastSequence, u"0"_s);
    m_replica->recomputeAll(m_catalogue);
    qCInfo(lcStore) << "replica reset; outbox kept with" << pendingCount() << "unanswered";
    emit visitsReset();
    if (previousLast != 0)
        emit lastSequenceChanged(0);
    return true;
}

} // namespace clinicflow::client
