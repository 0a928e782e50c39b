#include "DiagnosisContext.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

namespace {
const QString kDiagnosisColumns =
    u"reception_id, doctor, department, priority, registered_at_ms, status, review_note, outcome_note"_s;
const QString kPrescriptionColumns = u"examination_id, code, note, status, result"_s;

// A diagnosis without its prescriptions from a row of kDiagnosisColumns, starting at column `first`.
template<typename Row>
Diagnosis diagnosisFrom(const Row &q, int first, const QUuid &id)
{
    const auto v = [&q, first](int i) { return q.value(first + i); };
    Diagnosis d;
    d.id = id;
    d.receptionId = idFromString(v(0).toString());
    d.doctor = v(1).toString();
    d.department = v(2).toString();
    d.priority = fromString<Priority>(v(3).toString()).value_or(Priority::Normal);
    d.registeredAt = fromMs(v(4).toLongLong());
    d.status = fromString<DiagnosisStatus>(v(5).toString()).value_or(DiagnosisStatus::Waiting);
    d.reviewNote = v(6).toString();
    d.outcomeNote = v(7).toString();
    return d;
}

// A prescription from a row of kPrescriptionColumns, starting at column `first`.
template<typename Row>
Prescription prescriptionFrom(const Row &q, int first)
{
    const auto v = [&q, first](int i) { return q.value(first + i).toString(); };
    return Prescription{idFromString(v(0)), v(1), v(2),
                        fromString<ExaminationStatus>(v(3)).value_or(ExaminationStatus::Requested), v(4)};
}
} // namespace

DiagnosisContext::DiagnosisContext(Database &db, Catalogue catalogue, Keeping keeping)
    : m_catalogue(std::move(catalogue))
    , m_cache(keeping)
    , m_select(db.connection())
    , m_selectPrescriptions(db.connection())
    , m_selectMany(db, u"SELECT id, "_s + kDiagnosisColumns + u" FROM diagnoses WHERE id IN (%1)"_s, u"?"_s)
    , m_selectManyPrescriptions(db,
                                u"SELECT diagnosis_id, "_s + kPrescriptionColumns +
                                    u" FROM prescriptions WHERE diagnosis_id IN (%1) ORDER BY diagnosis_id, position"_s,
                                u"?"_s)
    , m_upserts(db, uR"(INSERT INTO diagnoses (id, reception_id, doctor, department, priority, registered_at_ms,
        status, review_note, outcome_note) VALUES %1
        ON CONFLICT (id) DO UPDATE SET doctor = excluded.doctor, status = excluded.status,
        review_note = excluded.review_note, outcome_note = excluded.outcome_note)"_s,
                9)
    , m_prescriptionUpserts(db, uR"(INSERT INTO prescriptions (examination_id, diagnosis_id, position, code, note,
        status, result) VALUES %1
        ON CONFLICT (examination_id) DO UPDATE SET status = excluded.status, result = excluded.result)"_s,
                            7)
    , m_loads(db.connection())
    , m_loadUpserts(db, uR"(INSERT INTO doctor_loads (doctor, department, open_diagnoses) VALUES %1
        ON CONFLICT (doctor, department) DO UPDATE SET open_diagnoses = doctor_loads.open_diagnoses +
        excluded.open_diagnoses)"_s,
                    3)
    , m_stationDoctor(db.connection())
{
    for (QSqlQuery *q : {&m_select, &m_selectPrescriptions, &m_loads, &m_stationDoctor})
        q->setForwardOnly(true);
    m_select.prepare(u"SELECT "_s + kDiagnosisColumns + u" FROM diagnoses WHERE id = ?"_s);
    m_selectPrescriptions.prepare(u"SELECT "_s + kPrescriptionColumns +
                                  u" FROM prescriptions WHERE diagnosis_id = ? ORDER BY position"_s);
    // Planned again as the tables grow (BatchStatement.h).
    m_selectMany.setFreshPlansEvery(200);
    m_selectManyPrescriptions.setFreshPlansEvery(200);
    m_loads.prepare(u"SELECT doctor, open_diagnoses FROM doctor_loads WHERE department = ?"_s);
    m_stationDoctor.prepare(u"SELECT doctor FROM stations WHERE code = ?"_s);
}

