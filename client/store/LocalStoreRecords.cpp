// The local store's records: the outbox as an audit, the conflicts, a visit's history, and the state hash that
// tells whether two stations hold the same replica (see LocalStore.h).
#include "LocalStore.h"
#include "LocalStorePrivate.h"
#include "ReplicaState.h"
#include "StoreRows.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

QList<OutboxRecord> LocalStore::outbox() const
{
    QList<OutboxRecord> records;
    QSqlQuery q(m_db->database());
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT position, command_id, name, visit_id, at_ms, state, sequences, error_code, error_message,"
                " answered_at_ms FROM outbox ORDER BY position"_s))
        return records;
    while (q.next()) {
        OutboxRecord r;
        r.position = q.value(0).toLongLong();
        r.commandId = rows::idFrom(q.value(1));
        r.commandName = q.value(2).toString();
        r.visitId = rows::idFrom(q.value(3));
        r.at = rows::timeFrom(q.value(4));
        r.state = outboxStateFromString(q.value(5).toString()).value_or(OutboxState::Pending);
        r.sequences = rows::sequencesFrom(q.value(6).toString());
        if (!q.value(7).isNull())
            r.error = makeError(errorCodeFromInt(q.value(7).toInt()), q.value(8).toString());
        r.answeredAt = rows::timeFrom(q.value(9));
        records.append(std::move(r));
    }
    return records;
}

QList<Conflict> LocalStore::conflicts() const
{
    QList<Conflict> list;
    QSqlQuery q(m_db->database());
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT id, command_id, command_name, visit_id, ticket, code, message, detail, at_ms, acknowledged"
                " FROM conflicts ORDER BY id"_s))
        return list;
    while (q.next()) {
        list.append(Conflict{q.value(0).toLongLong(), rows::idFrom(q.value(1)), q.value(2).toString(),
                             rows::idFrom(q.value(3)), q.value(4).toString(), errorCodeFromInt(q.value(5).toInt()),
                             q.value(6).toString(), q.value(7).toString(), rows::timeFrom(q.value(8)),
                             q.value(9).toBool()});
    }
    return list;
}

Result<bool> LocalStore::acknowledgeConflict(qint64 conflictId)
{
    QSqlQuery q(m_db->database());
    q.prepare(u"UPDATE conflicts SET acknowledged = 1 WHERE id = ? AND acknowledged = 0"_s);
    q.addBindValue(conflictId);
    if (auto done = StoreDatabase::run(q, "acknowledge conflict"); !done)
        return done;
    if (q.numRowsAffected() > 0)
        emit conflictsChanged();
    return q.numRowsAffected() > 0;
}

QList<HistoryEntry> LocalStore::history(const QUuid &visitId) const
{
    QList<HistoryEntry> entries;
    const VisitState *confirmed = m_replica->confirmed(visitId);
    QSqlQuery &q = m_sql->readEvent;
    for (quint64 sequence : confirmed ? confirmed->sequences : QList<quint64>()) {
        q.bindValue(0, qint64(sequence));
        if (!q.exec() || !q.next())
            continue;
        auto event = rows::decodeEvent(q.value(0).toByteArray());
        q.finish();
        if (event)
            entries.append(HistoryEntry{sequence, event->at, event->station, false, true, event.value(), std::nullopt});
    }
    for (const OutboxEntry *e : m_replica->entriesOf(visitId)) {
        if (e->state == OutboxState::Applied && e->maxSequence <= m_lastSequence)
            continue;
        entries.append(
            HistoryEntry{0, e->command.meta.at, e->command.meta.station, true, e->inEffect, std::nullopt, e->command});
    }
    return entries;
}

QByteArray LocalStore::stateHash() const
{
    QList<const VisitStatus *> sorted;
    for (const VisitState &s : m_replica->confirmedVisits()) {
        if (s.row)
            sorted.append(&*s.row);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const VisitStatus *a, const VisitStatus *b) { return a->visitId < b->visitId; });
    // Text goes in as length + UTF-8, so a null and an empty string (a snapshot's row and a projected one may
    // differ there) hash the same.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const auto text = [&hash](const QString &s) {
        const QByteArray utf8 = s.toUtf8();
        const qint64 size = utf8.size();
        hash.addData(QByteArrayView(reinterpret_cast<const char *>(&size), sizeof size));
        hash.addData(utf8);
    };
    const auto number = [&hash](qint64 n) {
        hash.addData(QByteArrayView(reinterpret_cast<const char *>(&n), sizeof n));
    };
    const auto ms = [](const QDateTime &t) { return t.isValid() ? t.toMSecsSinceEpoch() : qint64(0); };
    for (const VisitStatus *v : std::as_const(sorted)) {
        for (const QString &s : {idString(v->visitId), v->ticket, v->patientNumber, v->patientName, v->department,
                                 v->doctor, toString(v->priority), toString(v->receptionStatus),
                                 v->diagnosisStatus ? toString(*v->diagnosisStatus) : QString(),
                                 v->diagnosisId.isNull() ? QString() : idString(v->diagnosisId)})
            text(s);
        for (qint64 n : {qint64(v->examsPrescribed), qint64(v->examsPerformed), qint64(v->examsCancelled),
                         qint64(v->examsWithdrawn), ms(v->receivedAt), ms(v->seenAt), ms(v->finishedAt),
                         ms(v->updatedAt), qint64(v->lastSequence)})
            number(n);
    }
    return hash.result().toHex();
}

} // namespace clinicflow::client
