// Conversions of the shared vocabulary: ids, times, enums, error codes, tickets, patients and the catalogue.
#include "Convert.h"
#include "ConvertSupport.h"

#include <algorithm>
#include <array>
#include <google/protobuf/generated_enum_reflection.h>
#include <utility>

namespace clinicflow::proto {

using namespace Qt::StringLiterals;
using detail::fromWire;
using detail::toWire;

namespace detail {

QString quoted(const std::string &text)
{
    constexpr std::size_t kMaxQuoted = 40;
    QString shown = QString::fromUtf8(text.data(), qsizetype(std::min(text.size(), kMaxQuoted)));
    if (text.size() > kMaxQuoted)
        shown += u"..."_s;
    return u'\'' + shown + u'\'';
}

QUuid FieldReader::id(const std::string &text, const char *field)
{
    if (text.empty())
        return {};
    const QUuid id = domain::idFromString(fromWire(text));
    if (id.isNull())
        fail(domain::ErrorCode::MalformedMessage, field, u"not a UUID: %1"_s.arg(quoted(text)));
    return id;
}

QDateTime FieldReader::time(qint64 ms, const char *field)
{
    const QDateTime at = fromProtoTime(ms);
    if (ms != 0 && !at.isValid())
        fail(domain::ErrorCode::MalformedMessage, field, u"time out of range: %1 ms"_s.arg(ms));
    return at;
}

void FieldReader::fail(domain::ErrorCode code, const char *field, const QString &detail)
{
    if (m_error)
        return; // the first problem is the one worth reporting; later ones are often its consequences
    QString where = m_scope;
    if (field && *field)
        where += (where.isEmpty() ? QString() : u"."_s) + QString::fromLatin1(field);
    m_error = domain::makeError(code, detail.isEmpty() ? where : where + u": "_s + detail);
}

} // namespace detail

namespace {

// Years 1 to 9999: wide enough for any birth or event, and inside what QDateTime and ISO text handle exactly.
constexpr qint64 kMinTimeMs = -62135596800000; // 0001-01-01T00:00:00Z
constexpr qint64 kMaxTimeMs = 253402300799999; // 9999-12-31T23:59:59.999Z

template<typename Domain, typename Wire, std::size_t N>
using EnumTable = std::array<std::pair<Domain, Wire>, N>;

constexpr EnumTable<domain::Role, v1::Role, 4> kRoles{{
    {domain::Role::Receptionist, v1::ROLE_RECEPTIONIST},
    {domain::Role::Doctor, v1::ROLE_DOCTOR},
    {domain::Role::Examiner, v1::ROLE_EXAMINER},
    {domain::Role::Board, v1::ROLE_BOARD},
}};
constexpr EnumTable<domain::Priority, v1::Priority, 2> kPriorities{{
    {domain::Priority::Normal, v1::PRIORITY_NORMAL},
    {domain::Priority::Urgent, v1::PRIORITY_URGENT},
}};
constexpr EnumTable<domain::Sex, v1::Sex, 4> kSexes{{
    {domain::Sex::Unknown, v1::SEX_UNSPECIFIED},
    {domain::Sex::Female, v1::SEX_FEMALE},
    {domain::Sex::Male, v1::SEX_MALE},
    {domain::Sex::Other, v1::SEX_OTHER},
}};
constexpr EnumTable<domain::ReceptionStatus, v1::ReceptionStatus, 6> kReceptionStatuses{{
    {domain::ReceptionStatus::Received, v1::RECEPTION_STATUS_RECEIVED},
    {domain::ReceptionStatus::InTreatment, v1::RECEPTION_STATUS_IN_TREATMENT},
    {domain::ReceptionStatus::TreatmentCompleted, v1::RECEPTION_STATUS_TREATMENT_COMPLETED},
    {domain::ReceptionStatus::TreatmentRefused, v1::RECEPTION_STATUS_TREATMENT_REFUSED},
    {domain::ReceptionStatus::Closed, v1::RECEPTION_STATUS_CLOSED},
    {domain::ReceptionStatus::Cancelled, v1::RECEPTION_STATUS_CANCELLED},
}};
constexpr EnumTable<domain::DiagnosisStatus, v1::DiagnosisStatus, 7> kDiagnosisStatuses{{
    {domain::DiagnosisStatus::Waiting, v1::DIAGNOSIS_STATUS_WAITING},
    {domain::DiagnosisStatus::ExamsPending, v1::DIAGNOSIS_STATUS_EXAMS_PENDING},
    {domain::DiagnosisStatus::ResultsReady, v1::DIAGNOSIS_STATUS_RESULTS_READY},
    {domain::DiagnosisStatus::Reviewed, v1::DIAGNOSIS_STATUS_REVIEWED},
    {domain::DiagnosisStatus::Completed, v1::DIAGNOSIS_STATUS_COMPLETED},
    {domain::DiagnosisStatus::Refused, v1::DIAGNOSIS_STATUS_REFUSED},
    {domain::DiagnosisStatus::Withdrawn, v1::DIAGNOSIS_STATUS_WITHDRAWN},
}};
constexpr EnumTable<domain::ExaminationStatus, v1::ExaminationStatus, 4> kExaminationStatuses{{
    {domain::ExaminationStatus::Requested, v1::EXAMINATION_STATUS_REQUESTED},
    {domain::ExaminationStatus::Performed, v1::EXAMINATION_STATUS_PERFORMED},
    {domain::ExaminationStatus::Cancelled, v1::EXAMINATION_STATUS_CANCELLED},
    {domain::ExaminationStatus::Withdrawn, v1::EXAMINATION_STATUS_WITHDRAWN},
}};
constexpr EnumTable<domain::WithdrawReason, v1::WithdrawReason, 2> kWithdrawReasons{{
    {domain::WithdrawReason::TreatmentRefused, v1::WITHDRAW_REASON_TREATMENT_REFUSED},
    {domain::WithdrawReason::VisitCancelled, v1::WITHDRAW_REASON_VISIT_CANCELLED},
}};

template<typename Domain, typename Wire, std::size_t N>
Wire wireValue(const EnumTable<Domain, Wire, N> &table, Domain value)
{
    for (const auto &[d, w] : table) {
        if (d == value)
            return w;
    }
    return Wire{}; // unreachable for a value of the enum; the zero value is what a reader rejects
}

template<typename Domain, typename Wire, std::size_t N>
domain::Result<Domain> domainValue(const EnumTable<Domain, Wire, N> &table, Wire value)
{
    for (const auto &[d, w] : table) {
        if (w == value)
            return d;
    }
    // Proto3 enums are open: a newer peer's value arrives as a plain number. Zero is what a sender that never set
    // the field (or an older one that did not have it) leaves there.
    const QString name = QString::fromStdString(google::protobuf::GetEnumDescriptor<Wire>()->full_name());
    if (int(value) == 0)
        return domain::makeError(domain::ErrorCode::MalformedMessage, u"%1 is not set"_s.arg(name));
    return domain::makeError(domain::ErrorCode::MalformedMessage, u"unknown %1 value %2"_s.arg(name).arg(int(value)));
}

// A code this build does not know keeps the sender's English sentence, so the user still learns something.
domain::Error errorFromWire(v1::ErrorCode wireCode, const std::string &message, const std::string &detail)
{
    const domain::ErrorCode code = fromProto(wireCode);
    if (int(code) != int(wireCode))
        return domain::makeError(code, fromWire(message));
    return domain::makeError(code, fromWire(detail));
}

} // namespace

std::string toProtoId(const QUuid &id)
{
    return id.isNull() ? std::string() : toWire(domain::idString(id));
}

qint64 toProtoTime(const QDateTime &at)
{
    return at.isValid() ? at.toMSecsSinceEpoch() : 0;
}

QDateTime fromProtoTime(qint64 ms)
{
    if (ms == 0 || ms < kMinTimeMs || ms > kMaxTimeMs)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

v1::Role toProto(domain::Role value)
{
    return wireValue(kRoles, value);
}
domain::Result<domain::Role> fromProto(v1::Role value)
{
    return domainValue(kRoles, value);
}
v1::Priority toProto(domain::Priority value)
{
    return wireValue(kPriorities, value);
}
domain::Result<domain::Priority> fromProto(v1::Priority value)
{
    return domainValue(kPriorities, value);
}
v1::Sex toProto(domain::Sex value)
{
    return wireValue(kSexes, value);
}
domain::Result<domain::Sex> fromProto(v1::Sex value)
{
    return domainValue(kSexes, value);
}
v1::ReceptionStatus toProto(domain::ReceptionStatus value)
{
    return wireValue(kReceptionStatuses, value);
}
domain::Result<domain::ReceptionStatus> fromProto(v1::ReceptionStatus value)
{
    return domainValue(kReceptionStatuses, value);
}
v1::DiagnosisStatus toProto(domain::DiagnosisStatus value)
{
    return wireValue(kDiagnosisStatuses, value);
}
domain::Result<domain::DiagnosisStatus> fromProto(v1::DiagnosisStatus value)
{
    return domainValue(kDiagnosisStatuses, value);
}
v1::ExaminationStatus toProto(domain::ExaminationStatus value)
{
    return wireValue(kExaminationStatuses, value);
}
domain::Result<domain::ExaminationStatus> fromProto(v1::ExaminationStatus value)
{
    return domainValue(kExaminationStatuses, value);
}
v1::WithdrawReason toProto(domain::WithdrawReason value)
{
    return wireValue(kWithdrawReasons, value);
}
domain::Result<domain::WithdrawReason> fromProto(v1::WithdrawReason value)
{
    return domainValue(kWithdrawReasons, value);
}

v1::ErrorCode toProto(domain::ErrorCode code)
{
    // Same numbers by construction (TestProtocolConvert checks every one); a mismatch would still stay a valid value.
    return v1::ErrorCode_IsValid(int(code)) ? static_cast<v1::ErrorCode>(code) : v1::ERROR_CODE_INTERNAL_ERROR;
}

domain::ErrorCode fromProto(v1::ErrorCode code)
{
    return domain::errorCodeFromInt(int(code));
}

v1::Error toProto(const domain::Error &error)
{
    v1::Error out;
    out.set_code(toProto(error.code));
    out.set_message(toWire(error.message()));
    out.set_detail(toWire(error.detail));
    return out;
}

domain::Error fromProto(const v1::Error &error)
{
    return errorFromWire(error.code(), error.message(), error.detail());
}

v1::Rejected toRejected(const QUuid &commandId, const domain::Error &error)
{
    v1::Rejected out;
    out.set_command_id(toProtoId(commandId));
    out.set_code(toProto(error.code));
    out.set_message(toWire(error.message()));
    out.set_detail(toWire(error.detail));
    return out;
}

domain::Error fromProto(const v1::Rejected &rejected)
{
    return errorFromWire(rejected.code(), rejected.message(), rejected.detail());
}

v1::Ticket toProto(const domain::Ticket &ticket)
{
    v1::Ticket out;
    out.set_station(toWire(ticket.station));
    out.set_number(quint32(std::max(ticket.number, 0)));
    return out;
}

domain::Result<domain::Ticket> fromProto(const v1::Ticket &ticket)
{
    // Clamp before narrowing: 4294967295 must not wrap into a valid-looking number.
    const domain::Ticket out{fromWire(ticket.station()), int(std::min<quint32>(ticket.number(), 10000))};
    if (!out.isValid()) {
        return domain::makeError(domain::ErrorCode::InvalidTicket,
                                 u"station %1, number %2"_s.arg(detail::quoted(ticket.station())).arg(ticket.number()));
    }
    return out;
}

v1::Patient toProto(const domain::Patient &patient)
{
    v1::Patient out;
    out.set_patient_number(toWire(patient.patientNumber));
    out.set_name(toWire(patient.name));
    if (patient.birthDate.isValid())
        out.set_birth_date(toWire(patient.birthDate.toString(Qt::ISODate)));
    out.set_sex(toProto(patient.sex));
    out.set_phone(toWire(patient.phone));
    out.set_address(toWire(patient.address));
    if (patient.estimatedAgeYears)
        out.set_estimated_age_years(quint32(std::max(0, *patient.estimatedAgeYears)));
    return out;
}

domain::Result<domain::Patient> fromProto(const v1::Patient &patient)
{
    detail::FieldReader reader(u""_s);
    domain::Patient out;
    out.patientNumber = fromWire(patient.patient_number());
    out.name = fromWire(patient.name());
    if (!patient.birth_date().empty()) {
        out.birthDate = QDate::fromString(fromWire(patient.birth_date()), Qt::ISODate);
        // The text itself stays out of the detail: a birth date is personal data.
        if (!out.birthDate.isValid())
            reader.fail(domain::ErrorCode::InvalidBirthDate, "birth_date", u"not a YYYY-MM-DD date"_s);
    }
    out.sex = reader.take(fromProto(patient.sex()), "sex");
    out.phone = fromWire(patient.phone());
    out.address = fromWire(patient.address());
    // Clamped before narrowing, so 4294967295 stays out of range instead of wrapping into a plausible age.
    if (patient.has_estimated_age_years())
        out.estimatedAgeYears = int(std::min<quint32>(patient.estimated_age_years(), 100000));
    if (!reader.ok())
        return reader.error();
    return out;
}

v1::Catalogue toProto(const domain::Catalogue &catalogue)
{
    v1::Catalogue out;
    for (const domain::Department &d : catalogue.departments()) {
        v1::Department *m = out.add_departments();
        m->set_code(toWire(d.code));
        m->set_name(toWire(d.name));
    }
    for (const domain::Doctor &d : catalogue.doctors()) {
        v1::Doctor *m = out.add_doctors();
        m->set_id(toWire(d.id));
        m->set_name(toWire(d.name));
        m->set_department(toWire(d.department));
    }
    for (const domain::ExaminationType &e : catalogue.examinations()) {
        v1::ExaminationType *m = out.add_examinations();
        m->set_code(toWire(e.code));
        m->set_name(toWire(e.name));
    }
    return out;
}

domain::Result<domain::Catalogue> fromProto(const v1::Catalogue &catalogue)
{
    QList<domain::Department> departments;
    for (const v1::Department &d : catalogue.departments())
        departments.append({fromWire(d.code()), fromWire(d.name())});
    QList<domain::Doctor> doctors;
    for (const v1::Doctor &d : catalogue.doctors())
        doctors.append({fromWire(d.id()), fromWire(d.name()), fromWire(d.department())});
    QList<domain::ExaminationType> examinations;
    for (const v1::ExaminationType &e : catalogue.examinations())
        examinations.append({fromWire(e.code()), fromWire(e.name())});

    domain::Catalogue out(std::move(departments), std::move(doctors), std::move(examinations));
    if (const domain::Result<bool> valid = out.validate(); !valid.ok())
        return domain::makeError(valid.error().code, u"catalogue: "_s + valid.error().detail);
    return out;
}

} // namespace clinicflow::proto
