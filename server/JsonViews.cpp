#include "JsonViews.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {
namespace {

QJsonValue time(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonValue id(const QUuid &u)
{
    return u.isNull() ? QJsonValue() : QJsonValue(idString(u));
}

} // namespace

QJsonObject toJson(const Reception &r)
{
    return QJsonObject{{u"id"_s, id(r.id)},
                       {u"ticket"_s, r.ticket.toString()},
                       {u"patientNumber"_s, r.patient.patientNumber},
                       {u"department"_s, r.department},
                       {u"requestedDoctor"_s, r.requestedDoctor},
                       {u"priority"_s, toString(r.priority)},
                       {u"receivedAt"_s, time(r.receivedAt)},
                       {u"station"_s, r.station},
                       {u"status"_s, toString(r.status)},
                       {u"diagnosisId"_s, id(r.diagnosisId)},
                       {u"doctor"_s, r.doctor}};
}

QJsonObject toJson(const Diagnosis &d)
{
    QJsonArray prescriptions;
    for (const Prescription &p : d.prescriptions) {
        prescriptions.append(QJsonObject{
            {u"examinationId"_s, id(p.examinationId)}, {u"code"_s, p.code}, {u"status"_s, toString(p.status)}});
    }
    return QJsonObject{{u"id"_s, id(d.id)},
                       {u"receptionId"_s, id(d.receptionId)},
                       {u"doctor"_s, d.doctor},
                       {u"department"_s, d.department},
                       {u"priority"_s, toString(d.priority)},
                       {u"registeredAt"_s, time(d.registeredAt)},
                       {u"status"_s, toString(d.status)},
                       {u"prescriptions"_s, prescriptions}};
}

QJsonObject toJson(const Examination &x)
{
    return QJsonObject{
        {u"id"_s, id(x.id)},
        {u"diagnosisId"_s, id(x.diagnosisId)},
        {u"receptionId"_s, id(x.receptionId)},
        {u"code"_s, x.code},
        {u"requestedAt"_s, time(x.requestedAt)},
        {u"performedAt"_s, time(x.performedAt)},
        {u"cancelledAt"_s, time(x.cancelledAt)},
        {u"withdrawnAt"_s, time(x.withdrawnAt)},
        {u"examiner"_s, x.examiner},
        {u"status"_s, toString(x.status)},
        {u"withdrawReason"_s, x.withdrawReason ? QJsonValue(toString(*x.withdrawReason)) : QJsonValue()}};
}

QJsonObject toJson(const VisitStatus &v, const QDateTime &now)
{
    return QJsonObject{
        {u"visitId"_s, id(v.visitId)},
        {u"ticket"_s, v.ticket},
        {u"patientNumber"_s, v.patientNumber},
        {u"department"_s, v.department},
        {u"doctor"_s, v.doctor},
        {u"priority"_s, toString(v.priority)},
        {u"receptionStatus"_s, toString(v.receptionStatus)},
        {u"diagnosisStatus"_s, v.diagnosisStatus ? QJsonValue(toString(*v.diagnosisStatus)) : QJsonValue()},
        {u"diagnosisId"_s, id(v.diagnosisId)},
        {u"examinations"_s, QJsonObject{{u"prescribed"_s, v.examsPrescribed},
                                        {u"performed"_s, v.examsPerformed},
                                        {u"cancelled"_s, v.examsCancelled},
                                        {u"withdrawn"_s, v.examsWithdrawn},
                                        {u"open"_s, v.examsOpen()}}},
        {u"receivedAt"_s, time(v.receivedAt)},
        {u"seenAt"_s, time(v.seenAt)},
        {u"finishedAt"_s, time(v.finishedAt)},
        {u"updatedAt"_s, time(v.updatedAt)},
        {u"waitingSeconds"_s, qint64(v.waitingSeconds(now))},
        {u"lastSequence"_s, qint64(v.lastSequence)}};
}

} // namespace clinicflow::server
