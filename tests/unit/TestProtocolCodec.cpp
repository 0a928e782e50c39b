// The envelope codec against everything a network can deliver: every body type, truncations, random and mutated
// bytes, oversized and empty input, and fields from a newer peer. Decode must answer with a value, never crash.
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/message_differencer.h>

using namespace clinicflow;
using namespace clinicflow::proto;
using namespace Qt::StringLiterals;

// The error for a failed check. QVERIFY2 builds its message even when the check passes, so never read error() blindly.
template<typename T>
QByteArray why(const clinicflow::domain::Result<T> &r)
{
    return r.ok() ? QByteArray("unexpectedly ok") : r.error().message().toUtf8();
}
using google::protobuf::util::MessageDifferencer;

namespace {

const QUuid kVisit = QUuid::fromString(u"6f1c2a4e-0d3b-4c5a-9e8f-1a2b3c4d5e6f"_s);
const QUuid kDiagnosis = QUuid::fromString(u"1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"_s);

domain::Event sampleEvent(quint64 sequence, domain::EventPayload payload)
{
    domain::Event e;
    e.sequence = sequence;
    e.id = domain::derivedId(kVisit, QString::number(sequence));
    e.aggregateId = domain::eventAggregateId(payload);
    e.visitId = kVisit;
    e.causationId = domain::derivedId(kVisit, u"cause"_s);
    e.at = QDateTime(QDate(2024, 3, 5), QTime(9, 41, 7, 123), Qt::UTC);
    e.station = u"A"_s;
    e.payload = std::move(payload);
    return e;
}

v1::VisitStatus sampleRow(int n)
{
    v1::VisitStatus row;
    row.set_visit_id(toProtoId(domain::derivedId(kVisit, QString::number(n))));
    *row.mutable_ticket() = toProto(domain::Ticket{u"A"_s, n});
    row.set_patient_number("P-" + std::to_string(n));
    row.set_patient_name("Kim Minji");
    row.set_department("IM");
    row.set_doctor("dr.kim");
    row.set_reception_status("in_treatment");
    row.set_diagnosis_status("exams_pending");
    row.set_examinations_prescribed(3);
    row.set_examinations_performed(1);
    row.set_examinations_cancelled(1);
    row.set_examinations_withdrawn(0);
    row.set_priority(v1::PRIORITY_URGENT);
    row.set_received_at_ms(1709628067123);
    row.set_updated_at_ms(1709629067123);
    row.set_last_sequence(100 + quint64(n));
    row.set_diagnosis_id(toProtoId(kDiagnosis));
    row.set_seen_at_ms(1709628167123);
    row.set_finished_at_ms(1709630067123);
    return row;
}

// A fully populated envelope for each body, by the body's field number; unset body for a number it does not know,
// so a body added to envelope.proto without a sample here fails the round trip.
v1::Envelope sampleEnvelope(int bodyField)
{
    v1::Envelope e;
    e.set_request_id(42);
    switch (static_cast<v1::Envelope::BodyCase>(bodyField)) {
    case v1::Envelope::kHello: {
        v1::Hello &m = *e.mutable_hello();
        m.set_protocol_version(kProtocolVersion);
        m.set_station("A");
        m.set_role(v1::ROLE_RECEPTIONIST);
        m.set_last_sequence(1234);
        m.set_client_version("0.1.0");
        break;
    }
    case v1::Envelope::kWelcome: {
        v1::Welcome &m = *e.mutable_welcome();
        m.set_protocol_version(kProtocolVersion);
        m.set_server_id("srv-1");
        m.set_head_sequence(99999);
        *m.mutable_catalogue() = toProto(domain::Catalogue::builtIn());
        m.set_snapshot_advised(true);
        break;
    }
    case v1::Envelope::kError:
        *e.mutable_error() = toProto(domain::makeError(domain::ErrorCode::UnsupportedProtocolVersion, u"got 7"_s));
        break;
    case v1::Envelope::kPing:
        e.mutable_ping()->set_nonce(7);
        break;
    case v1::Envelope::kPong:
        e.mutable_pong()->set_nonce(7);
        e.mutable_pong()->set_head_sequence(12);
        e.mutable_pong()->set_server_at_ms(1709628067123);
        break;
    case v1::Envelope::kHeartbeat:
        e.mutable_heartbeat()->set_head_sequence(12);
        e.mutable_heartbeat()->set_at_ms(1709628067123);
        break;
    case v1::Envelope::kSubmit: {
        const domain::CommandMeta meta{domain::derivedId(kVisit, u"cmd"_s), u"A"_s, QDateTime::currentDateTimeUtc()};
        *e.mutable_submit() = toSubmit(meta, domain::CancelVisit{kVisit, u"left before treatment"_s});
        break;
    }
    case v1::Envelope::kQueued:
        e.mutable_queued()->set_command_id(toProtoId(kVisit));
        break;
    case v1::Envelope::kApplied:
        e.mutable_applied()->set_command_id(toProtoId(kVisit));
        for (quint64 s : {7, 8, 9})
            e.mutable_applied()->add_sequences(s);
        break;
    case v1::Envelope::kRejected:
        *e.mutable_rejected() = toRejected(kVisit, domain::makeError(domain::ErrorCode::VisitNotFound, u"A-017"_s));
        break;
    case v1::Envelope::kFetchEvents:
        e.mutable_fetch_events()->set_after_sequence(100);
        e.mutable_fetch_events()->set_limit(500);
        break;
    case v1::Envelope::kEventBatch: {
        v1::EventBatch &m = *e.mutable_event_batch();
        *m.add_events() = toProto(sampleEvent(101, domain::VisitClosed{kVisit}));
        *m.add_events() = toProto(sampleEvent(102, domain::ResultsReady{kDiagnosis}));
        m.set_head_sequence(200);
        m.set_more(true);
        break;
    }
    case v1::Envelope::kFetchSnapshot:
        e.mutable_fetch_snapshot()->set_after_visit_id(toProtoId(kVisit));
        e.mutable_fetch_snapshot()->set_limit(1000);
        break;
    case v1::Envelope::kSnapshot: {
        v1::Snapshot &m = *e.mutable_snapshot();
        m.set_sequence(555);
        *m.add_visits() = sampleRow(1);
        *m.add_visits() = sampleRow(2);
        m.set_more(true);
        m.set_next_visit_id(m.visits(1).visit_id());
        break;
    }
    case v1::Envelope::kEvent:
        *e.mutable_event() = toProto(sampleEvent(103, domain::TreatmentStarted{kVisit, kDiagnosis, u"dr.kim"_s}));
        break;
    case v1::Envelope::BODY_NOT_SET:
        break;
    }
    return e;
}

// Hello bytes whose station is one byte that is not UTF-8. Built by patching valid bytes, because protobuf's own
// serialiser would complain about the invalid text before the parser got to see it.
std::string helloWithInvalidStation()
{
    v1::Envelope e = sampleEnvelope(v1::Envelope::kHello);
    e.mutable_hello()->set_station("@");
    std::string bytes = encode(e);
    const std::size_t at = bytes.find('@');
    if (at != std::string::npos && bytes.find('@', at + 1) == std::string::npos)
        bytes[at] = '\xff';
    return bytes;
}

QList<int> bodyFields()
{
    QList<int> fields;
    const google::protobuf::OneofDescriptor *body = v1::Envelope::descriptor()->FindOneofByName("body");
    for (int i = 0; i < body->field_count(); ++i)
        fields.append(body->field(i)->number());
    return fields;
}

// Fuzz-style tests feed invalid UTF-8 to string fields, which protobuf reports through its log: keep it quiet.
class QuietProtobufLog
{
public:
    QuietProtobufLog() { QLoggingCategory::setFilterRules(u"clinicflow.proto.warning=false"_s); }
    ~QuietProtobufLog() { QLoggingCategory::setFilterRules(QString()); }
    Q_DISABLE_COPY_MOVE(QuietProtobufLog)
};

// Whatever decode accepted must be usable by the code that runs next: conversions answer with values too.
void convertEverything(const v1::Envelope &e)
{
    switch (e.body_case()) {
    case v1::Envelope::kSubmit:
        (void)fromProto(e.submit());
        break;
    case v1::Envelope::kEvent:
        (void)fromProto(e.event());
        break;
    case v1::Envelope::kEventBatch:
        for (const v1::Event &event : e.event_batch().events())
            (void)fromProto(event);
        break;
    case v1::Envelope::kWelcome:
        (void)fromProto(e.welcome().catalogue());
        break;
    case v1::Envelope::kRejected:
        (void)fromProto(e.rejected());
        break;
    case v1::Envelope::kError:
        (void)fromProto(e.error());
        break;
    case v1::Envelope::kHello:
        (void)fromProto(e.hello().role());
        break;
    default:
        break;
    }
}

} // namespace

