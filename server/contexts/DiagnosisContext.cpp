#include "DiagnosisContext.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

DiagnosisContext::DiagnosisContext(Database &db, Catalogue catalogue, Keeping keeping)
    : m_catalogue(std::move(catalogue))
    , m_cache(keeping)
    , m_select(db.connection())
    , m_selectPrescriptions(db.connection())
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
    m_select.prepare(u"SELECT reception_id, doctor, department, priority, registered_at_ms, status, review_note, "
                     "outcome_note FROM diagnoses WHERE id = ?"_s);
    m_selectPrescriptions.prepare(u"SELECT examination_id, code, note, status, result FROM prescriptions "
                                  "WHERE diagnosis_id = ? ORDER BY position"_s);
    m_loads.prepare(u"SELECT doctor, open_diagnoses FROM doctor_loads WHERE department = ?"_s);
    m_stationDoctor.prepare(u"SELECT doctor FROM stations WHERE code = ?"_s);
}

Result<std::optional<Diagnosis>> DiagnosisContext::load(const QUuid &id)
{
    if (const Diagnosis *kept = m_cache.find(id))
        return std::optional<Diagnosis>(*kept);
    if (const auto unsaved = m_unsaved.constFind(id); unsaved != m_unsaved.cend())
        return std::optional<Diagnosis>(*unsaved);
    m_select.bindValue(0, idString(id));
    if (!m_select.exec())
        return sqlError(m_select, "loading a diagnosis");
    if (!m_select.next())
        return std::optional<Diagnosis>();
    Diagnosis d;
    d.id = id;
    d.receptionId = idFromString(m_select.value(0).toString());
    d.doctor = m_select.value(1).toString();
    d.department = m_select.value(2).toString();
    d.priority = fromString<Priority>(m_select.value(3).toString()).value_or(Priority::Normal);
    d.registeredAt = fromMs(m_select.value(4).toLongLong());
    d.status = fromString<DiagnosisStatus>(m_select.value(5).toString()).value_or(DiagnosisStatus::Waiting);
    d.reviewNote = m_select.value(6).toString();
    d.outcomeNote = m_select.value(7).toString();
    m_select.finish();

    m_selectPrescriptions.bindValue(0, idString(id));
    if (!m_selectPrescriptions.exec())
        return sqlError(m_selectPrescriptions, "loading prescriptions");
    while (m_selectPrescriptions.next()) {
        const auto v = [this](int i) { return m_selectPrescriptions.value(i).toString(); };
        d.prescriptions.append(Prescription{idFromString(v(0)), v(1), v(2),
                                            fromString<ExaminationStatus>(v(3)).value_or(ExaminationStatus::Requested),
                                            v(4)});
    }
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
