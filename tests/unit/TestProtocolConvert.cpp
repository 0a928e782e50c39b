// Domain values <-> clinicflow.v1 messages: every command and event survives the full trip through bytes
// unchanged, the error codes match number for number, and what the wire cannot promise is refused clearly.
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <QTest>
#include <variant>

using namespace clinicflow;
using namespace clinicflow::proto;
using namespace Qt::StringLiterals;

// The error for a failed check. QVERIFY2 builds its message even when the check passes, so never read error() blindly.
template<typename T>
QByteArray why(const clinicflow::domain::Result<T> &r)
{
    return r.ok() ? QByteArray("unexpectedly ok") : r.error().message().toUtf8();
}

namespace {

const QUuid kReception = QUuid::fromString(u"6f1c2a4e-0d3b-4c5a-9e8f-1a2b3c4d5e6f"_s);
const QUuid kDiagnosis = QUuid::fromString(u"1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"_s);
const QUuid kExamination = QUuid::fromString(u"0f8fad5b-d9cb-469f-a165-70867728950e"_s);

domain::Patient samplePatient()
{
    // Non-ASCII text on purpose: the wire is UTF-8, Qt is UTF-16.
    return {u"P-000123"_s,       u"김민지"_s,        QDate(1985, 7, 14),
            domain::Sex::Female, u"010-1234-5678"_s, u"서울특별시 종로구 1"_s,
            std::nullopt};
}

// One sample per alternative, in the variant's order, with every field set to something other than its default.
domain::Command sampleCommand(std::size_t index)
{
    switch (index) {
    case 0:
        return domain::RegisterVisit{kReception,  domain::Ticket{u"AB12"_s, 9999}, samplePatient(),         u"IM"_s,
                                     u"dr.kim"_s, u"기침과 발열, 3일"_s,           domain::Priority::Urgent};
    case 1:
        return domain::CancelVisit{kReception, u"patient left"_s};
    case 2:
        return domain::ConfirmOutcome{kReception};
    case 3:
        return domain::PrescribeExamination{kDiagnosis, kExamination, u"XRAY"_s, u"chest, PA"_s};
    case 4:
        return domain::ReviewResults{kDiagnosis, u"no findings"_s};
    case 5:
        return domain::CompleteTreatment{kDiagnosis, u"rest, fluids"_s};
    case 6:
        return domain::RefuseTreatment{kDiagnosis, u"patient declined"_s};
    case 7:
        return domain::PerformExamination{kExamination, u"normal"_s};
    case 8:
        return domain::CancelExamination{kExamination, u"machine down"_s};
    default:
        return domain::HandOverVisit{kDiagnosis, u"dr.park"_s, u"외과 진료 필요"_s};
    }
}

domain::EventPayload samplePayload(std::size_t index)
{
    switch (index) {
    case 0:
        return domain::ReceptionRegistered{
            kReception,    domain::Ticket{u"A"_s, 17}, samplePatient(), u"IM"_s, u"dr.lee"_s,
            u"headache"_s, domain::Priority::Urgent};
    case 1:
        return domain::TreatmentStarted{kReception, kDiagnosis, u"dr.kim"_s};
    case 2:
        return domain::OutcomeRecorded{kReception, domain::ReceptionStatus::TreatmentRefused};
    case 3:
        return domain::VisitClosed{kReception};
    case 4:
        return domain::ReceptionCancelled{kReception, u"patient left"_s};
    case 5:
        return domain::DiagnosisRegistered{kDiagnosis, kReception, u"dr.kim"_s, u"IM"_s, domain::Priority::Urgent};
    case 6:
        return domain::ExaminationPrescribed{kDiagnosis, kExamination, u"CT"_s, u"head"_s};
    case 7:
        return domain::ResultsReady{kDiagnosis};
    case 8:
        return domain::ResultsReviewed{kDiagnosis, u"reviewed"_s};
    case 9:
        return domain::TreatmentCompleted{kDiagnosis, kReception, u"done"_s};
    case 10:
        return domain::TreatmentRefused{kDiagnosis, kReception, u"declined"_s};
    case 11:
        return domain::DiagnosisWithdrawn{kDiagnosis, kReception};
    case 12:
        return domain::ExaminationRequested{kExamination, kDiagnosis, u"MRI"_s, u"knee"_s};
    case 13:
        return domain::ExaminationPerformed{kExamination, kDiagnosis, u"X1"_s, u"결과 정상"_s};
    case 14:
        return domain::ExaminationCancelled{kExamination, kDiagnosis, u"X1"_s, u"machine down"_s};
    case 15:
        return domain::ExaminationWithdrawn{kExamination, kDiagnosis, domain::WithdrawReason::VisitCancelled};
    default:
        return domain::DiagnosisHandedOver{kDiagnosis, u"dr.kim"_s, u"dr.park"_s, u"외과 진료 필요"_s};
    }
}

domain::Event sampleEvent(std::size_t index)
{
    domain::Event e;
    e.sequence = 4711 + index;
    e.id = domain::newId();
    e.payload = samplePayload(index);
    e.aggregateId = domain::eventAggregateId(e.payload);
    e.visitId = kReception;
    e.causationId = domain::newId();
    // Seoul time with milliseconds: the wire carries UTC ms, and QDateTime compares instants.
    e.at = QDateTime(QDate(2024, 3, 5), QTime(18, 41, 7, 123), Qt::OffsetFromUTC, 9 * 3600);
    e.station = u"B7"_s;
    return e;
}

QByteArray bytesOf(const google::protobuf::MessageLite &m)
{
    return QByteArray::fromStdString(m.SerializeAsString());
}

template<typename Message>
Message parsed(const QByteArray &bytes)
{
    Message m;
    if (!m.ParseFromArray(bytes.constData(), int(bytes.size())))
        qFatal("test data does not parse");
    return m;
}

v1::Command registerVisitWith(void (*change)(v1::RegisterVisit &))
{
    v1::Command c = toProto(sampleCommand(0));
    change(*c.mutable_register_visit());
    return c;
}

v1::Event eventWith(std::size_t index, void (*change)(v1::Event &))
{
    v1::Event e = toProto(sampleEvent(index));
    change(e);
    return e;
}

} // namespace

