// Domain commands <-> clinicflow.v1.Command, and the Submit that carries one with its metadata.
#include "Convert.h"
#include "ConvertSupport.h"

namespace clinicflow::proto {

using namespace Qt::StringLiterals;
using detail::FieldReader;
using detail::fromWire;
using detail::toWire;

namespace {

void write(const domain::RegisterVisit &c, v1::Command &out)
{
    v1::RegisterVisit &m = *out.mutable_register_visit();
    m.set_reception_id(toProtoId(c.receptionId));
    *m.mutable_ticket() = toProto(c.ticket);
    *m.mutable_patient() = toProto(c.patient);
    m.set_department(toWire(c.department));
    m.set_requested_doctor(toWire(c.requestedDoctor));
    m.set_chief_complaint(toWire(c.chiefComplaint));
    m.set_priority(toProto(c.priority));
}

void write(const domain::CancelVisit &c, v1::Command &out)
{
    v1::CancelVisit &m = *out.mutable_cancel_visit();
    m.set_reception_id(toProtoId(c.receptionId));
    m.set_reason(toWire(c.reason));
}

void write(const domain::ConfirmOutcome &c, v1::Command &out)
{
    out.mutable_confirm_outcome()->set_reception_id(toProtoId(c.receptionId));
}

void write(const domain::PrescribeExamination &c, v1::Command &out)
{
    v1::PrescribeExamination &m = *out.mutable_prescribe_examination();
    m.set_diagnosis_id(toProtoId(c.diagnosisId));
    m.set_examination_id(toProtoId(c.examinationId));
    m.set_code(toWire(c.code));
    m.set_note(toWire(c.note));
}

// ReviewResults, CompleteTreatment and RefuseTreatment share their shape on both sides.
template<typename Wire, typename Domain>
void writeDiagnosisNote(const Domain &c, Wire &m)
{
    m.set_diagnosis_id(toProtoId(c.diagnosisId));
    m.set_note(toWire(c.note));
}

void write(const domain::ReviewResults &c, v1::Command &out)
{
    writeDiagnosisNote(c, *out.mutable_review_results());
}

void write(const domain::CompleteTreatment &c, v1::Command &out)
{
    writeDiagnosisNote(c, *out.mutable_complete_treatment());
}

void write(const domain::RefuseTreatment &c, v1::Command &out)
{
    writeDiagnosisNote(c, *out.mutable_refuse_treatment());
}

void write(const domain::HandOverVisit &c, v1::Command &out)
{
    v1::HandOverVisit &m = *out.mutable_hand_over_visit();
    m.set_diagnosis_id(toProtoId(c.diagnosisId));
    m.set_to_doctor(toWire(c.toDoctor));
    m.set_note(toWire(c.note));
}

void write(const domain::PerformExamination &c, v1::Command &out)
{
    v1::PerformExamination &m = *out.mutable_perform_examination();
    m.set_examination_id(toProtoId(c.examinationId));
    m.set_result(toWire(c.result));
}

void write(const domain::CancelExamination &c, v1::Command &out)
{
    v1::CancelExamination &m = *out.mutable_cancel_examination();
    m.set_examination_id(toProtoId(c.examinationId));
    m.set_reason(toWire(c.reason));
}

domain::RegisterVisit read(const v1::RegisterVisit &m, FieldReader &r)
{
    domain::RegisterVisit c;
    c.receptionId = r.id(m.reception_id(), "reception_id");
    c.ticket = r.take(fromProto(m.ticket()), "ticket");
    c.patient = r.take(fromProto(m.patient()), "patient");
    c.department = fromWire(m.department());
    c.requestedDoctor = fromWire(m.requested_doctor());
    c.chiefComplaint = fromWire(m.chief_complaint());
    c.priority = r.take(fromProto(m.priority()), "priority");
    return c;
}

domain::CancelVisit read(const v1::CancelVisit &m, FieldReader &r)
{
    return {r.id(m.reception_id(), "reception_id"), fromWire(m.reason())};
}

domain::ConfirmOutcome read(const v1::ConfirmOutcome &m, FieldReader &r)
{
    return {r.id(m.reception_id(), "reception_id")};
}

domain::PrescribeExamination read(const v1::PrescribeExamination &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id"), r.id(m.examination_id(), "examination_id"), fromWire(m.code()),
            fromWire(m.note())};
}

template<typename Domain, typename Wire>
Domain readDiagnosisNote(const Wire &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id"), fromWire(m.note())};
}

domain::HandOverVisit read(const v1::HandOverVisit &m, FieldReader &r)
{
    return {r.id(m.diagnosis_id(), "diagnosis_id"), fromWire(m.to_doctor()), fromWire(m.note())};
}

domain::PerformExamination read(const v1::PerformExamination &m, FieldReader &r)
{
    return {r.id(m.examination_id(), "examination_id"), fromWire(m.result())};
}

domain::CancelExamination read(const v1::CancelExamination &m, FieldReader &r)
{
    return {r.id(m.examination_id(), "examination_id"), fromWire(m.reason())};
}

// The set oneof field's name ("register_visit"): the scope of every error detail about the command.
QString kindName(const v1::Command &m)
{
    const auto *field = v1::Command::descriptor()->FindFieldByNumber(int(m.kind_case()));
    return field ? QString::fromStdString(field->name()) : u"command"_s;
}

} // namespace