class TestProtocolCodec : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { installProtobufLogHandler(); }
    void theLargestValidCommandFitsTheInboundLimit();

    void roundTrip_data();
    void roundTrip();
    void everyBodyHasASample();
    void truncated_data() { roundTrip_data(); }
    void truncated();
    void randomBytes();
    void mutatedBytes();
    void oversized();
    void sizeLimitIsInclusive();
    void emptyInput();
    void noBody();
    void newerBodyType();
    void unknownFieldsSurvive();
    void invalidUtf8IsMalformed();
    void protobufLogGoesToCategory();
    void qByteArrayOverload();
    void storedEventsMakeABatch();
};

void TestProtocolCodec::roundTrip_data()
{
    QTest::addColumn<int>("bodyField");
    for (int field : bodyFields())
        QTest::newRow(v1::Envelope::descriptor()->FindFieldByNumber(field)->name().c_str()) << field;
}

void TestProtocolCodec::roundTrip()
{
    QFETCH(int, bodyField);
    const v1::Envelope original = sampleEnvelope(bodyField);
    QCOMPARE(int(original.body_case()), bodyField);

    const std::string bytes = encode(original);
    const domain::Result<v1::Envelope> decoded = decode(bytes);
    QVERIFY2(decoded.ok(), why(decoded).constData());
    QVERIFY(MessageDifferencer::Equals(original, decoded.value()));
    QCOMPARE(encode(decoded.value()), bytes);
    QCOMPARE(QByteArray(bodyName(decoded.value())), QByteArray(QTest::currentDataTag()));
}