class TestProtocolConvert : public QObject
{
    Q_OBJECT

private slots:
    void commandRoundTrip_data();
    void commandRoundTrip();
    void eventRoundTrip_data();
    void eventRoundTrip();
    void eventMetadata();
    void badCommand_data();
    void badCommand();
    void badEvent_data();
    void badEvent();
    void badSubmit();
    void errorCodesMatchDomain();
    void errorRoundTrip();
    void unknownErrorCodeKeepsSentence();
    void enumsRoundTrip();
    void catalogueRoundTrip();
    void invalidCatalogue();
    void ticketAndTime();
};

void TestProtocolConvert::commandRoundTrip_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < std::variant_size_v<domain::Command>; ++i)
        QTest::newRow(qPrintable(domain::commandName(sampleCommand(i)))) << int(i);
}

void TestProtocolConvert::commandRoundTrip()
{
    QFETCH(int, index);
    const domain::Command original = sampleCommand(std::size_t(index));
    QCOMPARE(original.index(), std::size_t(index));
    const domain::CommandMeta meta{domain::newId(), u"A"_s, QDateTime(QDate(2024, 3, 5), QTime(9, 1, 2, 345), Qt::UTC)};

    v1::Envelope envelope;
    *envelope.mutable_submit() = toSubmit(meta, original);
    const domain::Result<v1::Envelope> decoded = decode(encode(envelope));
    QVERIFY2(decoded.ok(), why(decoded).constData());

    const domain::Result<SubmittedCommand> back = fromProto(decoded->submit());
    QVERIFY2(back.ok(), why(back).constData());
    QVERIFY(back->command == original);
    QCOMPARE(back->meta.commandId, meta.commandId);
    QCOMPARE(back->meta.station, meta.station);
    QCOMPARE(back->meta.at, meta.at);
}

void TestProtocolConvert::eventRoundTrip_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < std::variant_size_v<domain::EventPayload>; ++i)
        QTest::newRow(qPrintable(domain::eventTypeName(samplePayload(i)))) << int(i);
}

