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

QStringList eventTypesReactedToBy(BoundedContext context)
{
    using namespace Qt::StringLiterals;
    switch (context) {
    case BoundedContext::Reception:
        return {u"DiagnosisRegistered"_s, u"TreatmentCompleted"_s, u"TreatmentRefused"_s};
    case BoundedContext::Diagnosis:
        return {u"ReceptionRegistered"_s, u"ReceptionCancelled"_s, u"ExaminationPerformed"_s, u"ExaminationCancelled"_s,
                u"ExaminationWithdrawn"_s};
    case BoundedContext::Examination:
        break;
    }
    return {u"ExaminationPrescribed"_s, u"TreatmentRefused"_s, u"DiagnosisWithdrawn"_s};
}

} // namespace clinicflow::domain
