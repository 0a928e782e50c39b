// A registration checked field by field, for the desk's form: the very rules reception::execute applies to
// RegisterVisit (its shape, then the catalogue and the day), each failure tied to the field it is about, all at once,
// so every message can stand beside its field. reception::execute refuses with the first of them.
#pragma once

#include "Catalogue.h"
#include "Commands.h"

#include <QList>

namespace clinicflow::domain {

enum class RegistrationField
{
    Ticket,
    PatientNumber,
    PatientName,
    BirthDate, // the birth date, or the estimated age when the date is unknown
    Phone,
    Address,
    Department,
    Doctor,
    ChiefComplaint,
};

struct FieldError
{
    RegistrationField field;
    Error error;
};

// The shape of each field: ids aside, what needs no catalogue and no clock.
QList<FieldError> registrationShapeErrors(const RegisterVisit &command);
// Against the roster and the day: the department, the requested doctor (or someone to see the patient), the birth
// date not after today.
QList<FieldError> registrationCatalogueErrors(const RegisterVisit &command, const Catalogue &catalogue,
                                              const QDate &today);
// Both, at most one error per field (its first), in the order the checks run. Empty: the registration is valid.
QList<FieldError> checkRegistrationFields(const RegisterVisit &command, const Catalogue &catalogue, const QDate &today);

} // namespace clinicflow::domain