void TestProtocolConvert::eventRoundTrip()
{
    QFETCH(int, index);
    const domain::Event original = sampleEvent(std::size_t(index));
    QCOMPARE(original.payload.index(), std::size_t(index));

    // Alone, as PUB sends it, and inside a batch, as a catch-up reply does.
    v1::Envelope single;
    *single.mutable_event() = toProto(original);
    v1::Envelope batch;
    *batch.mutable_event_batch()->add_events() = toProto(original);
    for (const v1::Envelope &envelope : {single, batch}) {
        const domain::Result<v1::Envelope> decoded = decode(encode(envelope));
        QVERIFY2(decoded.ok(), why(decoded).constData());
        const v1::Event &wire = decoded->has_event() ? decoded->event() : decoded->event_batch().events(0);
        const domain::Result<domain::Event> back = fromProto(wire);
        QVERIFY2(back.ok(), why(back).constData());
        QVERIFY(back.value() == original);
        QVERIFY(back->payload == original.payload);
        QCOMPARE(back->at, original.at);
    }
}

void TestProtocolConvert::eventMetadata()
{
    const domain::Event e = sampleEvent(13);
    const v1::Event m = toProto(e);
    QCOMPARE(m.sequence(), quint64(4711 + 13));
    QCOMPARE(QString::fromStdString(m.id()), domain::idString(e.id));
    QCOMPARE(QString::fromStdString(m.type()), u"ExaminationPerformed"_s);
    QCOMPARE(QString::fromStdString(m.aggregate_id()), domain::idString(kExamination));
    QCOMPARE(QString::fromStdString(m.visit_id()), domain::idString(kReception));
    QCOMPARE(QString::fromStdString(m.causation_id()), domain::idString(e.causationId));
    QCOMPARE(m.at_ms(), qint64(1709631667123)); // 2024-03-05T09:41:07.123Z
    QCOMPARE(m.station(), std::string("B7"));
    QVERIFY(m.id().find('{') == std::string::npos);

    // Null ids and an unknown time travel as empty and zero, and come back the same.
    domain::Event bare;
    bare.payload = domain::VisitClosed{kReception};
    const v1::Event wire = toProto(bare);
    QVERIFY(wire.id().empty() && wire.causation_id().empty() && wire.at_ms() == 0);
    const domain::Result<domain::Event> back = fromProto(wire);
    QVERIFY(back.ok());
    QVERIFY(back.value() == bare);
}

void TestProtocolConvert::badCommand_data()
{
    using domain::ErrorCode;
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("detail");
    // A valid RegisterVisit with one change.
    const auto row = [](const char *name, ErrorCode code, const QString &detail, void (*change)(v1::RegisterVisit &)) {
        QTest::newRow(name) << bytesOf(registerVisitWith(change)) << code << detail;
    };

    QTest::newRow("no kind") << bytesOf(v1::Command()) << ErrorCode::UnknownMessageType << u"newer than this build"_s;
    v1::Command perform;
    perform.mutable_perform_examination()->set_examination_id("0f8fad5b-d9cb-469f-a165-70867728950");
    QTest::newRow("short uuid") << bytesOf(perform) << ErrorCode::MalformedMessage
                                << u"perform_examination.examination_id: not a UUID"_s;
    row("bad uuid", ErrorCode::MalformedMessage, u"register_visit.reception_id: not a UUID: 'A-017'"_s,
        [](v1::RegisterVisit &m) { m.set_reception_id("A-017"); });
    row("unknown priority", ErrorCode::MalformedMessage,
        u"register_visit.priority: unknown clinicflow.v1.Priority value 57"_s,
        [](v1::RegisterVisit &m) { m.set_priority(static_cast<v1::Priority>(57)); });
    row("unspecified priority", ErrorCode::MalformedMessage,
        u"register_visit.priority: clinicflow.v1.Priority is not set"_s,
        [](v1::RegisterVisit &m) { m.clear_priority(); });
    row("unknown sex", ErrorCode::MalformedMessage, u"register_visit.patient: sex: unknown clinicflow.v1.Sex value 9"_s,
        [](v1::RegisterVisit &m) { m.mutable_patient()->set_sex(static_cast<v1::Sex>(9)); });
    row("invalid ticket station", ErrorCode::InvalidTicket, u"register_visit.ticket: station 'a-1'"_s,
        [](v1::RegisterVisit &m) { m.mutable_ticket()->set_station("a-1"); });
    row("ticket number overflow", ErrorCode::InvalidTicket, u"number 4294967295"_s,
        [](v1::RegisterVisit &m) { m.mutable_ticket()->set_number(4294967295u); });
    row("no ticket", ErrorCode::InvalidTicket, u"register_visit.ticket"_s,
        [](v1::RegisterVisit &m) { m.clear_ticket(); });
    row("bad birth date", ErrorCode::InvalidBirthDate, u"register_visit.patient: birth_date: not a YYYY-MM-DD date"_s,
        [](v1::RegisterVisit &m) { m.mutable_patient()->set_birth_date("14.07.1985"); });
    row("first error wins", ErrorCode::MalformedMessage, u"register_visit.reception_id"_s, [](v1::RegisterVisit &m) {
        m.set_reception_id("x");
        m.set_priority(static_cast<v1::Priority>(3));
    });
}

