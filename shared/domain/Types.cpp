#include "Types.h"

#include <array>
#include <utility>

namespace clinicflow::domain {
namespace {

template<typename Enum, std::size_t N>
using Names = std::array<std::pair<Enum, const char16_t *>, N>;

constexpr Names<Role, 4> kRoles{{
    {Role::Receptionist, u"receptionist"},
    {Role::Doctor, u"doctor"},
    {Role::Examiner, u"examiner"},
    {Role::Board, u"board"},
}};
constexpr Names<BoundedContext, 3> kContexts{{
    {BoundedContext::Reception, u"reception"},
    {BoundedContext::Diagnosis, u"diagnosis"},
    {BoundedContext::Examination, u"examination"},
}};
constexpr Names<Priority, 2> kPriorities{{{Priority::Normal, u"normal"}, {Priority::Urgent, u"urgent"}}};
constexpr Names<Sex, 4> kSexes{{
    {Sex::Unknown, u"unknown"},
    {Sex::Female, u"female"},
    {Sex::Male, u"male"},
    {Sex::Other, u"other"},
}};
constexpr Names<ReceptionStatus, 6> kReceptionStatuses{{
    {ReceptionStatus::Received, u"received"},
    {ReceptionStatus::InTreatment, u"in_treatment"},
    {ReceptionStatus::TreatmentCompleted, u"treatment_completed"},
    {ReceptionStatus::TreatmentRefused, u"treatment_refused"},
    {ReceptionStatus::Closed, u"closed"},
    {ReceptionStatus::Cancelled, u"cancelled"},
}};
constexpr Names<DiagnosisStatus, 7> kDiagnosisStatuses{{
    {DiagnosisStatus::Waiting, u"waiting"},
    {DiagnosisStatus::ExamsPending, u"exams_pending"},
    {DiagnosisStatus::ResultsReady, u"results_ready"},
    {DiagnosisStatus::Reviewed, u"reviewed"},
    {DiagnosisStatus::Completed, u"completed"},
    {DiagnosisStatus::Refused, u"refused"},
    {DiagnosisStatus::Withdrawn, u"withdrawn"},
}};
constexpr Names<ExaminationStatus, 4> kExaminationStatuses{{
    {ExaminationStatus::Requested, u"requested"},
    {ExaminationStatus::Performed, u"performed"},
    {ExaminationStatus::Cancelled, u"cancelled"},
    {ExaminationStatus::Withdrawn, u"withdrawn"},
}};
constexpr Names<WithdrawReason, 2> kWithdrawReasons{{
    {WithdrawReason::TreatmentRefused, u"treatment_refused"},
    {WithdrawReason::VisitCancelled, u"visit_cancelled"},
}};

template<typename Enum, std::size_t N>
QString nameOf(const Names<Enum, N> &names, Enum value)
{
    for (const auto &[e, name] : names) {
        if (e == value)
            return QString::fromUtf16(name);
    }
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const Names<Enum, N> &names, const QString &text)
{
    for (const auto &[e, name] : names) {
        if (text == QStringView(name))
            return e;
    }
    return std::nullopt;
}

} // namespace

QString toString(Role v)
{
    return nameOf(kRoles, v);
}
QString toString(BoundedContext v)
{
    return nameOf(kContexts, v);
}
QString toString(Priority v)
{
    return nameOf(kPriorities, v);
}
QString toString(Sex v)
{
    return nameOf(kSexes, v);
}
QString toString(ReceptionStatus v)
{
    return nameOf(kReceptionStatuses, v);
}
QString toString(DiagnosisStatus v)
{
    return nameOf(kDiagnosisStatuses, v);
}
QString toString(ExaminationStatus v)
{
    return nameOf(kExaminationStatuses, v);
}
QString toString(WithdrawReason v)
{
    return nameOf(kWithdrawReasons, v);
}

template<>
std::optional<Role> fromString<Role>(const QString &s)
{
    return valueOf(kRoles, s);
}
template<>
std::optional<BoundedContext> fromString<BoundedContext>(const QString &s)
{
    return valueOf(kContexts, s);
}
template<>
std::optional<Priority> fromString<Priority>(const QString &s)
{
    return valueOf(kPriorities, s);
}
template<>
std::optional<Sex> fromString<Sex>(const QString &s)
{
    return valueOf(kSexes, s);
}
template<>
std::optional<ReceptionStatus> fromString<ReceptionStatus>(const QString &s)
{
    return valueOf(kReceptionStatuses, s);
}
template<>
std::optional<DiagnosisStatus> fromString<DiagnosisStatus>(const QString &s)
{
    return valueOf(kDiagnosisStatuses, s);
}
template<>
std::optional<ExaminationStatus> fromString<ExaminationStatus>(const QString &s)
{
    return valueOf(kExaminationStatuses, s);
}
template<>
std::optional<WithdrawReason> fromString<WithdrawReason>(const QString &s)
{
    return valueOf(kWithdrawReasons, s);
}

bool isOpen(DiagnosisStatus s)
{
    return s != DiagnosisStatus::Completed && s != DiagnosisStatus::Refused && s != DiagnosisStatus::Withdrawn;
}

bool isFinal(ReceptionStatus s)
{
    return s == ReceptionStatus::Closed || s == ReceptionStatus::Cancelled;
}

} // namespace clinicflow::domain
