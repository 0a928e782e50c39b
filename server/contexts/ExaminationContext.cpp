#include "ExaminationContext.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

namespace {
const QString kExaminationColumns =
    u"diagnosis_id, reception_id, code, note, requested_at_ms, performed_at_ms, examiner, "
    u"result, cancel_reason, status, withdraw_reason, cancelled_at_ms, withdrawn_at_ms"_s;

// An examination from a row of kExaminationColumns, starting at column `first`.
template<typename Row>
Examination examinationFrom(const Row &q, int first, const QUuid &id)
{
    const auto s = [&q, first](int i) { return q.value(first + i).toString(); };
    Examination x;
    x.id = id;
    x.diagnosisId = idFromString(s(0));
    x.receptionId = idFromString(s(1));
    x.code = s(2);
    x.note = s(3);
    x.requestedAt = fromMs(q.value(first + 4).toLongLong());
    x.performedAt = fromMs(q.value(first + 5).toLongLong());
    x.examiner = s(6);
    x.result = s(7);
    x.cancelReason = s(8);
    x.status = fromString<ExaminationStatus>(s(9)).value_or(ExaminationStatus::Requested);
    if (!s(10).isEmpty())
        x.withdrawReason = fromString<WithdrawReason>(s(10));
    x.cancelledAt = fromMs(q.value(first + 11).toLongLong());
    x.withdrawnAt = fromMs(q.value(first + 12).toLongLong());
    return x;
}
} // namespace

ExaminationContext::ExaminationContext(Database &db, Catalogue catalogue, Keeping keeping)
    : m_catalogue(std::move(catalogue))
    , m_cache(keeping)
    , m_select(db.connection())
    , m_selectMany(db, u"SELECT id, "_s + kExaminationColumns + u" FROM examinations WHERE id IN (%1)"_s, u"?"_s)
    , m_upserts(db, uR"(INSERT INTO examinations (id, diagnosis_id, reception_id, code, note, requested_at_ms,
        performed_at_ms, examiner, result, cancel_reason, status, withdraw_reason, cancelled_at_ms, withdrawn_at_ms)
        VALUES %1
        ON CONFLICT (id) DO UPDATE SET performed_at_ms = excluded.performed_at_ms, examiner = excluded.examiner,
        result = excluded.result, cancel_reason = excluded.cancel_reason, status = excluded.status,
        withdraw_reason = excluded.withdraw_reason, cancelled_at_ms = excluded.cancelled_at_ms,
        withdrawn_at_ms = excluded.withdrawn_at_ms)"_s,
                14)
    , m_open(db.connection())
{
    m_select.setForwardOnly(true);
    m_open.setForwardOnly(true);
    m_select.prepare(u"SELECT "_s + kExaminationColumns + u" FROM examinations WHERE id = ?"_s);
    m_selectMany.setFreshPlansEvery(200); // planned again as the table grows (BatchStatement.h)
    m_open.prepare(u"SELECT id FROM examinations WHERE diagnosis_id = ? AND status = 'requested' ORDER BY id"_s);
}

Result<bool> ExaminationContext::prefetch(const QList<QUuid> &ids)
{
    m_cache.startUnit();
    const QList<QUuid> unknown = m_cache.unknown(ids);
    auto found = readMany<Examination>(m_selectMany, unknown, "loading examinations",
                                       [](const SqlRows &q, const QUuid &id) { return examinationFrom(q, 1, id); });
    if (!found)
        return found.error();
    m_cache.keepRead(unknown, found.value());
    return true;
}

Result<std::optional<Examination>> ExaminationContext::load(const QUuid &id)
{
    if (const Examination *kept = m_cache.find(id))
        return std::optional<Examination>(*kept);
    if (const auto unsaved = m_unsaved.constFind(id); unsaved != m_unsaved.cend())
        return std::optional<Examination>(*unsaved);
    if (m_cache.knownAbsent(id))
        return std::optional<Examination>();
    m_select.bindValue(0, idString(id));
    if (!m_select.exec())
        return sqlError(m_select, "loading an examination");
    if (!m_select.next())
        return std::optional<Examination>();
    Examination x = examinationFrom(m_select, 0, id);
    m_select.finish();
    m_cache.keep(x);
    return std::optional<Examination>(std::move(x));
}

Result<Events> ExaminationContext::save(Result<Transition<Examination>> transition)
{
    if (!transition)
        return transition.error();
    if (transition->events.empty() || !transition->state)
        return Events{};
    const Examination &x = *transition->state;
    const QVariantList values{idString(x.id),
                              idString(x.diagnosisId),
                              idString(x.receptionId),
                              x.code,
                              x.note,
                              toMs(x.requestedAt),
                              toMs(x.performedAt),
                              x.examiner,
                              x.result,
                              x.cancelReason,
                              toString(x.status),
                              x.withdrawReason ? toString(*x.withdrawReason) : QString(),
                              toMs(x.cancelledAt),
                              toMs(x.withdrawnAt)};
    m_upserts.put(idString(x.id), values);
    m_unsaved.insert(x.id, x);
    m_cache.keep(x);
    return std::move(transition.value().events);
}

Result<bool> ExaminationContext::flush()
{
    m_unsaved.clear();
    return m_upserts.flush("saving examinations");
}

void ExaminationContext::forget()
{
    m_cache.forget();
    m_upserts.clear();
    m_unsaved.clear();
}

Result<QList<QUuid>> ExaminationContext::openOfDiagnosis(const QUuid &diagnosisId)
{
    if (auto written = flush(); !written) // the table, with this unit's saves in it
        return written.error();
    m_open.bindValue(0, idString(diagnosisId));
    if (!m_open.exec())
        return sqlError(m_open, "listing open examinations");
    QList<QUuid> ids;
    while (m_open.next())
        ids.append(idFromString(m_open.value(0).toString()));
    m_open.finish();
    return ids;
}

Result<Events> ExaminationContext::execute(const Command &command, const CommandMeta &meta)
{
    auto current = load(commandTarget(command));
    if (!current)
        return current.error();
    return save(examination::execute(current.value(), command, meta, m_catalogue));
}

Result<Events> ExaminationContext::reactOne(const QUuid &id, const Event &event, const QDateTime &now)
{
    auto current = load(id);
    if (!current)
        return current.error();
    return save(examination::react(current.value(), event, ReactionContext{now, m_catalogue, {}}));
}

Result<Events> ExaminationContext::react(const Event &event, const Reaction &reaction, const QDateTime &now)
{
    if (reaction.target == Reaction::Target::Aggregate)
        return reactOne(reaction.key, event, now);
    auto open = openOfDiagnosis(reaction.key);
    if (!open)
        return open.error();
    Events all;
    for (const QUuid &id : open.value()) {
        auto events = reactOne(id, event, now);
        if (!events)
            return events.error();
        for (Event &e : events.value())
            all.push_back(std::move(e));
    }
    return all;
}

} // namespace clinicflow::server
