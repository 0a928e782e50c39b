#include "Saga.h"

#include "Diagnosis.h"

namespace clinicflow::domain {

std::vector<Reaction> reactionsTo(const Event &event)
{
    using C = BoundedContext;
    using T = Reaction::Target;
    return std::visit(
        [](const auto &e) -> std::vector<Reaction> {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, ReceptionRegistered>)
                return {{C::Diagnosis, T::Aggregate, diagnosis::idForVisit(e.receptionId)}};
            else if constexpr (std::is_same_v<E, ReceptionCancelled>)
                return {{C::Diagnosis, T::Aggregate, diagnosis::idForVisit(e.receptionId)}};
            else if constexpr (std::is_same_v<E, DiagnosisRegistered>)
                return {{C::Reception, T::Aggregate, e.receptionId}};
            else if constexpr (std::is_same_v<E, ExaminationPrescribed>)
                return {{C::Examination, T::Aggregate, e.examinationId}};
            else if constexpr (std::is_same_v<E, ExaminationPerformed> || std::is_same_v<E, ExaminationCancelled> ||
                               std::is_same_v<E, ExaminationWithdrawn>)
                return {{C::Diagnosis, T::Aggregate, e.diagnosisId}};
            else if constexpr (std::is_same_v<E, TreatmentCompleted>)
                return {{C::Reception, T::Aggregate, e.receptionId}};
            else if constexpr (std::is_same_v<E, TreatmentRefused>)
                return {{C::Reception, T::Aggregate, e.receptionId},
                        {C::Examination, T::OpenOfDiagnosis, e.diagnosisId}};
            else if constexpr (std::is_same_v<E, DiagnosisWithdrawn>)
                return {{C::Examination, T::OpenOfDiagnosis, e.diagnosisId}};
            else
                return {};
        },
        event.payload);
}

} // namespace clinicflow::domain