void TestProtocolConvert::badCommand()
{
    QFETCH(QByteArray, command);
    QFETCH(domain::ErrorCode, code);
    QFETCH(QString, detail);
    const domain::Result<domain::Command> r = fromProto(parsed<v1::Command>(command));
    QVERIFY(!r.ok());
    QCOMPARE(r.code(), code);
    QVERIFY2(r.error().detail.contains(detail), why(r).constData());
    QVERIFY(!r.error().detail.contains(u"1985"_s)); // personal data stays out of error details
}

void TestProtocolConvert::badEvent_data()
{
    using domain::ErrorCode;
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("detail");
    // A valid event (by sample index) with one change.
    const auto row = [](const char *name, std::size_t index, ErrorCode code, const QString &detail,
                        void (*change)(v1::Event &)) {
        QTest::newRow(name) << bytesOf(eventWith(index, change)) << code << detail;
    };

    row("no payload", 3, ErrorCode::UnknownMessageType, u"of type 'VisitClosed'"_s,
        [](v1::Event &e) { e.clear_payload(); });
    row("bad event id", 3, ErrorCode::MalformedMessage, u"event.id: not a UUID"_s,
        [](v1::Event &e) { e.set_id("{nope}"); });
    row("bad causation", 3, ErrorCode::MalformedMessage, u"event.causation_id"_s,
        [](v1::Event &e) { e.set_causation_id("x"); });
    row("bad payload id", 1, ErrorCode::MalformedMessage, u"treatment_started.diagnosis_id"_s,
        [](v1::Event &e) { e.mutable_treatment_started()->set_diagnosis_id("zz"); });
    row("time out of range", 3, ErrorCode::MalformedMessage, u"event.at_ms: time out of range"_s,
        [](v1::Event &e) { e.set_at_ms(INT64_MIN); });
    row("type mismatch", 3, ErrorCode::MalformedMessage, u"does not match its visit_closed"_s,
        [](v1::Event &e) { e.set_type("VisitOpened"); });
    row("unknown withdraw reason", 15, ErrorCode::MalformedMessage, u"examination_withdrawn.reason"_s,
        [](v1::Event &e) { e.mutable_examination_withdrawn()->set_reason(static_cast<v1::WithdrawReason>(12)); });
    row("unspecified outcome", 2, ErrorCode::MalformedMessage, u"outcome_recorded.outcome"_s,
        [](v1::Event &e) { e.mutable_outcome_recorded()->clear_outcome(); });
    row("invalid ticket in event", 0, ErrorCode::InvalidTicket, u"reception_registered.ticket"_s,
        [](v1::Event &e) { e.mutable_reception_registered()->mutable_ticket()->set_number(0); });
}

void TestProtocolConvert::badEvent()
{
    QFETCH(QByteArray, event);
    QFETCH(domain::ErrorCode, code);
    QFETCH(QString, detail);
    const domain::Result<domain::Event> r = fromProto(parsed<v1::Event>(event));
    QVERIFY(!r.ok());
    QCOMPARE(r.code(), code);
    QVERIFY2(r.error().detail.contains(detail), why(r).constData());
}

