// Column and blob conversions of the local store (see StoreRows.h).
#include "StoreRows.h"

#include "proto/Convert.h"

using namespace Qt::StringLiterals;

namespace clinicflow::client::rows {

using namespace domain;

QVariant timeValue(const QDateTime &at)
{
    return at.isValid() ? QVariant(at.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime timeFrom(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant textValue(const QString &text)
{
    return text.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant idValue(const QUuid &id)
{
    return id.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(idString(id));
}

QUuid idFrom(const QVariant &value)
{
    return value.isNull() ? QUuid() : idFromString(value.toString());
}

QByteArray encodeEvent(const Event &event)
{
    return QByteArray::fromStdString(proto::toProto(event).SerializeAsString());
}

Result<Event> decodeEvent(const QByteArray &body)
{
    v1::Event message;
    if (!message.ParseFromArray(body.constData(), int(body.size())))
        return makeError(ErrorCode::MalformedMessage, u"stored event does not parse"_s);
    return proto::fromProto(message);
}

QByteArray encodeCommand(const OutgoingCommand &command)
{
    return QByteArray::fromStdString(proto::toSubmit(command.meta, command.command).SerializeAsString());
}

Result<OutgoingCommand> decodeCommand(const QByteArray &body)
{
    v1::Submit message;
    if (!message.ParseFromArray(body.constData(), int(body.size())))
        return makeError(ErrorCode::MalformedMessage, u"stored command does not parse"_s);
    auto submitted = proto::fromProto(message);
    if (!submitted)
        return submitted.error();
    return OutgoingCommand{submitted->meta, submitted->command};
}

QString sequencesText(const QList<quint64> &sequences)
{
    QStringList parts;
    parts.reserve(sequences.size());
    for (quint64 s : sequences)
        parts.append(QString::number(s));
    return parts.join(u',');
}

QList<quint64> sequencesFrom(const QString &text)
{
    QList<quint64> sequences;
    for (const QStringView part : QStringView(text).split(u',', Qt::SkipEmptyParts))
        sequences.append(part.toULongLong());
    return sequences;
}

QString visitColumnList()
{
    return u"visit_id, ticket, patient_number, patient_name, department, doctor, priority, reception_status,"
           " diagnosis_status, diagnosis_id, exams_prescribed, exams_performed, exams_cancelled, exams_withdrawn,"
           " received_at_ms, seen_at_ms, finished_at_ms, updated_at_ms, last_sequence"_s;
}

void bindVisit(QSqlQuery &q, const VisitStatus &v)
{
    int i = 0;
    q.bindValue(i++, idValue(v.visitId));
    q.bindValue(i++, v.ticket);
    q.bindValue(i++, v.patientNumber);
    q.bindValue(i++, v.patientName);
    q.bindValue(i++, v.department);
    q.bindValue(i++, v.doctor);
    q.bindValue(i++, toString(v.priority));
    q.bindValue(i++, toString(v.receptionStatus));
    q.bindValue(i++,
                v.diagnosisStatus ? QVariant(toString(*v.diagnosisStatus)) : QVariant(QMetaType::fromType<QString>()));
    q.bindValue(i++, idValue(v.diagnosisId));
    q.bindValue(i++, v.examsPrescribed);
    q.bindValue(i++, v.examsPerformed);
    q.bindValue(i++, v.examsCancelled);
    q.bindValue(i++, v.examsWithdrawn);
    q.bindValue(i++, timeValue(v.receivedAt));
    q.bindValue(i++, timeValue(v.seenAt));
    q.bindValue(i++, timeValue(v.finishedAt));
    q.bindValue(i++, timeValue(v.updatedAt));
    q.bindValue(i++, qint64(v.lastSequence));
}

Result<VisitStatus> readVisit(const QSqlQuery &q, int first)
{
    VisitStatus v;
    int i = first;
    v.visitId = idFrom(q.value(i++));
    v.ticket = q.value(i++).toString();
    v.patientNumber = q.value(i++).toString();
    v.patientName = q.value(i++).toString();
    v.department = q.value(i++).toString();
    v.doctor = q.value(i++).toString();
    const auto priority = fromString<Priority>(q.value(i++).toString());
    const auto reception = fromString<ReceptionStatus>(q.value(i++).toString());
    const QVariant diagnosis = q.value(i++);
    if (v.visitId.isNull() || !priority || !reception)
        return makeError(ErrorCode::InternalError, u"stored visit row is damaged"_s);
    v.priority = *priority;
    v.receptionStatus = *reception;
    if (!diagnosis.isNull()) {
        v.diagnosisStatus = fromString<DiagnosisStatus>(diagnosis.toString());
        if (!v.diagnosisStatus)
            return makeError(ErrorCode::InternalError, u"stored visit row has an unknown diagnosis status"_s);
    }
    v.diagnosisId = idFrom(q.value(i++));
    v.examsPrescribed = q.value(i++).toInt();
    v.examsPerformed = q.value(i++).toInt();
    v.examsCancelled = q.value(i++).toInt();
    v.examsWithdrawn = q.value(i++).toInt();
    v.receivedAt = timeFrom(q.value(i++));
    v.seenAt = timeFrom(q.value(i++));
    v.finishedAt = timeFrom(q.value(i++));
    v.updatedAt = timeFrom(q.value(i++));
    v.lastSequence = q.value(i++).toULongLong();
    return v;
}

} // namespace clinicflow::client::rows
