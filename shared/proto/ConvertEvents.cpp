// Domain events (all sixteen payloads and the metadata every event carries) <-> clinicflow.v1.Event.
#include "Convert.h"
#include "ConvertSupport.h"

namespace clinicflow::proto {

using namespace Qt::StringLiterals;
using detail::FieldReader;
using detail::fromWire;
using detail::toWire;

namespace {

// Reception context

void write(const domain::ReceptionRegistered &e, v1::Event &out)
{
    v1::ReceptionRegistered &m = *out.mutable_reception_registered();
    m.set_reception_id(toProtoId(e.receptionId));
    *m.mutable_ticket() = toProto(e.ticket);
    *m.mutable_patient() = toProto(e.patient);
    m.set_department(toWire(e.department));
    m.set_requested_doctor(toWire(e.requestedDoctor));
    m.set_chief_complaint(toWire(e.chiefComplaint));
    m.set_priority(toProto(e.priority));
}

domain::ReceptionRegistered read(const v1::ReceptionRegistered &m, FieldReader &r)
{
    domain::ReceptionRegistered e;
    e.receptionId = r.id(m.reception_id(), "reception_id");
    e.ticket = r.take(fromProto(m.ticket()), "ticket");
    e.patient = r.take(fromProto(m.patient()), "patient");
    e.department = fromWire(m.department());
    e.requestedDoctor = fromWire(m.requested_doctor());
    e.chiefComplaint = fromWire(m.chief_complaint());
    e.priority = r.take(fromProto(m.priority()), "priority");
    return e;
}

void write(const domain::TreatmentStarted &e, v1::Event &out)
{
    v1::TreatmentStarted &m = *out.mutable_treatment_started();
    m.set_reception_id(toProtoId(e.receptionId));
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_doctor(toWire(e.doctor));
}

domain::TreatmentStarted read(const v1::TreatmentStarted &m, FieldReader &r)
{
    return {r.id(m.reception_id(), "reception_id"), r.id(m.diagnosis_id(), "diagnosis_id"), fromWire(m.doctor())};
}

void write(const domain::OutcomeRecorded &e, v1::Event &out)
{
    v1::OutcomeRecorded &m = *out.mutable_outcome_recorded();
    m.set_reception_id(toProtoId(e.receptionId));
    m.set_outcome(toProto(e.outcome));
}

domain::OutcomeRecorded read(const v1::OutcomeRecorded &m, FieldReader &r)
{
    return {r.id(m.reception_id(), "reception_id"), r.take(fromProto(m.outcome()), "outcome")};
}

void write(const domain::VisitClosed &e, v1::Event &out)
{
    out.mutable_visit_closed()->set_reception_id(toProtoId(e.receptionId));
}

domain::VisitClosed read(const v1::VisitClosed &m, FieldReader &r)
{
    return {r.id(m.reception_id(), "reception_id")};
}

void write(const domain::ReceptionCancelled &e, v1::Event &out)
{
    v1::ReceptionCancelled &m = *out.mutable_reception_cancelled();
    m.set_reception_id(toProtoId(e.receptionId));
    m.set_reason(toWire(e.reason));
}

domain::ReceptionCancelled read(const v1::ReceptionCancelled &m, FieldReader &r)
{
    return {r.id(m.reception_id(), "reception_id"), fromWire(m.reason())};
}

// Diagnosis context

void write(const domain::DiagnosisRegistered &e, v1::Event &out)
{
    v1::DiagnosisRegistered &m = *out.mutable_diagnosis_registered();
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_reception_id(toProtoId(e.receptionId));
    m.set_doctor(toWire(e.doctor));
    m.set_department(toWire(e.department));
    m.set_priority(toProto(e.priority));
}

domain::DiagnosisRegistered read(const v1::DiagnosisRegistered &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id"), r.id(m.reception_id(), "reception_id"), fromWire(m.doctor()),
            fromWire(m.department()), r.take(fromProto(m.priority()), "priority")};
}

void write(const domain::ExaminationPrescribed &e, v1::Event &out)
{
    v1::ExaminationPrescribed &m = *out.mutable_examination_prescribed();
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_examination_id(toProtoId(e.examinationId));
    m.set_code(toWire(e.code));
    m.set_note(toWire(e.note));
}

domain::ExaminationPrescribed read(const v1::ExaminationPrescribed &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id"), r.id(m.examination_id(), "examination_id"), fromWire(m.code()),
            fromWire(m.note())};
}

void write(const domain::ResultsReady &e, v1::Event &out)
{
    out.mutable_results_ready()->set_diagnosis_id(toProtoId(e.diagnosisId));
}

