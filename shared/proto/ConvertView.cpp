#include "ConvertView.h"

#include "Convert.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::proto {

v1::VisitStatus toProto(const VisitStatus &v)
{
    v1::VisitStatus w;
    w.set_visit_id(toProtoId(v.visitId));
    if (auto ticket = Ticket::parse(v.ticket))
        *w.mutable_ticket() = toProto(ticket.value());
    w.set_patient_number(v.patientNumber.toStdString());
    w.set_patient_name(v.patientName.toStdString());
    w.set_department(v.department.toStdString());
    w.set_doctor(v.doctor.toStdString());
    w.set_reception_status(toString(v.receptionStatus).toStdString());
    if (v.diagnosisStatus)
        w.set_diagnosis_status(toString(*v.diagnosisStatus).toStdString());
    if (!v.diagnosisId.isNull())
        w.set_diagnosis_id(toProtoId(v.diagnosisId));
    w.set_examinations_prescribed(quint32(v.examsPrescribed));
    w.set_examinations_performed(quint32(v.examsPerformed));
    w.set_examinations_cancelled(quint32(v.examsCancelled));
    w.set_examinations_withdrawn(quint32(v.examsWithdrawn));
    w.set_priority(toProto(v.priority));
    w.set_received_at_ms(toProtoTime(v.receivedAt));
    w.set_seen_at_ms(toProtoTime(v.seenAt));
    w.set_finished_at_ms(toProtoTime(v.finishedAt));
    w.set_updated_at_ms(toProtoTime(v.updatedAt));
    w.set_last_sequence(v.lastSequence);
    return w;
}

Result<VisitStatus> fromProto(const v1::VisitStatus &w)
{
    VisitStatus v;
    v.visitId = idFromString(QString::fromStdString(w.visit_id()));
    if (v.visitId.isNull())
        return makeError(ErrorCode::MalformedMessage, u"visit status without a visit id"_s);
    if (w.has_ticket()) {
        auto ticket = fromProto(w.ticket());
        if (!ticket)
            return ticket.error();
        v.ticket = ticket->toString();
    }
    v.patientNumber = QString::fromStdString(w.patient_number());
    v.patientName = QString::fromStdString(w.patient_name());
    v.department = QString::fromStdString(w.department());
    v.doctor = QString::fromStdString(w.doctor());
    auto reception = fromString<ReceptionStatus>(QString::fromStdString(w.reception_status()));
    if (!reception)
        return makeError(ErrorCode::MalformedMessage, u"unknown reception status"_s);
    v.receptionStatus = *reception;
    if (!w.diagnosis_status().empty()) {
        v.diagnosisStatus = fromString<DiagnosisStatus>(QString::fromStdString(w.diagnosis_status()));
        if (!v.diagnosisStatus)
            return makeError(ErrorCode::MalformedMessage, u"unknown diagnosis status"_s);
    }
    v.diagnosisId = idFromString(QString::fromStdString(w.diagnosis_id()));
    v.examsPerformed = int(w.examinations_performed());
    v.examsCancelled = int(w.examinations_cancelled());
    v.examsWithdrawn = int(w.examinations_withdrawn());
    v.examsPrescribed = int(w.examinations_prescribed());
    auto priority = fromProto(w.priority());
    if (!priority)
        return priority.error();
    v.priority = priority.value();
    v.receivedAt = fromProtoTime(w.received_at_ms());
    v.seenAt = fromProtoTime(w.seen_at_ms());
    v.finishedAt = fromProtoTime(w.finished_at_ms());
    v.updatedAt = fromProtoTime(w.updated_at_ms());
    v.lastSequence = w.last_sequence();
    return v;
}

} // namespace clinicflow::proto
