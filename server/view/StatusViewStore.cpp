#include "StatusViewStore.h"

#include "contexts/ContextHandler.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {
namespace {

const QString kStatusColumns =
    u"visit_id, ticket, patient_number, patient_name, department, doctor, priority, "
    "reception_status, diagnosis_status, diagnosis_id, exams_requested, exams_performed, "
    "exams_cancelled, exams_withdrawn, received_at_ms, treatment_started_at_ms, finished_at_ms, "
    "updated_at_ms, last_sequence"_s;

template<typename Row>
VisitStatus fromRow(const Row &q)
{
    VisitStatus v;
    v.visitId = idFromString(q.value(0).toString());
    v.ticket = q.value(1).toString();
    v.patientNumber = q.value(2).toString();
    v.patientName = q.value(3).toString();
    v.department = q.value(4).toString();
    v.doctor = q.value(5).toString();
    v.priority = fromString<Priority>(q.value(6).toString()).value_or(Priority::Normal);
    v.receptionStatus = fromString<ReceptionStatus>(q.value(7).toString()).value_or(ReceptionStatus::Received);
    v.diagnosisStatus = fromString<DiagnosisStatus>(q.value(8).toString());
    v.diagnosisId = idFromString(q.value(9).toString());
    v.examsPrescribed = q.value(10).toInt();
    v.examsPerformed = q.value(11).toInt();
    v.examsCancelled = q.value(12).toInt();
    v.examsWithdrawn = q.value(13).toInt();
    v.receivedAt = fromMs(q.value(14).toLongLong());
    v.seenAt = fromMs(q.value(15).toLongLong());
    v.finishedAt = fromMs(q.value(16).toLongLong());
    v.updatedAt = fromMs(q.value(17).toLongLong());
    v.lastSequence = q.value(18).toULongLong();
    return v;
}

} // namespace

namespace {
// A row's places, and what a row that exists already takes from the new one.
const QString kRowPlaces = u"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;
const QString kOnConflict =
    u" ON CONFLICT (visit_id) DO UPDATE SET doctor = excluded.doctor, "
    "reception_status = excluded.reception_status, diagnosis_status = excluded.diagnosis_status, "
    "diagnosis_id = excluded.diagnosis_id, exams_requested = excluded.exams_requested, "
    "exams_performed = excluded.exams_performed, exams_cancelled = excluded.exams_cancelled, "
    "exams_withdrawn = excluded.exams_withdrawn, treatment_started_at_ms = excluded.treatment_started_at_ms, "
    "finished_at_ms = excluded.finished_at_ms, updated_at_ms = excluded.updated_at_ms, "
    "last_sequence = excluded.last_sequence"_s;

QVariantList valuesOf(const VisitStatus &v)
{
    return {idString(v.visitId),
            v.ticket,
            v.patientNumber,
            v.patientName,
            v.department,
            v.doctor,
            toString(v.priority),
            toString(v.receptionStatus),
            v.diagnosisStatus ? toString(*v.diagnosisStatus) : QString(),
            v.diagnosisId.isNull() ? QString() : idString(v.diagnosisId),
            v.examsPrescribed,
            v.examsPerformed,
            v.examsCancelled,
            v.examsWithdrawn,
            toMs(v.receivedAt),
            toMs(v.seenAt),
            toMs(v.finishedAt),
            toMs(v.updatedAt),
            qint64(v.lastSequence)};
}
} // namespace

StatusViewStore::StatusViewStore(Database &db)
    : m_db(db)
    , m_upsert(db.connection())
    , m_upserts(db, u"INSERT INTO status_view ("_s + kStatusColumns + u") VALUES %1"_s + kOnConflict, kRowPlaces)
    , m_selectMany(db, u"SELECT "_s + kStatusColumns + u" FROM status_view WHERE visit_id IN (%1)"_s, u"?"_s)
    , m_page(db.connection())
{
    // Planned again as the view grows: a plan made while it was nearly empty would scan it (BatchStatement.h).
    m_selectMany.setFreshPlansEvery(200);
    m_page.setForwardOnly(true);
    m_upsert.prepare(u"INSERT INTO status_view ("_s + kStatusColumns + u") VALUES "_s + kRowPlaces + kOnConflict);
    m_page.prepare(u"SELECT %1 FROM status_view WHERE visit_id > ? ORDER BY visit_id LIMIT ?"_s.arg(kStatusColumns));
}

Result<std::vector<VisitStatus>> StatusViewStore::rows(QSqlQuery &query)
{
    if (!query.exec())
        return sqlError(query, "reading the status view");
    std::vector<VisitStatus> result;
    while (query.next())
        result.push_back(fromRow(query));
    query.finish();
    return result;
}

Result<QHash<QUuid, VisitStatus>> StatusViewStore::loadMany(const QList<QUuid> &visitIds)
{
    QHash<QUuid, VisitStatus> found;
    found.reserve(visitIds.size());
    auto read = m_selectMany.run(
        std::size_t(visitIds.size()),
        [&visitIds](std::size_t i) -> QVariantList { return {idString(visitIds.at(qsizetype(i)))}; },
        "reading status rows",
        [&found](SqlRows &query, std::size_t) -> Result<bool> {
            while (query.next()) {
                VisitStatus row = fromRow(query);
                found.insert(row.visitId, std::move(row));
            }
            return true;
        });
    if (!read)
        return read.error();
    return found;
}

Result<bool> StatusViewStore::save(const VisitStatus &v)
{
    bindAll(m_upsert, valuesOf(v));
    if (!m_upsert.exec())
        return sqlError(m_upsert, "saving a status row");
    return true;
}

Result<bool> StatusViewStore::save(const std::vector<VisitStatus> &rows)
{
    return m_upserts.run(
        rows.size(), [&rows](std::size_t i) { return valuesOf(rows[i]); }, "saving status rows");
}

Result<std::vector<VisitStatus>> StatusViewStore::list(const VisitFilter &filter)
{
    QString sql = u"SELECT %1 FROM status_view WHERE last_sequence > ?"_s.arg(kStatusColumns);
    if (filter.status)
        sql += u" AND reception_status = ?"_s;
    if (!filter.department.isEmpty())
        sql += u" AND department = ?"_s;
    sql += u" ORDER BY last_sequence LIMIT ?"_s;
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    q.prepare(sql);
    q.addBindValue(qint64(filter.after));
    if (filter.status)
        q.addBindValue(toString(*filter.status));
    if (!filter.department.isEmpty())
        q.addBindValue(filter.department);
    q.addBindValue(filter.limit);
    return rows(q);
}

Result<std::vector<VisitStatus>> StatusViewStore::page(const QUuid &afterVisit, int limit)
{
    m_page.bindValue(0, afterVisit.isNull() ? u""_s : idString(afterVisit));
    m_page.bindValue(1, limit);
    return rows(m_page);
}

} // namespace clinicflow::server