domain::ResultsReady read(const v1::ResultsReady &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id")};
}

void write(const domain::DiagnosisHandedOver &e, v1::Event &out)
{
    v1::DiagnosisHandedOver &m = *out.mutable_diagnosis_handed_over();
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_from_doctor(toWire(e.fromDoctor));
    m.set_to_doctor(toWire(e.toDoctor));
    m.set_note(toWire(e.note));
}

domain::DiagnosisHandedOver read(const v1::DiagnosisHandedOver &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id"), fromWire(m.from_doctor()), fromWire(m.to_doctor()),
            fromWire(m.note())};
}

void write(const domain::ResultsReviewed &e, v1::Event &out)
{
    v1::ResultsReviewed &m = *out.mutable_results_reviewed();
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_note(toWire(e.note));
}

domain::ResultsReviewed read(const v1::ResultsReviewed &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id"), fromWire(m.note())};
}

// TreatmentCompleted and TreatmentRefused share their shape on both sides.
template<typename Domain, typename Wire>
void writeOutcome(const Domain &e, Wire &m)
{
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_reception_id(toProtoId(e.receptionId));
    m.set_note(toWire(e.note));
}

template<typename Domain, typename Wire>
Domain readOutcome(const Wire &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id"), r.id(m.reception_id(), "reception_id"), fromWire(m.note())};
}

void write(const domain::TreatmentCompleted &e, v1::Event &out)
{
    writeOutcome(e, *out.mutable_treatment_completed());
}

void write(const domain::TreatmentRefused &e, v1::Event &out)
{
    writeOutcome(e, *out.mutable_treatment_refused());
}

void write(const domain::DiagnosisWithdrawn &e, v1::Event &out)
{
    v1::DiagnosisWithdrawn &m = *out.mutable_diagnosis_withdrawn();
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_reception_id(toProtoId(e.receptionId));
}

domain::DiagnosisWithdrawn read(const v1::DiagnosisWithdrawn &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id"), r.id(m.reception_id(), "reception_id")};
}

// Examination context

void write(const domain::ExaminationRequested &e, v1::Event &out)
{
    v1::ExaminationRequested &m = *out.mutable_examination_requested();
    m.set_examination_id(toProtoId(e.examinationId));
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_code(toWire(e.code));
    m.set_note(toWire(e.note));
}

domain::ExaminationRequested read(const v1::ExaminationRequested &m, FieldReader &r)
{
    return {r.id(m.examination_id(), "examination_id"), r.id(m.diagnosis_id(), "diagnosis_id"), fromWire(m.code()),
            fromWire(m.note())};
}

void write(const domain::ExaminationPerformed &e, v1::Event &out)
{
    v1::ExaminationPerformed &m = *out.mutable_examination_performed();
    m.set_examination_id(toProtoId(e.examinationId));
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_examiner(toWire(e.examiner));
    m.set_result(toWire(e.result));
}

domain::ExaminationPerformed read(const v1::ExaminationPerformed &m, FieldReader &r)
{
    return {r.id(m.examination_id(), "examination_id"), r.id(m.diagnosis_id(), "diagnosis_id"), fromWire(m.examiner()),
            fromWire(m.result())};
}

void write(const domain::ExaminationCancelled &e, v1::Event &out)
{
    v1::ExaminationCancelled &m = *out.mutable_examination_cancelled();
    m.set_examination_id(toProtoId(e.examinationId));
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_examiner(toWire(e.examiner));
    m.set_reason(toWire(e.reason));
}

domain::ExaminationCancelled read(const v1::ExaminationCancelled &m, FieldReader &r)
{
    return {r.id(m.examination_id(), "examination_id"), r.id(m.diagnosis_id(), "diagnosis_id"), fromWire(m.examiner()),
            fromWire(m.reason())};
}

void write(const domain::ExaminationWithdrawn &e, v1::Event &out)
{
    v1::ExaminationWithdrawn &m = *out.mutable_examination_withdrawn();
    m.set_examination_id(toProtoId(e.examinationId));
    m.set_diagnosis_id(toProtoId(e.diagnosisId));
    m.set_reason(toProto(e.reason));
}

domain::ExaminationWithdrawn read(const v1::ExaminationWithdrawn &m, FieldReader &r)
{
    return {r.id(m.examination_id(), "examination_id"), r.id(m.diagnosis_id(), "diagnosis_id"),
            r.take(fromProto(m.reason()), "reason")};
}

