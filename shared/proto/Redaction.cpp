#include "Redaction.h"

namespace clinicflow::proto {

std::string roleTopic(domain::Role role)
{
    return "events." + domain::toString(role).toStdString();
}

bool hasPersonalFields(const v1::Event &event)
{
    return event.has_reception_registered();
}

void redactFor(domain::Role role, v1::Event &event)
{
    if (!event.has_reception_registered() || role == domain::Role::Receptionist)
        return;
    v1::ReceptionRegistered &registered = *event.mutable_reception_registered();
    v1::Patient &patient = *registered.mutable_patient();
    patient.clear_phone();
    patient.clear_address();
    if (role == domain::Role::Doctor)
        return;
    registered.clear_chief_complaint();
    if (role == domain::Role::Examiner)
        return;
    patient.clear_patient_number();
    patient.clear_birth_date();
    patient.clear_estimated_age_years();
    patient.clear_sex();
}

} // namespace clinicflow::proto