void TestProtocolCodec::everyBodyHasASample()
{
    // Guards roundTrip's data: it comes from the descriptor, so this fails only if the oneof itself went missing.
    QCOMPARE(bodyFields().size(), 15);
    QCOMPARE(QByteArray(bodyName(v1::Envelope())), QByteArray("none"));
}

void TestProtocolCodec::truncated()
{
    QFETCH(int, bodyField);
    const std::string bytes = encode(sampleEnvelope(bodyField));
    // The envelope's fields are written in number order: request_id first, the body last. Cutting right after
    // request_id leaves a well-formed envelope without a body; every other cut leaves broken bytes.
    v1::Envelope headerOnly;
    headerOnly.set_request_id(42);
    const std::size_t headerSize = encode(headerOnly).size();

    for (std::size_t length = 0; length < bytes.size(); ++length) {
        const domain::Result<v1::Envelope> r = decode(std::string_view(bytes.data(), length));
        QVERIFY2(!r.ok(), qPrintable(u"prefix of %1 bytes decoded"_s.arg(length)));
        const domain::ErrorCode expected =
            length == headerSize ? domain::ErrorCode::UnknownMessageType : domain::ErrorCode::MalformedMessage;
        QCOMPARE(r.code(), expected);
        QVERIFY(!r.error().detail.isEmpty());
    }
}

void TestProtocolCodec::randomBytes()
{
    QuietProtobufLog quiet;
    QRandomGenerator random(20240305);
    int accepted = 0;
    for (int i = 0; i < 4000; ++i) {
        // Mostly short buffers (where a valid tag is likeliest), some long ones, a few beyond a small limit.
        const int size = i % 10 == 0 ? random.bounded(0, 4096) : random.bounded(0, 64);
        QByteArray bytes(size, Qt::Uninitialized);
        for (char &c : bytes)
            c = char(random.bounded(256));
        const std::size_t limit = i % 7 == 0 ? 1024 : kMaxMessageSize;
        const domain::Result<v1::Envelope> r = decode(bytes, limit);
        if (r.ok()) {
            ++accepted;
            QVERIFY(r->body_case() != v1::Envelope::BODY_NOT_SET);
            convertEverything(r.value());
            continue;
        }
        const domain::ErrorCode code = r.code();
        QVERIFY2(code == domain::ErrorCode::MalformedMessage || code == domain::ErrorCode::UnknownMessageType ||
                     (code == domain::ErrorCode::MessageTooLarge && std::size_t(size) > limit),
                 domain::errorName(code));
    }
    qDebug() << "random buffers accepted as envelopes:" << accepted;
}