// The set oneof field's name ("reception_registered"): the scope of every error detail about the payload.
QString payloadName(const v1::Event &m)
{
    const auto *field = v1::Event::descriptor()->FindFieldByNumber(int(m.payload_case()));
    return field ? QString::fromStdString(field->name()) : u"event"_s;
}

// Only a set payload reaches here; the caller turns PAYLOAD_NOT_SET into UnknownMessageType.
domain::EventPayload readPayload(const v1::Event &m, FieldReader &r)
{
    switch (m.payload_case()) {
    case v1::Event::kReceptionRegistered:
        return read(m.reception_registered(), r);
    case v1::Event::kTreatmentStarted:
        return read(m.treatment_started(), r);
    case v1::Event::kOutcomeRecorded:
        return read(m.outcome_recorded(), r);
    case v1::Event::kVisitClosed:
        return read(m.visit_closed(), r);
    case v1::Event::kReceptionCancelled:
        return read(m.reception_cancelled(), r);
    case v1::Event::kDiagnosisRegistered:
        return read(m.diagnosis_registered(), r);
    case v1::Event::kExaminationPrescribed:
        return read(m.examination_prescribed(), r);
    case v1::Event::kResultsReady:
        return read(m.results_ready(), r);
    case v1::Event::kResultsReviewed:
        return read(m.results_reviewed(), r);
    case v1::Event::kTreatmentCompleted:
        return readOutcome<domain::TreatmentCompleted>(m.treatment_completed(), r);
    case v1::Event::kTreatmentRefused:
        return readOutcome<domain::TreatmentRefused>(m.treatment_refused(), r);
    case v1::Event::kDiagnosisWithdrawn:
        return read(m.diagnosis_withdrawn(), r);
    case v1::Event::kDiagnosisHandedOver:
        return read(m.diagnosis_handed_over(), r);
    case v1::Event::kExaminationRequested:
        return read(m.examination_requested(), r);
    case v1::Event::kExaminationPerformed:
        return read(m.examination_performed(), r);
    case v1::Event::kExaminationCancelled:
        return read(m.examination_cancelled(), r);
    case v1::Event::kExaminationWithdrawn:
        return read(m.examination_withdrawn(), r);
    case v1::Event::PAYLOAD_NOT_SET:
        break;
    }
    r.fail(domain::ErrorCode::UnknownMessageType, "", u"no payload"_s);
    return {};
}

} // namespace

v1::Event toProto(const domain::Event &event)
{
    v1::Event out;
    out.set_sequence(event.sequence);
    out.set_id(toProtoId(event.id));
    out.set_type(toWire(domain::eventTypeName(event.payload)));
    out.set_aggregate_id(toProtoId(event.aggregateId));
    out.set_visit_id(toProtoId(event.visitId));
    out.set_causation_id(toProtoId(event.causationId));
    out.set_at_ms(toProtoTime(event.at));
    out.set_station(toWire(event.station));
    std::visit([&out](const auto &payload) { write(payload, out); }, event.payload);
    return out;
}

domain::Result<domain::Event> fromProto(const v1::Event &m)
{
    FieldReader meta(u"event"_s);
    domain::Event event;
    event.sequence = m.sequence();
    event.id = meta.id(m.id(), "id");
    event.aggregateId = meta.id(m.aggregate_id(), "aggregate_id");
    event.visitId = meta.id(m.visit_id(), "visit_id");
    event.causationId = meta.id(m.causation_id(), "causation_id");
    event.at = meta.time(m.at_ms(), "at_ms");
    event.station = fromWire(m.station());
    if (!meta.ok())
        return meta.error();

    if (m.payload_case() == v1::Event::PAYLOAD_NOT_SET) {
        return domain::makeError(
            domain::ErrorCode::UnknownMessageType,
            u"event %1 of type %2 has no payload this build knows"_s.arg(m.sequence()).arg(detail::quoted(m.type())));
    }
    FieldReader payload(payloadName(m));
    event.payload = readPayload(m, payload);
    if (!payload.ok())
        return payload.error();

    // The type is a convenience copy for readers that skip the payload, so an empty one is tolerated; a wrong one
    // means the sender is broken and nothing else it says can be trusted.
    const QString type = fromWire(m.type());
    if (!type.isEmpty() && type != domain::eventTypeName(event.payload)) {
        return domain::makeError(domain::ErrorCode::MalformedMessage,
                                 u"event %1: type %2 does not match its %3 payload"_s.arg(m.sequence())
                                     .arg(detail::quoted(m.type()), payloadName(m)));
    }
    return event;
}

} // namespace clinicflow::proto
