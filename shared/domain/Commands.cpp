#include "Commands.h"

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
    else if constexpr (std::is_same_v<T, PerformExamination>)
        return {u"PerformExamination", R::Examiner, C::Examination};
    else
        return {u"CancelExamination", R::Examiner, C::Examination};
}

CommandTraits traits(const Command &c)
{
    return std::visit([](const auto &cmd) { return traitsOf<std::decay_t<decltype(cmd)>>(); }, c);
}

Result<bool> bounded(const QString &text, int maxLength, const char16_t *field)
{
    if (text.size() > maxLength)
        return makeError(ErrorCode::FieldTooLong,
                         u"%1 is longer than %2 characters"_s.arg(QStringView(field)).arg(maxLength));
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

// A birth date, or when it is unknown an optional estimated age: never both, each within what a person can be.
// The details name the rule, never the date: a birth date is personal data.
Result<bool> birthOf(const Patient &p)
{
    if (!p.birthDate.isNull()) {
        if (!p.birthDate.isValid() || p.birthDate.year() < kEarliestBirthYear)
            return makeError(ErrorCode::InvalidBirthDate, u"before %1"_s.arg(kEarliestBirthYear));
        if (p.estimatedAgeYears)
            return makeError(ErrorCode::InvalidBirthDate, u"a birth date and an estimated age"_s);
        return true;
    }
    if (p.estimatedAgeYears && (*p.estimatedAgeYears < 0 || *p.estimatedAgeYears > kMaxEstimatedAge))
        return makeError(ErrorCode::InvalidBirthDate, u"estimated age over %1"_s.arg(kMaxEstimatedAge));
    return true;
}

Result<bool> shapeOf(const RegisterVisit &c)
{
    const Patient &p = c.patient;
    return all([&] { return c.ticket.isValid() ? Result<bool>(true) : makeError(ErrorCode::InvalidTicket); },
               [&] { return required(p.name, ErrorCode::PatientNameRequired); },
               [&] { return bounded(p.name, kMaxNameLength, u"patient name"); },
               [&] { return bounded(p.patientNumber, kMaxShortTextLength, u"patient number"); },
               [&] { return bounded(p.phone, kMaxShortTextLength, u"phone"); },
               [&] { return bounded(p.address, kMaxLongTextLength, u"address"); }, [&] { return birthOf(p); },
               [&] { return required(c.department, ErrorCode::UnknownDepartment); },
               [&] { return bounded(c.department, kMaxShortTextLength, u"department"); },
               [&] { return bounded(c.requestedDoctor, kMaxShortTextLength, u"requested doctor"); },
               [&] { return required(c.chiefComplaint, ErrorCode::ChiefComplaintRequired); },
               [&] { return bounded(c.chiefComplaint, kMaxLongTextLength, u"chief complaint"); });
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
        [&] { return bounded(c.code, kMaxShortTextLength, u"examination code"); },
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