void TestProtocolCodec::mutatedBytes()
{
    // Random bytes rarely get past the first tag; flipping bytes of valid envelopes reaches the nested parsers
    // and, when the result still parses, the conversions.
    QuietProtobufLog quiet;
    QRandomGenerator random(7470);
    int accepted = 0;
    int refused = 0;
    for (int field : bodyFields()) {
        const std::string original = encode(sampleEnvelope(field));
        for (int i = 0; i < 300; ++i) {
            std::string bytes = original;
            const int flips = random.bounded(1, 4);
            for (int f = 0; f < flips; ++f)
                bytes[random.bounded(int(bytes.size()))] = char(random.bounded(256));
            const domain::Result<v1::Envelope> r = decode(bytes);
            if (r.ok()) {
                ++accepted;
                convertEverything(r.value());
                continue;
            }
            ++refused;
            QVERIFY(r.code() == domain::ErrorCode::MalformedMessage ||
                    r.code() == domain::ErrorCode::UnknownMessageType);
        }
    }
    // Both paths must have been taken, or the test exercised less than it claims.
    QVERIFY2(accepted > 0 && refused > 0, qPrintable(u"%1 accepted, %2 refused"_s.arg(accepted).arg(refused)));
}

void TestProtocolCodec::theLargestValidCommandFitsTheInboundLimit()
{
    // Every text field at its length limit, in Hangul (three bytes each in UTF-8): the largest command a station may
    // validly send must pass the gateway's frame limit, with room to spare.
    const auto text = [](int length) { return QString(length, QChar(0xAC00)); };
    domain::RegisterVisit visit;
    visit.receptionId = QUuid::createUuid();
    visit.ticket = domain::Ticket{u"A"_s, 1};
    visit.patient.name = text(domain::kMaxNameLength);
    visit.patient.patientNumber = text(domain::kMaxShortTextLength);
    visit.patient.phone = text(domain::kMaxShortTextLength);
    visit.patient.address = text(domain::kMaxLongTextLength);
    visit.patient.birthDate = QDate(1980, 1, 1);
    visit.department = text(domain::kMaxShortTextLength);
    visit.requestedDoctor = text(domain::kMaxShortTextLength);
    visit.chiefComplaint = text(domain::kMaxLongTextLength);
    QVERIFY(domain::validateShape(visit).ok());
    domain::CommandMeta meta;
    meta.commandId = QUuid::createUuid();
    meta.station = u"A"_s;
    meta.at = QDateTime::currentDateTimeUtc();
    v1::Envelope envelope;
    *envelope.mutable_submit() = toSubmit(meta, visit);
    envelope.set_request_id(~quint64(0));
    const std::string bytes = encode(envelope);
    QVERIFY2(bytes.size() < kMaxInboundMessageSize / 2, qPrintable(QString::number(bytes.size())));
    QVERIFY(decode(bytes, kMaxInboundMessageSize).ok());
}

void TestProtocolCodec::oversized()
{
    // Well-formed bytes past the limit: the answer must be the size, which proves it was checked before parsing.
    v1::Envelope big;
    big.mutable_error()->set_message(std::string(kMaxMessageSize, 'x'));
    const std::string bytes = encode(big);
    QVERIFY(bytes.size() > kMaxMessageSize);
    const domain::Result<v1::Envelope> r = decode(bytes);
    QCOMPARE(r.code(), domain::ErrorCode::MessageTooLarge);
    QVERIFY(r.error().detail.contains(QString::number(kMaxMessageSize)));

    const std::string garbage(kMaxMessageSize + 1, '\xff');
    QCOMPARE(decode(garbage).code(), domain::ErrorCode::MessageTooLarge);
}

void TestProtocolCodec::sizeLimitIsInclusive()
{
    const std::string bytes = encode(sampleEnvelope(v1::Envelope::kHello));
    QVERIFY(decode(bytes, bytes.size()).ok());
    QCOMPARE(decode(bytes, bytes.size() - 1).code(), domain::ErrorCode::MessageTooLarge);
}

void TestProtocolCodec::emptyInput()
{
    const domain::Result<v1::Envelope> r = decode(std::string_view());
    QCOMPARE(r.code(), domain::ErrorCode::MalformedMessage);
    QCOMPARE(r.error().detail, u"empty message"_s);
    QCOMPARE(decode(QByteArray()).code(), domain::ErrorCode::MalformedMessage);
}

void TestProtocolCodec::noBody()
{
    v1::Envelope e;
    e.set_request_id(9);
    const domain::Result<v1::Envelope> r = decode(encode(e));
    QCOMPARE(r.code(), domain::ErrorCode::UnknownMessageType);
    QCOMPARE(r.error().detail, u"envelope has no body"_s);
}

