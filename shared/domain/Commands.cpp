#include "Commands.h"

#include "RegistrationFields.h"
#include "TextRules.h"

using namespace Qt::StringLiterals;

namespace clinicflow::domain {
namespace {

struct CommandTraits
{
    const char16_t *name;
    Role role;
    BoundedContext context;
};

template<typename T>
constexpr CommandTraits traitsOf()
{
    using R = Role;
    using C = BoundedContext;
    if constexpr (std::is_same_v<T, RegisterVisit>)
        return {u"RegisterVisit", R::Receptionist, C::Reception};
    else if constexpr (std::is_same_v<T, CancelVisit>)
        return {u"CancelVisit", R::Receptionist, C::Reception};
    else if constexpr (std::is_same_v<T, ConfirmOutcome>)
        return {u"ConfirmOutcome", R::Receptionist, C::Reception};
    else if constexpr (std::is_same_v<T, PrescribeExamination>)
        return {u"PrescribeExamination", R::Doctor, C::Diagnosis};
    else if constexpr (std::is_same_v<T, ReviewResults>)
        return {u"ReviewResults", R::Doctor, C::Diagnosis};
    else if constexpr (std::is_same_v<T, CompleteTreatment>)
        return {u"CompleteTreatment", R::Doctor, C::Diagnosis};
    else if constexpr (std::is_same_v<T, RefuseTreatment>)
        return {u"RefuseTreatment", R::Doctor, C::Diagnosis};
    else if constexpr (std::is_same_v<T, HandOverVisit>)
        return {u"HandOverVisit", R::Doctor, C::Diagnosis};
    else if constexpr (std::is_same_v<T, PerformExamination>)
        return {u"PerformExamination", R::Examiner, C::Examination};
    else
        return {u"CancelExamination", R::Examiner, C::Examination};
}

CommandTraits traits(const Command &c)
{
    return std::visit([](const auto &cmd) { return traitsOf<std::decay_t<decltype(cmd)>>(); }, c);
}

// Within its length, and holding only the characters its kind allows (TextRules.h).
Result<bool> bounded(const QString &text, int maxLength, const char16_t *field, TextKind kind = TextKind::FreeText)
{
    if (text.size() > maxLength)
        return makeError(ErrorCode::FieldTooLong,
                         u"%1 is longer than %2 characters"_s.arg(QStringView(field)).arg(maxLength));
    if (auto invalid = characterError(text, kind, field))
        return *invalid;
    return true;
}

Result<bool> required(const QString &text, ErrorCode code)
{
    if (text.trimmed().isEmpty())
        return makeError(code);
    return true;
}

// Runs checks in order and keeps the first failure.
template<typename... Checks>
Result<bool> all(Checks &&...checks)
{
    Result<bool> result = true;
    ((result.ok() ? (void)(result = checks()) : (void)0), ...);
    return result;
}

Result<bool> shapeOf(const RegisterVisit &c)
{
    // Field by field, as the desk's form shows them (RegistrationFields.h); the first failure refuses the command.
    const QList<FieldError> errors = registrationShapeErrors(c);
    if (!errors.isEmpty())
        return errors.front().error;
    return true;
}

Result<bool> shapeOf(const CancelVisit &c)
{
    return bounded(c.reason, kMaxShortTextLength, u"reason");
}
Result<bool> shapeOf(const ConfirmOutcome &)
{
    return true;
}
Result<bool> shapeOf(const PrescribeExamination &c)
{
    return all(
        [&] {
            return c.examinationId.isNull() ? makeError(ErrorCode::MissingId, u"examination id"_s) : Result<bool>(true);
        },
        [&] { return required(c.code, ErrorCode::UnknownExaminationCode); },
        [&] { return bounded(c.code, kMaxShortTextLength, u"examination code", TextKind::Name); },
        [&] { return bounded(c.note, kMaxLongTextLength, u"note"); });
}
Result<bool> shapeOf(const ReviewResults &c)
{
    return bounded(c.note, kMaxLongTextLength, u"note");
}
Result<bool> shapeOf(const CompleteTreatment &c)
{
    return bounded(c.note, kMaxLongTextLength, u"note");
}
Result<bool> shapeOf(const RefuseTreatment &c)
{
    return bounded(c.note, kMaxLongTextLength, u"note");
}
Result<bool> shapeOf(const HandOverVisit &c)
{
    return all([&] { return required(c.toDoctor, ErrorCode::UnknownDoctor); },
               [&] { return bounded(c.toDoctor, kMaxShortTextLength, u"doctor", TextKind::Name); },
               [&] { return bounded(c.note, kMaxLongTextLength, u"note"); });
}
Result<bool> shapeOf(const PerformExamination &c)
{
    return all([&] { return required(c.result, ErrorCode::ResultRequired); },
               [&] { return bounded(c.result, kMaxLongTextLength, u"result"); });
}
Result<bool> shapeOf(const CancelExamination &c)
{
    return all([&] { return required(c.reason, ErrorCode::ReasonRequired); },
               [&] { return bounded(c.reason, kMaxShortTextLength, u"reason"); });
}

} // namespace

QString commandName(const Command &c)
{
    return QString::fromUtf16(traits(c).name);
}

Role commandRole(const Command &c)
{
    return traits(c).role;
}

BoundedContext commandContext(const Command &c)
{
    return traits(c).context;
}

QUuid commandTarget(const Command &c)
{
    return std::visit(
        [](const auto &cmd) -> QUuid {
            using T = std::decay_t<decltype(cmd)>;
            if constexpr (requires { cmd.receptionId; })
                return cmd.receptionId;
            else if constexpr (std::is_same_v<T, PrescribeExamination> || requires { cmd.diagnosisId; })
                return cmd.diagnosisId;
            else
                return cmd.examinationId;
        },
        c);
}

Result<bool> validateShape(const Command &c)
{
    if (commandTarget(c).isNull())
        return makeError(ErrorCode::MissingId, commandName(c));
    return std::visit([](const auto &cmd) { return shapeOf(cmd); }, c);
}

} // namespace clinicflow::domain
