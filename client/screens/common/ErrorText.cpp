// Refusals in the user's words (see ErrorText.h).
#include "ErrorText.h"

#include "domain/Commands.h"

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

QString ErrorText::sentence(ErrorCode code, const QString &detail)
{
    QString text = QCoreApplication::translate("ErrorCode", errorMessage(code));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return detail.isEmpty() ? text : tr("%1 (%2)", "an error's sentence, then its detail").arg(text, detail);
}

QString ErrorText::sentence(const Error &error)
{
    return sentence(error.code, error.detail);
}

QString ErrorText::forField(const FieldError &e)
{
    using F = RegistrationField;
    if (e.error.code == ErrorCode::FieldTooLong) {
        switch (e.field) {
        case F::PatientName:
            return tr("At most %n characters", nullptr, kMaxNameLength);
        case F::Address:
        case F::ChiefComplaint:
            return tr("At most %n characters", nullptr, kMaxLongTextLength);
        default:
            return tr("At most %n characters", nullptr, kMaxShortTextLength);
        }
    }
    switch (e.error.code) {
    case ErrorCode::PatientNameRequired:
        return tr("Enter the patient's name");
    case ErrorCode::InvalidBirthDate:
        if (e.error.detail.contains(u"after"_s))
            return tr("The birth date cannot be after today");
        if (e.error.detail.contains(u"estimated age and"_s) || e.error.detail.contains(u"and an estimated"_s))
            return tr("Give either a birth date or an estimated age");
        if (e.error.detail.contains(u"estimated age"_s))
            return tr("An estimated age is from 0 to %1").arg(kMaxEstimatedAge);
        return tr("Enter a date as YYYY-MM-DD, from %1 to today, or tick Unknown").arg(kEarliestBirthYear);
    case ErrorCode::UnknownDepartment:
        return tr("Choose a department");
    case ErrorCode::NoDoctorAvailable:
        return tr("No doctor works in this department today");
    case ErrorCode::UnknownDoctor:
        return tr("This doctor is not on the roster");
    case ErrorCode::DoctorNotInDepartment:
        return tr("This doctor works in another department");
    case ErrorCode::ChiefComplaintRequired:
        return tr("Enter why the patient came");
    case ErrorCode::InvalidTicket:
        return tr("This station cannot issue tickets: check its station code");
    case ErrorCode::InvalidCharacters:
        // What a paste from another program can bring along, invisible in the field (domain/TextRules.h).
        if (e.field == F::Address || e.field == F::ChiefComplaint)
            return tr("Remove the control or invisible characters (line breaks and tabs are fine)");
        return tr("Remove line breaks, tabs and invisible characters");
    default:
        return sentence(e.error);
    }
}

QString ErrorText::action(const QString &commandName)
{
    if (commandName == u"RegisterVisit"_s)
        return tr("Registration");
    if (commandName == u"CancelVisit"_s)
        return tr("Cancel visit");
    if (commandName == u"ConfirmOutcome"_s)
        return tr("Confirm outcome");
    if (commandName == u"PrescribeExamination"_s)
        return tr("Prescribe examination");
    if (commandName == u"ReviewResults"_s)
        return tr("Review results");
    if (commandName == u"CompleteTreatment"_s)
        return tr("Complete treatment");
    if (commandName == u"RefuseTreatment"_s)
        return tr("Refuse treatment");
    if (commandName == u"HandOverVisit"_s)
        return tr("Hand over");
    if (commandName == u"PerformExamination"_s)
        return tr("Perform examination");
    if (commandName == u"CancelExamination"_s)
        return tr("Cancel examination");
    return commandName;
}

} // namespace clinicflow::client
