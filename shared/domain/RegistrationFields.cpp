// The registration's field checks (see RegistrationFields.h).
#include "RegistrationFields.h"

#include "TextRules.h"

using namespace Qt::StringLiterals;

namespace clinicflow::domain {
namespace {

std::optional<Error> tooLong(const QString &text, int maxLength, const char16_t *field)
{
    if (text.size() > maxLength)
        return makeError(ErrorCode::FieldTooLong,
                         u"%1 is longer than %2 characters"_s.arg(QStringView(field)).arg(maxLength));
    return std::nullopt;
}

std::optional<Error> missing(const QString &text, ErrorCode code)
{
    if (text.trimmed().isEmpty())
        return makeError(code);
    return std::nullopt;
}

// A birth date, or when it is unknown an optional estimated age: never both, each within what a person can be.
// The details name the rule, never the date: a birth date is personal data.
std::optional<Error> birthOf(const Patient &p)
{
    if (!p.birthDate.isNull()) {
        if (!p.birthDate.isValid() || p.birthDate.year() < kEarliestBirthYear)
            return makeError(ErrorCode::InvalidBirthDate, u"before %1"_s.arg(kEarliestBirthYear));
        if (p.estimatedAgeYears)
            return makeError(ErrorCode::InvalidBirthDate, u"a birth date and an estimated age"_s);
        return std::nullopt;
    }
    if (p.estimatedAgeYears && (*p.estimatedAgeYears < 0 || *p.estimatedAgeYears > kMaxEstimatedAge))
        return makeError(ErrorCode::InvalidBirthDate, u"estimated age over %1"_s.arg(kMaxEstimatedAge));
    return std::nullopt;
}

} // namespace

QList<FieldError> registrationShapeErrors(const RegisterVisit &c)
{
    using F = RegistrationField;
    const Patient &p = c.patient;
    const std::pair<F, std::optional<Error>> checks[] = {
        {F::Ticket, c.ticket.isValid() ? std::nullopt : std::optional(makeError(ErrorCode::InvalidTicket))},
        {F::PatientName, missing(p.name, ErrorCode::PatientNameRequired)},
        {F::PatientName, tooLong(p.name, kMaxNameLength, u"patient name")},
        {F::PatientName, characterError(p.name, TextKind::Name, u"patient name")},
        {F::PatientNumber, tooLong(p.patientNumber, kMaxShortTextLength, u"patient number")},
        {F::PatientNumber, characterError(p.patientNumber, TextKind::Name, u"patient number")},
        {F::Phone, tooLong(p.phone, kMaxShortTextLength, u"phone")},
        {F::Phone, characterError(p.phone, TextKind::Name, u"phone")},
        {F::Address, tooLong(p.address, kMaxLongTextLength, u"address")},
        {F::Address, characterError(p.address, TextKind::FreeText, u"address")},
        {F::BirthDate, birthOf(p)},
        {F::Department, missing(c.department, ErrorCode::UnknownDepartment)},
        {F::Department, tooLong(c.department, kMaxShortTextLength, u"department")},
        {F::Department, characterError(c.department, TextKind::Name, u"department")},
        {F::Doctor, tooLong(c.requestedDoctor, kMaxShortTextLength, u"requested doctor")},
        {F::Doctor, characterError(c.requestedDoctor, TextKind::Name, u"requested doctor")},
        {F::ChiefComplaint, missing(c.chiefComplaint, ErrorCode::ChiefComplaintRequired)},
        {F::ChiefComplaint, tooLong(c.chiefComplaint, kMaxLongTextLength, u"chief complaint")},
        {F::ChiefComplaint, characterError(c.chiefComplaint, TextKind::FreeText, u"chief complaint")},
    };
    QList<FieldError> errors;
    for (const auto &[field, error] : checks) {
        if (error)
            errors.append(FieldError{field, *error});
    }
    return errors;
}

QList<FieldError> registrationCatalogueErrors(const RegisterVisit &c, const Catalogue &catalogue, const QDate &today)
{
    using F = RegistrationField;
    QList<FieldError> errors;
    // `today` is the UTC day of the command, and east of UTC the desk's own day may already be the next one (a baby
    // born at 01:00 in Seoul is born "tomorrow" in UTC): a birth date may be one day after it, never more. The detail
    // names the rule, not the date: a birth date is personal data.
    if (today.isValid() && c.patient.birthDate.isValid() && c.patient.birthDate > today.addDays(1))
        errors.append({F::BirthDate, makeError(ErrorCode::InvalidBirthDate, u"after the day of the visit"_s)});
    if (!catalogue.department(c.department)) {
        errors.append({F::Department, makeError(ErrorCode::UnknownDepartment, c.department)});
        return errors; // the doctor can only be judged within a known department
    }
    if (!c.requestedDoctor.isEmpty()) {
        const Doctor *doctor = catalogue.doctor(c.requestedDoctor);
        if (!doctor)
            errors.append({F::Doctor, makeError(ErrorCode::UnknownDoctor, c.requestedDoctor)});
        else if (doctor->department != c.department)
            errors.append({F::Doctor, makeError(ErrorCode::DoctorNotInDepartment, c.requestedDoctor)});
    } else if (catalogue.doctorsOf(c.department).isEmpty()) {
        errors.append({F::Department, makeError(ErrorCode::NoDoctorAvailable, c.department)});
    }
    return errors;
}

QList<FieldError> checkRegistrationFields(const RegisterVisit &c, const Catalogue &catalogue, const QDate &today)
{
    QList<FieldError> all = registrationShapeErrors(c) + registrationCatalogueErrors(c, catalogue, today);
    QList<FieldError> firstPerField;
    for (const FieldError &e : all) {
        const bool seen = std::any_of(firstPerField.cbegin(), firstPerField.cend(),
                                      [&](const FieldError &f) { return f.field == e.field; });
        if (!seen)
            firstPerField.append(e);
    }
    return firstPerField;
}

} // namespace clinicflow::domain
