// Envelope framing: size first, then parse, then the body check; every failure becomes an error value.
#include "Codec.h"

#include <QStringList>
#include <algorithm>
#include <climits>
#include <exception>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/unknown_field_set.h>

namespace clinicflow::proto {

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcProto, "clinicflow.proto")

namespace {

// Field numbers the peer sent at the envelope's top level that this build does not know: where a newer body lands.
QString unknownFieldNumbers(const v1::Envelope &envelope)
{
    const google::protobuf::UnknownFieldSet &unknown = envelope.GetReflection()->GetUnknownFields(envelope);
    QStringList numbers;
    for (int i = 0; i < unknown.field_count() && numbers.size() < 8; ++i)
        numbers.append(QString::number(unknown.field(i).number()));
    return numbers.join(u", "_s);
}

domain::Result<v1::Envelope> parse(const char *data, std::size_t size, std::size_t maxSize)
{
    // Before anything else: a peer must not make us allocate or parse more than the limit.
    const std::size_t limit = std::min<std::size_t>(maxSize, INT_MAX);
    if (size > limit) {
        return domain::makeError(domain::ErrorCode::MessageTooLarge,
                                 u"%1 bytes, limit %2"_s.arg(qulonglong(size)).arg(qulonglong(limit)));
    }
    if (size == 0)
        return domain::makeError(domain::ErrorCode::MalformedMessage, u"empty message"_s);

    v1::Envelope envelope;
    if (!envelope.ParseFromArray(data, static_cast<int>(size))) {
        return domain::makeError(domain::ErrorCode::MalformedMessage,
                                 u"%1 bytes are not a clinicflow.v1.Envelope"_s.arg(qulonglong(size)));
    }
    if (envelope.body_case() == v1::Envelope::BODY_NOT_SET) {
        const QString unknown = unknownFieldNumbers(envelope);
        return domain::makeError(domain::ErrorCode::UnknownMessageType,
                                 unknown.isEmpty()
                                     ? u"envelope has no body"_s
                                     : u"envelope body is newer than this build (field %1)"_s.arg(unknown));
    }
    return envelope;
}

} // namespace

namespace {

void appendVarint(std::string &out, quint64 value)
{
    while (value >= 0x80) {
        out.push_back(char((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(char(value));
}

} // namespace

std::string encodeStoredEventBatch(const std::vector<StoredEvent> &events, quint64 headSequence)
{
    static_assert(v1::EventBatch::kEventsFieldNumber == 1 && v1::EventBatch::kHeadSequenceFieldNumber == 2 &&
                  v1::Envelope::kEventBatchFieldNumber == 31);
    std::string batch;
    std::string sequence;
    for (const StoredEvent &e : events) {
        sequence.assign(1, char(1 << 3)); // Event.sequence: field 1, varint
        appendVarint(sequence, e.sequence);
        appendVarint(batch, (1u << 3) | 2u); // EventBatch.events: field 1, length-delimited
        appendVarint(batch, e.bytes.size() + sequence.size());
        batch.append(e.bytes);
        batch += sequence;
    }
    batch.push_back(char(2 << 3)); // EventBatch.head_sequence: field 2, varint
    appendVarint(batch, headSequence);
    std::string envelope;
    envelope.reserve(batch.size() + 8);
    appendVarint(envelope, (31u << 3) | 2u); // Envelope.event_batch: field 31, length-delimited
    appendVarint(envelope, batch.size());
    envelope += batch;
    return envelope;
}

std::string encode(const v1::Envelope &envelope)
{
    // Proto3 has no required fields and our messages stay far below 2 GiB, so serialising cannot fail.
    return envelope.SerializeAsString();
}

domain::Result<v1::Envelope> decode(std::string_view bytes, std::size_t maxSize)
{
    // Protobuf does not throw by design; an allocation failure still must not unwind through a Qt event loop.
    try {
        return parse(bytes.data(), bytes.size(), maxSize);
    } catch (const std::exception &e) {
        return domain::makeError(domain::ErrorCode::InternalError, QString::fromUtf8(e.what()));
    }
}

domain::Result<v1::Envelope> decode(const QByteArray &bytes, std::size_t maxSize)
{
    return decode(std::string_view(bytes.constData(), std::size_t(bytes.size())), maxSize);
}

const char *bodyName(const v1::Envelope &envelope)
{
    if (envelope.body_case() == v1::Envelope::BODY_NOT_SET)
        return "none";
    const google::protobuf::FieldDescriptor *field =
        v1::Envelope::descriptor()->FindFieldByNumber(static_cast<int>(envelope.body_case()));
    return field ? field->name().c_str() : "unknown";
}

void installProtobufLogHandler()
{
    google::protobuf::SetLogHandler(
        [](google::protobuf::LogLevel level, const char *file, int line, const std::string &message) {
            const QString text = QString::fromStdString(message);
            switch (level) {
            case google::protobuf::LOGLEVEL_INFO:
                qCDebug(lcProto).noquote() << "protobuf:" << text << file << line;
                break;
            case google::protobuf::LOGLEVEL_WARNING:
            case google::protobuf::LOGLEVEL_ERROR:
                qCWarning(lcProto).noquote() << "protobuf:" << text << file << line;
                break;
            case google::protobuf::LOGLEVEL_FATAL:
                qCCritical(lcProto).noquote() << "protobuf:" << text << file << line;
                break;
            }
        });
}

} // namespace clinicflow::proto
