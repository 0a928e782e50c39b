// Bytes <-> Envelope for one ZeroMQ frame. The only place that parses bytes from the network, so it is where size,
// parse success and a known body are checked (ARCHITECTURE §10): decode never throws and never trusts its input.
#pragma once

#include "clinicflow/v1/envelope.pb.h"
#include "domain/Result.h"

#include <QByteArray>
#include <QLoggingCategory>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace clinicflow::proto {

Q_DECLARE_LOGGING_CATEGORY(lcProto)

// The version this build speaks, sent in Hello and Welcome. Raise it only for a change an older peer would
// misread; adding fields or body types does not need it.
inline constexpr quint32 kProtocolVersion = 1;

// Largest envelope accepted. Senders of pages (EventBatch, Snapshot) keep each one under it.
inline constexpr std::size_t kMaxMessageSize = std::size_t{1} << 20;

// Largest envelope a station may send (Hello, Ping, Fetch*, Submit): the largest valid command with every text field
// at its length limit in three-byte UTF-8 is about 27 KiB (TestProtocolCodec checks it fits). The gateway gives this
// limit to libzmq too, so a larger frame never takes the server's memory.
inline constexpr std::size_t kMaxInboundMessageSize = std::size_t{64} << 10;

std::string encode(const v1::Envelope &envelope);

// Envelope{event_batch = EventBatch{events, head_sequence}}, built from the events' stored bytes without parsing
// them: protobuf reads a field appended after the others as if it stood first (Event.sequence is field 1). What the
// server publishes, a run of its log per message (each subscriber then decrypts and reads one message per run, not
// one per event), at the cost of a copy.
struct StoredEvent
{
    quint64 sequence = 0;
    std::string_view bytes; // a clinicflow.v1.Event without its sequence
};
std::string encodeStoredEventBatch(const std::vector<StoredEvent> &events, quint64 headSequence);

// Errors: MessageTooLarge (checked before parsing), MalformedMessage (empty or unparseable bytes),
// UnknownMessageType (no body, or a body type from a newer peer). Unknown fields inside a known body are kept.
domain::Result<v1::Envelope> decode(std::string_view bytes, std::size_t maxSize = kMaxMessageSize);
domain::Result<v1::Envelope> decode(const QByteArray &bytes, std::size_t maxSize = kMaxMessageSize);

// The body's field name ("submit", "event_batch"), or "none": for logs, never containing payload data.
const char *bodyName(const v1::Envelope &envelope);

// Sends protobuf's own log lines (e.g. a peer's invalid UTF-8) to lcProto instead of stderr. Call once from main();
// it replaces a process-wide handler.
void installProtobufLogHandler();

} // namespace clinicflow::proto
