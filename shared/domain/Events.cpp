#include "Events.h"

namespace clinicflow::domain {
namespace {

template<typename T>
constexpr const char16_t *nameOf()
{
    if constexpr (std::is_same_v<T, ReceptionRegistered>)
        return u"ReceptionRegistered";
    else if constexpr (std::is_same_v<T, TreatmentStarted>)
        return u"TreatmentStarted";
    else if constexpr (std::is_same_v<T, OutcomeRecorded>)
        return u"OutcomeRecorded";
    else if constexpr (std::is_same_v<T, VisitClosed>)
        return u"VisitClosed";
    else if constexpr (std::is_same_v<T, ReceptionCancelled>)
        return u"ReceptionCancelled";
    else if constexpr (std::is_same_v<T, DiagnosisRegistered>)
        return u"DiagnosisRegistered";
    else if constexpr (std::is_same_v<T, ExaminationPrescribed>)
        return u"ExaminationPrescribed";
    else if constexpr (std::is_same_v<T, ResultsReady>)
        return u"ResultsReady";
    else if constexpr (std::is_same_v<T, ResultsReviewed>)
        return u"ResultsReviewed";
    else if constexpr (std::is_same_v<T, TreatmentCompleted>)
        return u"TreatmentCompleted";
    else if constexpr (std::is_same_v<T, TreatmentRefused>)
        return u"TreatmentRefused";
    else if constexpr (std::is_same_v<T, DiagnosisWithdrawn>)
        return u"DiagnosisWithdrawn";
    else if constexpr (std::is_same_v<T, DiagnosisHandedOver>)
        return u"DiagnosisHandedOver";
    else if constexpr (std::is_same_v<T, ExaminationRequested>)
        return u"ExaminationRequested";
    else if constexpr (std::is_same_v<T, ExaminationPerformed>)
        return u"ExaminationPerformed";
    else if constexpr (std::is_same_v<T, ExaminationCancelled>)
        return u"ExaminationCancelled";
    else
        return u"ExaminationWithdrawn";
}

template<typename T>
constexpr BoundedContext contextOf()
{
    if constexpr (std::is_same_v<T, ReceptionRegistered> || std::is_same_v<T, TreatmentStarted> ||
                  std::is_same_v<T, OutcomeRecorded> || std::is_same_v<T, VisitClosed> ||
                  std::is_same_v<T, ReceptionCancelled>)
        return BoundedContext::Reception;
    else if constexpr (std::is_same_v<T, ExaminationRequested> || std::is_same_v<T, ExaminationPerformed> ||
                       std::is_same_v<T, ExaminationCancelled> || std::is_same_v<T, ExaminationWithdrawn>)
        return BoundedContext::Examination;
    else
        return BoundedContext::Diagnosis;
}

} // namespace

QString eventTypeName(const EventPayload &p)
{
    return std::visit([](const auto &e) { return QString::fromUtf16(nameOf<std::decay_t<decltype(e)>>()); }, p);
}

BoundedContext eventContext(const EventPayload &p)
{
    return std::visit([](const auto &e) { return contextOf<std::decay_t<decltype(e)>>(); }, p);
}

// The aggregate is the emitting context's own: a reception, a diagnosis or an examination.
QUuid eventAggregateId(const EventPayload &p)
{
    return std::visit(
        [](const auto &e) -> QUuid {
            constexpr BoundedContext c = contextOf<std::decay_t<decltype(e)>>();
            if constexpr (c == BoundedContext::Reception)
                return e.receptionId;
            else if constexpr (c == BoundedContext::Examination)
                return e.examinationId;
            else
                return e.diagnosisId;
        },
        p);
}

} // namespace clinicflow::domain
