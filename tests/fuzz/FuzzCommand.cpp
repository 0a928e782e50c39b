// libFuzzer entry for the command validator: arbitrary bytes as a clinicflow.v1.Submit, through fromProto and every
// rule the gateway and the context workers apply before a command is stored or decided: validateShape, the
// registration's fields against the built-in catalogue (validateRegistration, checkRegistrationFields) and the time
// window (checkActedAt). Nothing may crash, leak or overflow; the rules must agree with each other; a command that
// passed its shape holds no text longer or with characters its rules forbid, and survives toSubmit -> fromProto
// unchanged.
#include "domain/ActedAt.h"
#include "domain/Catalogue.h"
#include "domain/Commands.h"
#include "domain/RegistrationFields.h"
#include "domain/Rules.h"
#include "domain/TextRules.h"
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <QLoggingCategory>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

using namespace clinicflow;
using namespace clinicflow::domain;

namespace {

// A fixed "now" keeps every run of an input the same: 2025-03-14 09:26:53 UTC.
constexpr qint64 kServerNowMs = 1741944413000;

struct Text
{
    const QString *text;
    int maxLength;
    TextKind kind;
};

// Every text a command carries, with the length and the characters its shape allows (Commands.cpp,
// RegistrationFields.cpp). Listed here independently: a field the validator forgot shows up as a trap below.
std::vector<Text> textsOf(const Command &command)
{
    const auto free = TextKind::FreeText;
    const auto name = TextKind::Name;
    return std::visit(
        [&](const auto &c) -> std::vector<Text> {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, RegisterVisit>)
                return {{&c.patient.name, kMaxNameLength, name},
                        {&c.patient.patientNumber, kMaxShortTextLength, name},
                        {&c.patient.phone, kMaxShortTextLength, name},
                        {&c.patient.address, kMaxLongTextLength, free},
                        {&c.department, kMaxShortTextLength, name},
                        {&c.requestedDoctor, kMaxShortTextLength, name},
                        {&c.chiefComplaint, kMaxLongTextLength, free}};
            else if constexpr (std::is_same_v<T, CancelVisit> || std::is_same_v<T, CancelExamination>)
                return {{&c.reason, kMaxShortTextLength, free}};
            else if constexpr (std::is_same_v<T, ConfirmOutcome>)
                return {};
            else if constexpr (std::is_same_v<T, PrescribeExamination>)
                return {{&c.code, kMaxShortTextLength, name}, {&c.note, kMaxLongTextLength, free}};
            else if constexpr (std::is_same_v<T, HandOverVisit>)
                return {{&c.toDoctor, kMaxShortTextLength, name}, {&c.note, kMaxLongTextLength, free}};
            else if constexpr (std::is_same_v<T, PerformExamination>)
                return {{&c.result, kMaxLongTextLength, free}};
            else
                return {{&c.note, kMaxLongTextLength, free}};
        },
        command);
}

void checkError(const Result<bool> &result)
{
    if (!result.ok() && (result.error().code == ErrorCode::None || result.error().message().isEmpty()))
        __builtin_trap();
}

void checkRegistration(const RegisterVisit &command, const QDate &today, bool shapeOk)
{
    static const Catalogue catalogue = Catalogue::builtIn();
    const Result<bool> registration = validateRegistration(command, catalogue, today);
    checkError(registration);
    const QList<FieldError> shapeErrors = registrationShapeErrors(command);
    const QList<FieldError> fields = checkRegistrationFields(command, catalogue, today);
    for (const FieldError &field : fields)
        if (field.error.code == ErrorCode::None)
            __builtin_trap();
    // The desk's form and the server judge by the same rules: the form shows no error exactly when both pass
    // (ids aside, which the form does not show), and the shape passes exactly when its fields do.
    if (fields.isEmpty() != (shapeErrors.isEmpty() && registration.ok()))
        __builtin_trap();
    if (!command.receptionId.isNull() && shapeOk != shapeErrors.isEmpty())
        __builtin_trap();
    // A registration the form accepts names a department (and any doctor) of the catalogue.
    if (fields.isEmpty()) {
        if (!catalogue.department(command.department))
            __builtin_trap();
        if (!command.requestedDoctor.isEmpty() && !catalogue.doctor(command.requestedDoctor))
            __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    [[maybe_unused]] static const bool quiet = [] {
        proto::installProtobufLogHandler();
        QLoggingCategory::setFilterRules(QStringLiteral("clinicflow.proto.warning=false"));
        return true;
    }();
    if (size > proto::kMaxMessageSize)
        return 0;

    v1::Submit submit;
    if (!submit.ParseFromArray(data, int(size)))
        return 0;

    // The time window is judged on the raw at_ms, before (and whatever) the conversion says.
    checkError(checkActedAt(submit.at_ms(), kServerNowMs));
    checkError(checkActedAt(submit.at_ms(), submit.at_ms()));
    if (submit.at_ms() != 0 && submit.at_ms() != std::numeric_limits<qint64>::min() &&
        !checkActedAt(submit.at_ms(), submit.at_ms() - 1).ok())
        __builtin_trap(); // a millisecond ahead of the server is always within the window

    const Result<proto::SubmittedCommand> converted = proto::fromProto(submit);
    if (!converted.ok()) {
        if (converted.error().code == ErrorCode::None)
            __builtin_trap();
        return 0;
    }
    const CommandMeta &meta = converted->meta;
    const Command &command = converted->command;
    if (commandName(command).isEmpty())
        __builtin_trap();
    (void)commandRole(command);
    (void)commandContext(command);

    const Result<bool> shape = validateShape(command);
    checkError(shape);
    if (shape.ok()) {
        if (commandTarget(command).isNull())
            __builtin_trap();
        for (const Text &t : textsOf(command))
            if (t.text->size() > t.maxLength || characterError(*t.text, t.kind, u"field"))
                __builtin_trap();
    }

    if (const auto *registration = std::get_if<RegisterVisit>(&command)) {
        // As the reception worker judges it: against the UTC day of the command.
        const QDate today = meta.at.isValid() ? meta.at.toUTC().date() : QDate(2025, 3, 14);
        checkRegistration(*registration, today, shape.ok());
    }

    if (shape.ok()) {
        const Result<proto::SubmittedCommand> again = proto::fromProto(proto::toSubmit(meta, command));
        if (!again.ok() || !(again->command == command) || again->meta.commandId != meta.commandId ||
            again->meta.station != meta.station || again->meta.at != meta.at)
            __builtin_trap();
        if (!validateShape(again->command).ok())
            __builtin_trap();
    }
    return 0;
}