Result<bool> DiagnosisContext::prefetch(const QList<QUuid> &ids)
{
    m_cache.startUnit();
    const QList<QUuid> unknown = m_cache.unknown(ids);
    auto found = readMany<Diagnosis>(m_selectMany, unknown, "loading diagnoses",
                                     [](const SqlRows &q, const QUuid &id) { return diagnosisFrom(q, 1, id); });
    if (!found)
        return found.error();
    QHash<QUuid, Diagnosis> diagnoses = std::move(found).value();
    // Their prescriptions, in their order, each chunk's diagnoses whole.
    const QList<QUuid> foundIds = diagnoses.keys();
    auto read = m_selectManyPrescriptions.run(
        std::size_t(foundIds.size()),
        [&foundIds](std::size_t i) -> QVariantList { return {idString(foundIds.at(qsizetype(i)))}; },
        "loading prescriptions",
        [&diagnoses](SqlRows &q, std::size_t) -> Result<bool> {
            while (q.next()) {
                const auto d = diagnoses.find(idFromString(q.value(0).toString()));
                if (d != diagnoses.end())
                    d->prescriptions.append(prescriptionFrom(q, 1));
            }
            return true;
        });
    if (!read)
        return read;
    m_cache.keepRead(unknown, diagnoses);
    return true;
}

Result<std::optional<Diagnosis>> DiagnosisContext::load(const QUuid &id)
{
    if (const Diagnosis *kept = m_cache.find(id))
        return std::optional<Diagnosis>(*kept);
    if (const auto unsaved = m_unsaved.constFind(id); unsaved != m_unsaved.cend())
        return std::optional<Diagnosis>(*unsaved);
    if (m_cache.knownAbsent(id))
        return std::optional<Diagnosis>();
    m_select.bindValue(0, idString(id));
    if (!m_select.exec())
        return sqlError(m_select, "loading a diagnosis");
    if (!m_select.next())
        return std::optional<Diagnosis>();
    Diagnosis d = diagnosisFrom(m_select, 0, id);
    m_select.finish();

    m_selectPrescriptions.bindValue(0, idString(id));
    if (!m_selectPrescriptions.exec())
        return sqlError(m_selectPrescriptions, "loading prescriptions");
    while (m_selectPrescriptions.next())
        d.prescriptions.append(prescriptionFrom(m_selectPrescriptions, 0));
    m_selectPrescriptions.finish();
    m_cache.keep(d);
    return std::optional<Diagnosis>(std::move(d));
}

Result<Events> DiagnosisContext::save(const std::optional<Diagnosis> &before, Result<Transition<Diagnosis>> transition)
{
    if (!transition)
        return transition.error();
    // Recording an examination's result changes the diagnosis without an event of its own.
    if (!transition->state || transition->state == before)
        return std::move(transition.value().events);
    const Diagnosis &d = *transition->state;
    const QVariantList values{idString(d.id),       idString(d.receptionId), d.doctor,           d.department,
                              toString(d.priority), toMs(d.registeredAt),    toString(d.status), d.reviewNote,
                              d.outcomeNote};
    m_upserts.put(idString(d.id), values);
    for (int i = 0; i < d.prescriptions.size(); ++i) {
        const Prescription &p = d.prescriptions.at(i);
        if (before && i < before->prescriptions.size() && before->prescriptions.at(i) == p)
            continue;
        m_prescriptionUpserts.put(idString(p.examinationId), {idString(p.examinationId), idString(d.id), i, p.code,
                                                              p.note, toString(p.status), p.result});
    }
    // The doctors' loads move when a diagnosis opens, closes or is handed over, in the same transaction.
    const bool wasOpen = before && isOpen(before->status);
    if (wasOpen && isOpen(d.status) && before->doctor != d.doctor) {
        m_loadChanges[{before->doctor, d.department}] -= 1;
        m_loadChanges[{d.doctor, d.department}] += 1;
    } else if (wasOpen != isOpen(d.status)) {
        m_loadChanges[{wasOpen ? before->doctor : d.doctor, d.department}] += wasOpen ? -1 : 1;
    }
    m_unsaved.insert(d.id, d);
    m_cache.keep(d);
    return std::move(transition.value().events);
}