void TestProtocolCodec::newerBodyType()
{
    // What a newer peer's body looks like to this build: a length-delimited field it has no name for.
    v1::Envelope e;
    e.set_request_id(9);
    e.GetReflection()->MutableUnknownFields(&e)->AddLengthDelimited(57, "\x08\x01");
    const domain::Result<v1::Envelope> r = decode(encode(e));
    QCOMPARE(r.code(), domain::ErrorCode::UnknownMessageType);
    QVERIFY2(r.error().detail.contains(u"field 57"_s), why(r).constData());
}

void TestProtocolCodec::unknownFieldsSurvive()
{
    // A newer station adds fields to Hello and to the envelope; an older relay must pass them on untouched.
    v1::Envelope e = sampleEnvelope(v1::Envelope::kHello);
    e.mutable_hello()->GetReflection()->MutableUnknownFields(e.mutable_hello())->AddVarint(100, 4242);
    e.GetReflection()->MutableUnknownFields(&e)->AddLengthDelimited(2000, "future");
    const std::string bytes = encode(e);

    const domain::Result<v1::Envelope> r = decode(bytes);
    QVERIFY2(r.ok(), why(r).constData());
    const google::protobuf::UnknownFieldSet &inHello = r->hello().GetReflection()->GetUnknownFields(r->hello());
    QCOMPARE(inHello.field_count(), 1);
    QCOMPARE(inHello.field(0).number(), 100);
    QCOMPARE(inHello.field(0).varint(), quint64(4242));
    const google::protobuf::UnknownFieldSet &top = r->GetReflection()->GetUnknownFields(r.value());
    QCOMPARE(top.field_count(), 1);
    QCOMPARE(top.field(0).length_delimited(), std::string("future"));

    QCOMPARE(encode(r.value()), bytes);
}

void TestProtocolCodec::invalidUtf8IsMalformed()
{
    QuietProtobufLog quiet;
    const std::string bytes = helloWithInvalidStation();
    QVERIFY(bytes.find('\xff') != std::string::npos);
    QCOMPARE(decode(bytes).code(), domain::ErrorCode::MalformedMessage);
}

void TestProtocolCodec::protobufLogGoesToCategory()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"protobuf:.*clinicflow\\.v1\\.Hello\\.station"_s));
    QCOMPARE(decode(helloWithInvalidStation()).code(), domain::ErrorCode::MalformedMessage);
}

void TestProtocolCodec::qByteArrayOverload()
{
    const std::string bytes = encode(sampleEnvelope(v1::Envelope::kPing));
    const domain::Result<v1::Envelope> r = decode(QByteArray::fromStdString(bytes));
    QVERIFY(r.ok());
    QCOMPARE(r->ping().nonce(), quint64(7));
}

// What PUB carries on a role's topic: a run of stored events, each given its sequence, and the last as the head.
void TestProtocolCodec::storedEventsMakeABatch()
{
    std::vector<std::string> stored;
    std::vector<v1::Event> expected;
    std::vector<StoredEvent> run;
    for (quint64 sequence : {127ull, 128ull, 70000ull}) { // one, two and three varint bytes
        v1::Event e = toProto(sampleEvent(0, domain::VisitClosed{kVisit}));
        e.clear_sequence();
        stored.push_back(e.SerializeAsString());
        e.set_sequence(sequence);
        expected.push_back(e);
    }
    for (std::size_t i = 0; i < stored.size(); ++i)
        run.push_back({expected[i].sequence(), stored[i]});
    const domain::Result<v1::Envelope> r = decode(encodeStoredEventBatch(run, 70000));
    QVERIFY(r.ok());
    QVERIFY(r->has_event_batch());
    const v1::EventBatch &batch = r->event_batch();
    QCOMPARE(batch.events_size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(batch.events(i).SerializeAsString(), expected[std::size_t(i)].SerializeAsString());
    QCOMPARE(batch.head_sequence(), quint64(70000));
    QVERIFY(!batch.more());
    // An empty run still says where the log stands.
    const domain::Result<v1::Envelope> empty = decode(encodeStoredEventBatch({}, 5));
    QVERIFY(empty.ok());
    QCOMPARE(empty->event_batch().events_size(), 0);
    QCOMPARE(empty->event_batch().head_sequence(), quint64(5));
}

QTEST_GUILESS_MAIN(TestProtocolCodec)
#include "TestProtocolCodec.moc"
