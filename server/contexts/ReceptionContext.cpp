#include "ReceptionContext.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

namespace {
const QString kReceptionColumns = u"ticket, station, patient_number, patient_name, birth_date, sex, phone, address, "
                                  u"department, requested_doctor, chief_complaint, priority, received_at_ms, status, "
                                  u"diagnosis_id, doctor, cancel_reason, estimated_age"_s;

// A reception from a row of kReceptionColumns, starting at column `first`.
template<typename Row>
Reception receptionFrom(const Row &q, int first, const QUuid &id)
{
    const auto v = [&q, first](int i) { return q.value(first + i); };
    Reception r;
    r.id = id;
    auto ticket = Ticket::parse(v(0).toString());
    r.ticket = ticket ? ticket.value() : Ticket{};
    r.station = v(1).toString();
    r.patient = Patient{v(2).toString(),
                        v(3).toString(),
                        QDate::fromString(v(4).toString(), Qt::ISODate),
                        fromString<Sex>(v(5).toString()).value_or(Sex::Unknown),
                        v(6).toString(),
                        v(7).toString(),
                        std::nullopt}; // the estimate, if any, is read below
    r.department = v(8).toString();
    r.requestedDoctor = v(9).toString();
    r.chiefComplaint = v(10).toString();
    r.priority = fromString<Priority>(v(11).toString()).value_or(Priority::Normal);
    r.receivedAt = fromMs(v(12).toLongLong());
    r.status = fromString<ReceptionStatus>(v(13).toString()).value_or(ReceptionStatus::Received);
    r.diagnosisId = idFromString(v(14).toString());
    r.doctor = v(15).toString();
    r.cancelReason = v(16).toString();
    if (!v(17).isNull())
        r.patient.estimatedAgeYears = v(17).toInt();
    return r;
}
} // namespace

ReceptionContext::ReceptionContext(Database &db, Catalogue catalogue, Keeping keeping)
    : m_catalogue(std::move(catalogue))
    , m_cache(keeping)
    , m_select(db.connection())
    , m_selectMany(db, u"SELECT id, "_s + kReceptionColumns + u" FROM receptions WHERE id IN (%1)"_s, u"?"_s)
    , m_upserts(db, uR"(INSERT INTO receptions (id, ticket, station, patient_number, patient_name, birth_date, sex,
        phone, address, department, requested_doctor, chief_complaint, priority, received_at_ms, status,
        diagnosis_id, doctor, cancel_reason, estimated_age) VALUES %1
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, diagnosis_id = excluded.diagnosis_id,
        doctor = excluded.doctor, cancel_reason = excluded.cancel_reason)"_s,
                19)
{
    m_select.setForwardOnly(true);
    m_select.prepare(u"SELECT "_s + kReceptionColumns + u" FROM receptions WHERE id = ?"_s);
    m_selectMany.setFreshPlansEvery(200); // planned again as the table grows (BatchStatement.h)
}

Result<bool> ReceptionContext::prefetch(const QList<QUuid> &ids)
{
    m_cache.startUnit();
    const QList<QUuid> unknown = m_cache.unknown(ids);
    auto found = readMany<Reception>(m_selectMany, unknown, "loading receptions",
                                     [](const SqlRows &q, const QUuid &id) { return receptionFrom(q, 1, id); });
    if (!found)
        return found.error();
    m_cache.keepRead(unknown, found.value());
    return true;
}

Result<std::optional<Reception>> ReceptionContext::load(const QUuid &id)
{
    if (const Reception *kept = m_cache.find(id))
        return std::optional<Reception>(*kept);
    if (const auto unsaved = m_unsaved.constFind(id); unsaved != m_unsaved.cend())
        return std::optional<Reception>(*unsaved);
    if (m_cache.knownAbsent(id))
        return std::optional<Reception>();
    m_select.bindValue(0, idString(id));
    if (!m_select.exec())
        return sqlError(m_select, "loading a reception");
    if (!m_select.next())
        return std::optional<Reception>();
    Reception r = receptionFrom(m_select, 0, id);
    m_select.finish();
    m_cache.keep(r);
    return std::optional<Reception>(std::move(r));
}

Result<Events> ReceptionContext::save(Result<Transition<Reception>> transition)
{
    if (!transition)
        return transition.error();
    if (transition->events.empty() || !transition->state)
        return Events{};
    const Reception &r = *transition->state;
    const QVariantList values{idString(r.id),
                              r.ticket.toString(),
                              r.station,
                              r.patient.patientNumber,
                              r.patient.name,
                              r.patient.birthDate.toString(Qt::ISODate),
                              toString(r.patient.sex),
                              r.patient.phone,
                              r.patient.address,
                              r.department,
                              r.requestedDoctor,
                              r.chiefComplaint,
                              toString(r.priority),
                              toMs(r.receivedAt),
                              toString(r.status),
                              r.diagnosisId.isNull() ? QString() : idString(r.diagnosisId),
                              r.doctor,
                              r.cancelReason,
                              r.patient.estimatedAgeYears ? QVariant(*r.patient.estimatedAgeYears)
                                                          : QVariant(QMetaType::fromType<int>())};
    m_upserts.put(idString(r.id), values);
    m_unsaved.insert(r.id, r);
    m_cache.keep(r);
    return std::move(transition.value().events);
}

Result<bool> ReceptionContext::flush()
{
    m_unsaved.clear();
    return m_upserts.flush("saving receptions");
}

void ReceptionContext::forget()
{
    m_cache.forget();
    m_upserts.clear();
    m_unsaved.clear();
}

Result<Events> ReceptionContext::execute(const Command &command, const CommandMeta &meta)
{
    auto current = load(commandTarget(command));
    if (!current)
        return current.error();
    return save(reception::execute(current.value(), command, meta, m_catalogue));
}

Result<Events> ReceptionContext::react(const Event &event, const Reaction &reaction, const QDateTime &now)
{
    auto current = load(reaction.key);
    if (!current)
        return current.error();
    return save(reception::react(current.value(), event, ReactionContext{now, m_catalogue, {}}));
}

} // namespace clinicflow::server