v1::Command toProto(const domain::Command &command)
{
    v1::Command out;
    std::visit([&out](const auto &c) { write(c, out); }, command);
    return out;
}

domain::Result<domain::Command> fromProto(const v1::Command &m)
{
    FieldReader r(kindName(m));
    domain::Command c;
    switch (m.kind_case()) {
    case v1::Command::KIND_NOT_SET:
        return domain::makeError(domain::ErrorCode::UnknownMessageType,
                                 u"command is empty or of a kind newer than this build"_s);
    case v1::Command::kRegisterVisit:
        c = read(m.register_visit(), r);
        break;
    case v1::Command::kCancelVisit:
        c = read(m.cancel_visit(), r);
        break;
    case v1::Command::kConfirmOutcome:
        c = read(m.confirm_outcome(), r);
        break;
    case v1::Command::kPrescribeExamination:
        c = read(m.prescribe_examination(), r);
        break;
    case v1::Command::kReviewResults:
        c = readDiagnosisNote<domain::ReviewResults>(m.review_results(), r);
        break;
    case v1::Command::kCompleteTreatment:
        c = readDiagnosisNote<domain::CompleteTreatment>(m.complete_treatment(), r);
        break;
    case v1::Command::kRefuseTreatment:
        c = readDiagnosisNote<domain::RefuseTreatment>(m.refuse_treatment(), r);
        break;
    case v1::Command::kHandOverVisit:
        c = read(m.hand_over_visit(), r);
        break;
    case v1::Command::kPerformExamination:
        c = read(m.perform_examination(), r);
        break;
    case v1::Command::kCancelExamination:
        c = read(m.cancel_examination(), r);
        break;
    }
    if (!r.ok())
        return r.error();
    return c;
}

v1::Submit toSubmit(const domain::CommandMeta &meta, const domain::Command &command)
{
    v1::Submit out;
    out.set_command_id(toProtoId(meta.commandId));
    out.set_station(toWire(meta.station));
    out.set_at_ms(toProtoTime(meta.at));
    *out.mutable_command() = toProto(command);
    return out;
}

domain::Result<SubmittedCommand> fromProto(const v1::Submit &submit)
{
    FieldReader r(u"submit"_s);
    domain::CommandMeta meta;
    meta.commandId = r.id(submit.command_id(), "command_id");
    meta.station = fromWire(submit.station());
    meta.at = r.time(submit.at_ms(), "at_ms");
    if (!r.ok())
        return r.error();
    domain::Result<domain::Command> command = fromProto(submit.command());
    if (!command.ok())
        return command.error();
    return SubmittedCommand{std::move(meta), std::move(command).value()};
}

} // namespace clinicflow::proto
