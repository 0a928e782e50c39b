// libFuzzer entry for the wire codec: arbitrary bytes through decode and, when they decode, through every
// conversion and back. Nothing may crash, leak or throw, and a value that converted must convert back to itself.
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <QLoggingCategory>
#include <cstddef>
#include <cstdint>

using namespace clinicflow;
using namespace clinicflow::proto;

namespace {

// Domain -> wire -> domain is the identity for anything the wire side accepted.
template<typename Wire>
void checkStable(const Wire &wire)
{
    const auto first = fromProto(wire);
    if (!first.ok())
        return;
    const auto second = fromProto(toProto(first.value()));
    if (!second.ok() || !(second.value() == first.value()))
        __builtin_trap();
}

void checkSubmit(const v1::Submit &submit)
{
    const domain::Result<SubmittedCommand> first = fromProto(submit);
    if (!first.ok())
        return;
    const domain::Result<SubmittedCommand> second = fromProto(toSubmit(first->meta, first->command));
    if (!second.ok() || !(second->command == first->command) || second->meta.commandId != first->meta.commandId ||
        second->meta.at != first->meta.at)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    [[maybe_unused]] static const bool quiet = [] {
        installProtobufLogHandler();
        QLoggingCategory::setFilterRules(QStringLiteral("clinicflow.proto.warning=false"));
        return true;
    }();

    const domain::Result<v1::Envelope> decoded = decode(std::string_view(reinterpret_cast<const char *>(data), size));
    if (!decoded.ok())
        return 0;
    const v1::Envelope &envelope = decoded.value();
    if (envelope.body_case() == v1::Envelope::BODY_NOT_SET)
        __builtin_trap();

    switch (envelope.body_case()) {
    case v1::Envelope::kSubmit:
        checkSubmit(envelope.submit());
        break;
    case v1::Envelope::kEvent:
        checkStable(envelope.event());
        break;
    case v1::Envelope::kEventBatch:
        for (const v1::Event &event : envelope.event_batch().events())
            checkStable(event);
        break;
    case v1::Envelope::kWelcome:
        checkStable(envelope.welcome().catalogue());
        break;
    case v1::Envelope::kRejected:
        (void)fromProto(envelope.rejected());
        break;
    case v1::Envelope::kError:
        (void)fromProto(envelope.error());
        break;
    default:
        break;
    }

    // What was accepted re-encodes into bytes that decode again (re-encoding can only drop duplicates).
    if (!decode(encode(envelope), SIZE_MAX).ok())
        __builtin_trap();
    return 0;
}