void TestProtocolConvert::badSubmit()
{
    v1::Submit submit = toSubmit({domain::newId(), u"A"_s, QDateTime::currentDateTimeUtc()}, sampleCommand(1));
    submit.set_command_id("not-an-id");
    domain::Result<SubmittedCommand> r = fromProto(submit);
    QCOMPARE(r.code(), domain::ErrorCode::MalformedMessage);
    QVERIFY2(r.error().detail.startsWith(u"submit.command_id"_s), why(r).constData());

    submit.set_command_id(toProtoId(domain::newId()));
    submit.clear_command();
    QCOMPARE(fromProto(submit).code(), domain::ErrorCode::UnknownMessageType);

    // An empty id is not a wire error: the gateway's shape check reports it as MissingId.
    submit = toSubmit({QUuid(), u"A"_s, QDateTime()}, sampleCommand(1));
    r = fromProto(submit);
    QVERIFY(r.ok());
    QVERIFY(r->meta.commandId.isNull());
    QVERIFY(!r->meta.at.isValid());
}

void TestProtocolConvert::errorCodesMatchDomain()
{
    const google::protobuf::EnumDescriptor *wire = v1::ErrorCode_descriptor();
    for (int i = 0; i < wire->value_count(); ++i) {
        const google::protobuf::EnumValueDescriptor *value = wire->value(i);
        const domain::ErrorCode code = domain::errorCodeFromInt(value->number());
        QVERIFY2(int(code) == value->number(), value->name().c_str()); // the domain knows this number
        const QString expected = u"ERROR_CODE_"_s + QString::fromLatin1(domain::errorName(code)).toUpper();
        QCOMPARE(QString::fromStdString(value->name()), expected);
        QCOMPARE(fromProto(static_cast<v1::ErrorCode>(value->number())), code);
    }

    // ...and the wire knows every number the domain does (errorCodeFromInt maps unknown numbers elsewhere).
    int domainCodes = 0;
    for (int n = 0; n < 1000; ++n) {
        if (int(domain::errorCodeFromInt(n)) != n)
            continue;
        ++domainCodes;
        QVERIFY2(v1::ErrorCode_IsValid(n), qPrintable(QString::number(n)));
        QCOMPARE(int(toProto(static_cast<domain::ErrorCode>(n))), n);
    }
    QCOMPARE(wire->value_count(), domainCodes);
}

void TestProtocolConvert::errorRoundTrip()
{
    const domain::Error error = domain::makeError(domain::ErrorCode::ExaminationWithdrawnVisitCancelled, u"A-017"_s);
    const v1::Rejected rejected = toRejected(kExamination, error);
    QCOMPARE(rejected.code(), v1::ERROR_CODE_EXAMINATION_WITHDRAWN_VISIT_CANCELLED);
    QCOMPARE(QString::fromStdString(rejected.message()), error.message());
    QCOMPARE(QString::fromStdString(rejected.command_id()), domain::idString(kExamination));
    QCOMPARE(fromProto(parsed<v1::Rejected>(bytesOf(rejected))), error);
    QCOMPARE(fromProto(parsed<v1::Error>(bytesOf(toProto(error)))), error);
}

void TestProtocolConvert::unknownErrorCodeKeepsSentence()
{
    // A newer server's code: this build cannot translate it, so the user sees the server's English instead.
    v1::Rejected rejected;
    rejected.set_code(static_cast<v1::ErrorCode>(777));
    rejected.set_message("a reason from the future (A-017)");
    rejected.set_detail("A-017");
    const domain::Error error = fromProto(parsed<v1::Rejected>(bytesOf(rejected)));
    QCOMPARE(error.code, domain::ErrorCode::InvalidCommand);
    QCOMPARE(error.detail, u"a reason from the future (A-017)"_s);
}

