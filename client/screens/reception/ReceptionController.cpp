// The front desk's actions (see ReceptionController.h).
#include "ReceptionController.h"

#include "store/LocalStore.h"

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

ReceptionController::ReceptionController(LocalStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

QDate ReceptionController::parseBirthDate(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return {};
    for (const QString &format : {u"yyyy-MM-dd"_s, u"yyyy.MM.dd"_s, u"yyyy/MM/dd"_s, u"yyyyMMdd"_s}) {
        const QDate date = QDate::fromString(t, format);
        if (date.isValid())
            return date;
    }
    return {};
}

RegisterVisit ReceptionController::toCommand(const RegistrationInput &in) const
{
    RegisterVisit c;
    c.ticket = m_store.nextTicket();
    c.patient.patientNumber = in.patientNumber.trimmed();
    c.patient.name = in.name.trimmed();
    if (!in.birthUnknown)
        c.patient.birthDate = parseBirthDate(in.birthDate);
    else if (in.estimatedAge && *in.estimatedAge >= 0)
        c.patient.estimatedAgeYears = in.estimatedAge;
    c.patient.sex = in.sex;
    c.patient.phone = in.phone.trimmed();
    c.patient.address = in.address.trimmed();
    c.department = in.department;
    c.requestedDoctor = in.doctor;
    c.chiefComplaint = in.complaint.trimmed();
    c.priority = in.priority;
    return c;
}

QList<FieldError> ReceptionController::check(const RegistrationInput &input) const
{
    const RegisterVisit c = toCommand(input);
    // The rules judge the day as the store's commands carry it (UTC), exactly as the server will.
    QList<FieldError> errors = checkRegistrationFields(c, m_store.catalogue(), m_store.now().date());
    // Text that is no date: the domain's patient cannot even hold it (a QDate is valid or null), so it is said here,
    // or the visit would be registered as if the birth date were unknown.
    if (!input.birthUnknown && !input.birthDate.trimmed().isEmpty() && !parseBirthDate(input.birthDate).isValid()) {
        errors.removeIf([](const FieldError &e) { return e.field == RegistrationField::BirthDate; });
        errors.append({RegistrationField::BirthDate, makeError(ErrorCode::InvalidBirthDate, u"not a date"_s)});
    }
    // "Unknown" ticked with a date typed: the date is ignored, which the desk should know.
    if (input.birthUnknown && !input.birthDate.trimmed().isEmpty()) {
        errors.removeIf([](const FieldError &e) { return e.field == RegistrationField::BirthDate; });
        errors.append({RegistrationField::BirthDate,
                       makeError(ErrorCode::InvalidBirthDate, u"a birth date and an estimated age"_s)});
    }
    return errors;
}

Result<SubmittedVisit> ReceptionController::registerVisit(const RegistrationInput &input)
{
    if (const QList<FieldError> errors = check(input); !errors.isEmpty())
        return errors.front().error;
    RegisterVisit c = toCommand(input);
    c.ticket = {}; // the store takes the next ticket in the same transaction as the outbox entry
    return m_store.registerVisit(c);
}

Result<QUuid> ReceptionController::cancelVisit(const QUuid &visitId, const QString &reason)
{
    return m_store.submit(CancelVisit{visitId, reason.trimmed()});
}

Result<QUuid> ReceptionController::confirmOutcome(const QUuid &visitId)
{
    return m_store.submit(ConfirmOutcome{visitId});
}

QList<Department> ReceptionController::departments() const
{
    return m_store.catalogue().departments();
}

QList<Doctor> ReceptionController::doctorsOf(const QString &department) const
{
    return m_store.catalogue().doctorsOf(department);
}

Ticket ReceptionController::nextTicket() const
{
    return m_store.nextTicket();
}

} // namespace clinicflow::client
