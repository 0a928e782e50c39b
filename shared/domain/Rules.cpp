#include "Rules.h"

namespace clinicflow::domain {

Result<bool> validateRegistration(const RegisterVisit &command, const Catalogue &catalogue, const QDate &today)
{
    // The detail names the rule, not the date: a birth date is personal data.
    if (today.isValid() && command.patient.birthDate.isValid() && command.patient.birthDate > today)
        return makeError(ErrorCode::InvalidBirthDate, QStringLiteral("after the day of the visit"));
    if (!catalogue.department(command.department))
        return makeError(ErrorCode::UnknownDepartment, command.department);
    if (!command.requestedDoctor.isEmpty()) {
        const Doctor *doctor = catalogue.doctor(command.requestedDoctor);
        if (!doctor)
            return makeError(ErrorCode::UnknownDoctor, command.requestedDoctor);
        if (doctor->department != command.department)
            return makeError(ErrorCode::DoctorNotInDepartment, command.requestedDoctor);
    } else if (catalogue.doctorsOf(command.department).isEmpty()) {
        return makeError(ErrorCode::NoDoctorAvailable, command.department);
    }
    return true;
}

} // namespace clinicflow::domain