void TestProtocolConvert::enumsRoundTrip()
{
    using domain::fromString;
    // Every domain value goes out and back; every non-zero wire value has a domain value (the counts match).
    const auto check = [](auto domainValues, const google::protobuf::EnumDescriptor *wire, bool zeroIsValue) {
        for (auto value : domainValues) {
            const auto back = fromProto(toProto(value));
            QVERIFY(back.ok());
            QVERIFY(back.value() == value);
        }
        QCOMPARE(qsizetype(wire->value_count()), qsizetype(domainValues.size()) + (zeroIsValue ? 0 : 1));
    };
    using namespace domain;
    check(std::initializer_list<Role>{Role::Receptionist, Role::Doctor, Role::Examiner, Role::Board},
          v1::Role_descriptor(), false);
    check(std::initializer_list<Priority>{Priority::Normal, Priority::Urgent}, v1::Priority_descriptor(), false);
    check(std::initializer_list<Sex>{Sex::Unknown, Sex::Female, Sex::Male, Sex::Other}, v1::Sex_descriptor(), true);
    check(std::initializer_list<ReceptionStatus>{ReceptionStatus::Received, ReceptionStatus::InTreatment,
                                                 ReceptionStatus::TreatmentCompleted, ReceptionStatus::TreatmentRefused,
                                                 ReceptionStatus::Closed, ReceptionStatus::Cancelled},
          v1::ReceptionStatus_descriptor(), false);
    check(std::initializer_list<DiagnosisStatus>{DiagnosisStatus::Waiting, DiagnosisStatus::ExamsPending,
                                                 DiagnosisStatus::ResultsReady, DiagnosisStatus::Reviewed,
                                                 DiagnosisStatus::Completed, DiagnosisStatus::Refused,
                                                 DiagnosisStatus::Withdrawn},
          v1::DiagnosisStatus_descriptor(), false);
    check(std::initializer_list<ExaminationStatus>{ExaminationStatus::Requested, ExaminationStatus::Performed,
                                                   ExaminationStatus::Cancelled, ExaminationStatus::Withdrawn},
          v1::ExaminationStatus_descriptor(), false);
    check(std::initializer_list<WithdrawReason>{WithdrawReason::TreatmentRefused, WithdrawReason::VisitCancelled},
          v1::WithdrawReason_descriptor(), false);

    QCOMPARE(fromProto(v1::ROLE_UNSPECIFIED).code(), ErrorCode::MalformedMessage);
    QVERIFY(fromProto(v1::SEX_UNSPECIFIED).value() == Sex::Unknown);
}

void TestProtocolConvert::catalogueRoundTrip()
{
    const domain::Catalogue original = domain::Catalogue::builtIn();
    QVERIFY(!original.doctors().isEmpty());
    const domain::Result<domain::Catalogue> back = fromProto(parsed<v1::Catalogue>(bytesOf(toProto(original))));
    QVERIFY2(back.ok(), why(back).constData());
    QVERIFY(back.value() == original);

    const domain::Result<domain::Catalogue> empty = fromProto(v1::Catalogue());
    QVERIFY(empty.ok());
    QVERIFY(empty->departments().isEmpty());
}

void TestProtocolConvert::invalidCatalogue()
{
    v1::Catalogue catalogue = toProto(domain::Catalogue::builtIn());
    catalogue.mutable_doctors(0)->set_department("NOPE");
    const domain::Result<domain::Catalogue> r = fromProto(catalogue);
    QCOMPARE(r.code(), domain::ErrorCode::UnknownDepartment);
    QVERIFY(r.error().detail.startsWith(u"catalogue: "_s));
}

void TestProtocolConvert::ticketAndTime()
{
    const domain::Result<domain::Ticket> ticket = fromProto(toProto(domain::Ticket{u"Z9"_s, 1}));
    QVERIFY(ticket.ok());
    QCOMPARE(ticket->toString(), u"Z9-001"_s);

    QCOMPARE(toProtoTime(QDateTime()), qint64(0));
    QVERIFY(!fromProtoTime(0).isValid());
    QVERIFY(!fromProtoTime(INT64_MAX).isValid());
    QVERIFY(!fromProtoTime(INT64_MIN).isValid());
    const QDateTime before1970(QDate(1969, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
    QCOMPARE(toProtoTime(before1970), qint64(-1));
    QCOMPARE(fromProtoTime(-1), before1970);
    QCOMPARE(fromProtoTime(-1).timeSpec(), Qt::UTC);
    QCOMPARE(toProtoId(QUuid()), std::string());
}

QTEST_GUILESS_MAIN(TestProtocolConvert)
#include "TestProtocolConvert.moc"
