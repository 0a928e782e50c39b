// The front desk's actions, between the widgets and the store (STYLE.md, "Screens"): it turns what the form holds
// into a RegisterVisit, checks every field with the shared rules (RegistrationFields), and registers, cancels and
// confirms through the store, which validates again and stores the action durably before it returns. No widgets:
// tested on its own.
#pragma once

#include "domain/Catalogue.h"
#include "domain/RegistrationFields.h"
#include "store/StoreTypes.h"

#include <QObject>

namespace clinicflow::client {

class LocalStore;

// The registration form's values as typed.
struct RegistrationInput
{
    QString patientNumber;
    QString name;
    QString birthDate;               // "1985-07-14" (also "1985.07.14" or "19850714"); empty when unknown
    bool birthUnknown = false;       // the desk does not know the birth date (an unconscious patient)
    std::optional<int> estimatedAge; // only with an unknown birth date
    domain::Sex sex = domain::Sex::Unknown;
    QString phone;
    QString address;
    QString department; // catalogue code
    QString doctor;     // doctor id; empty: the least busy of the department
    QString complaint;
    domain::Priority priority = domain::Priority::Normal;
};

class ReceptionController : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReceptionController)

public:
    explicit ReceptionController(LocalStore &store, QObject *parent = nullptr);

    // Every field's first problem, by the rules the server applies too; empty when the visit can be registered.
    QList<domain::FieldError> check(const RegistrationInput &input) const;
    // Registers (with the next ticket of this station), or refuses with the first problem and stores nothing.
    domain::Result<SubmittedVisit> registerVisit(const RegistrationInput &input);
    domain::Result<QUuid> cancelVisit(const QUuid &visitId, const QString &reason);
    domain::Result<QUuid> confirmOutcome(const QUuid &visitId);

    QList<domain::Department> departments() const;
    QList<domain::Doctor> doctorsOf(const QString &department) const;
    domain::Ticket nextTicket() const;

    // The birth date text as a date: null for empty and for text that is not a date.
    static QDate parseBirthDate(const QString &text);

private:
    domain::RegisterVisit toCommand(const RegistrationInput &input) const;

    LocalStore &m_store;
};

} // namespace clinicflow::client