// Diagnoses before their prescriptions, which name them.
Result<bool> DiagnosisContext::flush()
{
    for (auto it = m_loadChanges.cbegin(); it != m_loadChanges.cend(); ++it) {
        if (it.value() == 0)
            continue;
        m_loadUpserts.put(it.key().first + u'\n' + it.key().second, {it.key().first, it.key().second, it.value()});
        if (const auto kept = m_keptLoads.find(it.key().second); kept != m_keptLoads.end())
            (*kept)[it.key().first] += it.value();
    }
    m_loadChanges.clear();
    m_unsaved.clear();
    if (auto saved = m_upserts.flush("saving diagnoses"); !saved) {
        forget();
        return saved;
    }
    if (auto saved = m_prescriptionUpserts.flush("saving prescriptions"); !saved) {
        forget();
        return saved;
    }
    return m_loadUpserts.flush("counting doctors' open diagnoses");
}

void DiagnosisContext::forget()
{
    m_cache.forget();
    m_upserts.clear();
    m_prescriptionUpserts.clear();
    m_loadUpserts.clear();
    m_unsaved.clear();
    m_loadChanges.clear();
    m_keptLoads.clear();
}

Result<DoctorLoads> DiagnosisContext::doctorLoads(const QString &department)
{
    DoctorLoads loads;
    if (const auto kept = m_keptLoads.constFind(department); kept != m_keptLoads.cend()) {
        loads = kept.value();
    } else {
        m_loads.bindValue(0, department);
        if (!m_loads.exec())
            return sqlError(m_loads, "counting doctors' open diagnoses");
        while (m_loads.next())
            loads.insert(m_loads.value(0).toString(), m_loads.value(1).toInt());
        m_loads.finish();
        if (m_cache.enabled())
            m_keptLoads.insert(department, loads);
    }
    // With this unit's changes, not written yet.
    for (auto it = m_loadChanges.cbegin(); it != m_loadChanges.cend(); ++it) {
        if (it.key().second == department && it.value() != 0)
            loads[it.key().first] += it.value();
    }
    return loads;
}

Result<QString> DiagnosisContext::doctorOf(const QString &station)
{
    if (auto known = m_doctors.constFind(station); known != m_doctors.cend())
        return *known;
    m_stationDoctor.bindValue(0, station);
    if (!m_stationDoctor.exec())
        return sqlError(m_stationDoctor, "finding a station's doctor");
    const QString doctor = m_stationDoctor.next() ? m_stationDoctor.value(0).toString() : QString();
    m_stationDoctor.finish();
    if (!doctor.isEmpty())
        m_doctors.insert(station, doctor);
    return doctor;
}

Result<Events> DiagnosisContext::execute(const Command &command, const CommandMeta &meta)
{
    // Every command here is a doctor's: it acts for the doctor the station was enrolled for, whatever it claims.
    auto doctor = doctorOf(meta.station);
    if (!doctor)
        return doctor.error();
    auto current = load(commandTarget(command));
    if (!current)
        return current.error();
    if (current.value()) {
        if (auto mine = diagnosis::actsFor(*current.value(), doctor.value()); !mine)
            return mine.error();
    }
    return save(current.value(), diagnosis::execute(current.value(), command, meta, m_catalogue));
}

Result<Events> DiagnosisContext::react(const Event &event, const Reaction &reaction, const QDateTime &now)
{
    auto current = load(reaction.key);
    if (!current)
        return current.error();
    ReactionContext context{now, m_catalogue, {}};
    if (const auto *registered = std::get_if<ReceptionRegistered>(&event.payload); registered && !current.value()) {
        auto loads = doctorLoads(registered->department);
        if (!loads)
            return loads.error();
        context.doctorLoads = std::move(loads).value();
    }
    return save(current.value(), diagnosis::react(current.value(), event, context));
}

} // namespace clinicflow::server
