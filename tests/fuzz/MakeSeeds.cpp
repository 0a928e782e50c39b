// Writes the binary seeds of tests/fuzz/corpus/FuzzCodec (encoded envelopes) and tests/fuzz/corpus/FuzzCommand
// (serialized Submits), made with the real conversions, so the fuzzers start from valid messages of every kind.
// The seeds are committed; run this again after a protocol change (corpus/README.md):
//   build-fuzz/tests/fuzz/FuzzSeeds tests/fuzz/corpus
#include "domain/Catalogue.h"
#include "domain/Commands.h"
#include "domain/Events.h"
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <cstdio>

using namespace clinicflow;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

QUuid id(int n)
{
    return QUuid(u"00000000-0000-4000-8000-%1"_s.arg(n, 12, 10, QLatin1Char('0')));
}

bool write(const QString &folder, const QString &name, const std::string &bytes)
{
    QFile file(folder + u'/' + name);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size())) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(file.fileName()));
        return false;
    }
    return true;
}

RegisterVisit registration()
{
    RegisterVisit r;
    r.receptionId = id(1);
    r.ticket = Ticket{u"A"_s, 17};
    r.patient.name = u"Hong Gildong"_s;
    r.patient.patientNumber = u"P-000123"_s;
    r.patient.birthDate = QDate(1980, 5, 17);
    r.patient.sex = Sex::Male;
    r.patient.phone = u"010-1234-5678"_s;
    r.patient.address = u"12 Sejong-daero\nJongno-gu, Seoul"_s;
    r.department = u"IM"_s;
    r.requestedDoctor = u"dr.kim"_s;
    r.chiefComplaint = u"Cough for three days\tand a fever"_s;
    r.priority = Priority::Urgent;
    return r;
}

// One of each command, and a registration with what is optional left out (Korean name, estimated age).
std::vector<std::pair<QString, Command>> commands()
{
    RegisterVisit minimal;
    minimal.receptionId = id(2);
    minimal.ticket = Ticket{u"B1"_s, 9999};
    minimal.patient.name = u"김민지"_s;
    minimal.patient.estimatedAgeYears = 40;
    minimal.department = u"PED"_s;
    minimal.chiefComplaint = u"복통"_s;
    return {
        {u"register-visit"_s, registration()},
        {u"register-visit-minimal"_s, minimal},
        {u"cancel-visit"_s, CancelVisit{id(1), u"Left before being seen"_s}},
        {u"confirm-outcome"_s, ConfirmOutcome{id(1)}},
        {u"prescribe-examination"_s, PrescribeExamination{id(3), id(4), u"XRAY"_s, u"Chest, two views"_s}},
        {u"review-results"_s, ReviewResults{id(3), u"No infiltrate"_s}},
        {u"complete-treatment"_s, CompleteTreatment{id(3), u"Rest and fluids"_s}},
        {u"refuse-treatment"_s, RefuseTreatment{id(3), u"Patient declined"_s}},
        {u"perform-examination"_s, PerformExamination{id(4), u"Normal chest X-ray"_s}},
        {u"cancel-examination"_s, CancelExamination{id(4), u"Machine out of order"_s}},
        {u"hand-over-visit"_s, HandOverVisit{id(3), u"dr.lee"_s, u"Off shift"_s}},
    };
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s tests/fuzz/corpus\n", argv[0]);
        return 2;
    }
    const QString root = QString::fromLocal8Bit(argv[1]);
    const QString codecDir = root + u"/FuzzCodec"_s;
    const QString commandDir = root + u"/FuzzCommand"_s;
    if (!QDir().mkpath(codecDir) || !QDir().mkpath(commandDir))
        return 1;

    CommandMeta meta;
    meta.commandId = id(100);
    meta.station = u"A"_s;
    meta.at = QDateTime::fromMSecsSinceEpoch(1741944413000, Qt::UTC);

    bool ok = true;
    for (const auto &[name, command] : commands()) {
        const v1::Submit submit = proto::toSubmit(meta, command);
        ok &= write(commandDir, name, submit.SerializeAsString());
        v1::Envelope envelope;
        envelope.set_request_id(7);
        *envelope.mutable_submit() = submit;
        ok &= write(codecDir, u"submit-"_s + name, proto::encode(envelope));
    }

    v1::Envelope hello;
    hello.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
    hello.mutable_hello()->set_station("A");
    hello.mutable_hello()->set_role(v1::ROLE_RECEPTIONIST);
    hello.mutable_hello()->set_last_sequence(42);
    hello.mutable_hello()->set_client_version("0.1.0");
    ok &= write(codecDir, u"hello"_s, proto::encode(hello));

    v1::Envelope welcome;
    welcome.mutable_welcome()->set_protocol_version(proto::kProtocolVersion);
    *welcome.mutable_welcome()->mutable_catalogue() = proto::toProto(Catalogue::builtIn());
    ok &= write(codecDir, u"welcome"_s, proto::encode(welcome));

    v1::Envelope ping;
    ping.set_request_id(3);
    ping.mutable_ping()->set_nonce(99);
    ok &= write(codecDir, u"ping"_s, proto::encode(ping));

    v1::Envelope fetch;
    fetch.set_request_id(4);
    fetch.mutable_fetch_events()->set_after_sequence(10);
    fetch.mutable_fetch_events()->set_limit(500);
    ok &= write(codecDir, u"fetch-events"_s, proto::encode(fetch));

    const RegisterVisit r = registration();
    Event registered;
    registered.sequence = 1;
    registered.id = id(200);
    registered.aggregateId = r.receptionId;
    registered.visitId = r.receptionId;
    registered.causationId = meta.commandId;
    registered.at = meta.at;
    registered.station = meta.station;
    registered.payload = ReceptionRegistered{r.receptionId,     r.ticket,         r.patient, r.department,
                                             r.requestedDoctor, r.chiefComplaint, r.priority};
    Event started = registered;
    started.sequence = 2;
    started.id = id(201);
    started.causationId = registered.id;
    started.payload = TreatmentStarted{r.receptionId, id(3), u"dr.kim"_s};

    v1::Envelope event;
    *event.mutable_event() = proto::toProto(registered);
    ok &= write(codecDir, u"event"_s, proto::encode(event));

    v1::Envelope batch;
    batch.set_request_id(4);
    *batch.mutable_event_batch()->add_events() = proto::toProto(registered);
    *batch.mutable_event_batch()->add_events() = proto::toProto(started);
    batch.mutable_event_batch()->set_head_sequence(2);
    ok &= write(codecDir, u"event-batch"_s, proto::encode(batch));

    v1::Envelope rejected;
    rejected.set_request_id(7);
    *rejected.mutable_rejected() = proto::toRejected(meta.commandId, makeError(ErrorCode::UnknownDepartment, u"XYZ"_s));
    ok &= write(codecDir, u"rejected"_s, proto::encode(rejected));

    v1::Envelope error;
    *error.mutable_error() = proto::toProto(makeError(ErrorCode::MalformedMessage));
    ok &= write(codecDir, u"error"_s, proto::encode(error));

    return ok ? 0 : 1;
}
