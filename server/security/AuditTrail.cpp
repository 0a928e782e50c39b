#include "AuditTrail.h"

#include "domain/Ids.h"
#include "storage/Database.h"

#include <QDateTime>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

QJsonObject AuditRecord::toJson() const
{
    const auto idOrNull = [](const QUuid &id) { return id.isNull() ? QJsonValue() : QJsonValue(idString(id)); };
    return QJsonObject{
        {u"position"_s, qint64(position)},
        {u"at"_s, QDateTime::fromMSecsSinceEpoch(entry.atMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {u"station"_s, entry.station},
        {u"user"_s, entry.user.isEmpty() ? QJsonValue() : QJsonValue(entry.user)},
        {u"action"_s, entry.action},
        {u"visitId"_s, idOrNull(entry.visitId)},
        {u"commandId"_s, idOrNull(entry.commandId)},
        {u"result"_s, entry.result},
        {u"code"_s, entry.code.isEmpty() ? QJsonValue() : QJsonValue(entry.code)},
        {u"detail"_s, entry.detail},
    };
}

namespace {
QVariantList rowOf(const AuditEntry &e)
{
    const auto idText = [](const QUuid &id) { return id.isNull() ? QString() : idString(id); };
    return {e.atMs > 0 ? e.atMs : QDateTime::currentMSecsSinceEpoch(),
            e.station,
            e.user,
            e.action,
            idText(e.visitId),
            idText(e.commandId),
            e.result,
            e.code,
            e.detail};
}
} // namespace

AuditTrail::AuditTrail(Database &db)
    : m_insert(db.connection())
    , m_inserts(db,
                u"INSERT INTO audit_log (at_ms, station, user_name, action, visit_id, command_id, result, code, "
                "detail) VALUES %1"_s,
                u"(?, ?, ?, ?, ?, ?, ?, ?, ?)"_s)
    , m_diagnosisVisit(db.connection())
    , m_examinationVisit(db.connection())
{
    m_insert.prepare(u"INSERT INTO audit_log (at_ms, station, user_name, action, visit_id, command_id, result, code, "
                     "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    m_diagnosisVisit.setForwardOnly(true);
    m_diagnosisVisit.prepare(u"SELECT reception_id FROM diagnoses WHERE id = ?"_s);
    m_examinationVisit.setForwardOnly(true);
    m_examinationVisit.prepare(u"SELECT reception_id FROM examinations WHERE id = ?"_s);
}

Result<bool> AuditTrail::append(const AuditEntry &e)
{
    bindAll(m_insert, rowOf(e));
    if (!m_insert.exec())
        return sqlError(m_insert, "writing the audit trail");
    return true;
}

Result<bool> AuditTrail::append(const std::vector<AuditEntry> &entries)
{
    return m_inserts.run(
        entries.size(), [&entries](std::size_t i) { return rowOf(entries[i]); }, "writing the audit trail");
}

Result<QUuid> AuditTrail::visitOf(BoundedContext context, const QUuid &target)
{
    if (target.isNull() || context == BoundedContext::Reception)
        return target;
    QSqlQuery &q = context == BoundedContext::Diagnosis ? m_diagnosisVisit : m_examinationVisit;
    q.bindValue(0, idString(target));
    if (!q.exec())
        return sqlError(q, "finding a command's visit");
    const QUuid visit = q.next() ? idFromString(q.value(0).toString()) : QUuid();
    q.finish();
    return visit;
}

Result<std::vector<AuditRecord>> AuditTrail::find(Database &db, const AuditQuery &query)
{
    QString sql = u"SELECT position, at_ms, station, user_name, action, visit_id, command_id, result, code, detail "
                  "FROM audit_log WHERE position > ?"_s;
    QVariantList values{qint64(query.after)};
    if (!query.visit.isNull()) {
        sql += u" AND visit_id = ?"_s;
        values.append(idString(query.visit));
    }
    if (!query.station.isEmpty()) {
        sql += u" AND station = ?"_s;
        values.append(query.station);
    }
    if (query.fromMs > 0) {
        sql += u" AND at_ms >= ?"_s;
        values.append(query.fromMs);
    }
    if (query.toMs > 0) {
        sql += u" AND at_ms < ?"_s;
        values.append(query.toMs);
    }
    sql += u" ORDER BY position LIMIT ?"_s;
    values.append(query.limit);
    QSqlQuery q(db.connection());
    q.setForwardOnly(true);
    q.prepare(sql);
    bindAll(q, values);
    if (!q.exec())
        return sqlError(q, "reading the audit trail");
    std::vector<AuditRecord> records;
    while (q.next()) {
        const auto text = [&q](int i) { return q.value(i).toString(); };
        records.push_back(
            AuditRecord{q.value(0).toULongLong(),
                        AuditEntry{q.value(1).toLongLong(), text(2), text(3), text(4), idFromString(text(5)),
                                   idFromString(text(6)), text(7), text(8), text(9)}});
    }
    return records;
}

} // namespace clinicflow::server
