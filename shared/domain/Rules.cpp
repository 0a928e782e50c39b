#include "Rules.h"

#include "RegistrationFields.h"

namespace clinicflow::domain {

Result<bool> validateRegistration(const RegisterVisit &command, const Catalogue &catalogue, const QDate &today)
{
    // Field by field, as the desk's form shows them (RegistrationFields.h); the first failure refuses the command.
    const QList<FieldError> errors = registrationCatalogueErrors(command, catalogue, today);
    if (!errors.isEmpty())
        return errors.front().error;
    return true;
}

} // namespace clinicflow::domain
