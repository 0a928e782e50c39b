#include "Catalogue.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace clinicflow::domain {

Catalogue::Catalogue(QList<Department> departments, QList<Doctor> doctors, QList<ExaminationType> examinations)
    : m_departments(std::move(departments))
    , m_doctors(std::move(doctors))
    , m_examinations(std::move(examinations))
{
}

Catalogue Catalogue::builtIn()
{
    return Catalogue(
        {
            {u"IM"_s, u"Internal medicine"_s},
            {u"GS"_s, u"General surgery"_s},
            {u"PED"_s, u"Pediatrics"_s},
            {u"ORTH"_s, u"Orthopedics"_s},
        },
        {
            {u"dr.kim"_s, u"Kim Minjun"_s, u"IM"_s},
            {u"dr.lee"_s, u"Lee Seoyeon"_s, u"IM"_s},
            {u"dr.park"_s, u"Park Jiho"_s, u"GS"_s},
            {u"dr.choi"_s, u"Choi Hayoon"_s, u"PED"_s},
            {u"dr.jung"_s, u"Jung Dohyun"_s, u"ORTH"_s},
            {u"dr.kang"_s, u"Kang Yuna"_s, u"ORTH"_s},
        },
        {
            {u"BLOOD"_s, u"Blood test"_s},
            {u"URINE"_s, u"Urinalysis"_s},
            {u"XRAY"_s, u"X-ray"_s},
            {u"CT"_s, u"CT scan"_s},
            {u"MRI"_s, u"MRI scan"_s},
            {u"ECG"_s, u"Electrocardiogram"_s},
            {u"US"_s, u"Ultrasound"_s},
            {u"ENDO"_s, u"Endoscopy"_s},
        });
}

const Department *Catalogue::department(const QString &code) const
{
    for (const auto &d : m_departments) {
        if (d.code == code)
            return &d;
    }
    return nullptr;
}

const Doctor *Catalogue::doctor(const QString &id) const
{
    for (const auto &d : m_doctors) {
        if (d.id == id)
            return &d;
    }
    return nullptr;
}

const ExaminationType *Catalogue::examination(const QString &code) const
{
    for (const auto &e : m_examinations) {
        if (e.code == code)
            return &e;
    }
    return nullptr;
}

QList<Doctor> Catalogue::doctorsOf(const QString &departmentCode) const
{
    QList<Doctor> result;
    for (const auto &d : m_doctors) {
        if (d.department == departmentCode)
            result.append(d);
    }
    return result;
}

Result<bool> Catalogue::validate() const
{
    QSet<QString> seen;
    for (const auto &d : m_departments) {
        if (d.code.isEmpty() || seen.contains(d.code))
            return makeError(ErrorCode::UnknownDepartment, u"duplicate or empty department code '%1'"_s.arg(d.code));
        seen.insert(d.code);
    }
    seen.clear();
    for (const auto &d : m_doctors) {
        if (d.id.isEmpty() || seen.contains(d.id))
            return makeError(ErrorCode::UnknownDoctor, u"duplicate or empty doctor id '%1'"_s.arg(d.id));
        if (!department(d.department))
            return makeError(ErrorCode::UnknownDepartment,
                             u"doctor '%1' is in unknown department '%2'"_s.arg(d.id, d.department));
        seen.insert(d.id);
    }
    seen.clear();
    for (const auto &e : m_examinations) {
        if (e.code.isEmpty() || seen.contains(e.code))
            return makeError(ErrorCode::UnknownExaminationCode,
                             u"duplicate or empty examination code '%1'"_s.arg(e.code));
        seen.insert(e.code);
    }
    return true;
}

Result<QString> assignDoctor(const Catalogue &catalogue, const QString &department, const QString &requestedDoctor,
                             const DoctorLoads &loads)
{
    if (!catalogue.department(department))
        return makeError(ErrorCode::UnknownDepartment, department);
    if (!requestedDoctor.isEmpty()) {
        const Doctor *doctor = catalogue.doctor(requestedDoctor);
        if (!doctor)
            return makeError(ErrorCode::UnknownDoctor, requestedDoctor);
        if (doctor->department != department)
            return makeError(ErrorCode::DoctorNotInDepartment, requestedDoctor + u" / "_s + department);
        return doctor->id;
    }
    const Doctor *best = nullptr;
    int bestLoad = 0;
    for (const auto &d : catalogue.doctors()) {
        if (d.department != department)
            continue;
        const int load = loads.value(d.id, 0);
        if (!best || load < bestLoad) {
            best = &d;
            bestLoad = load;
        }
    }
    if (!best)
        return makeError(ErrorCode::NoDoctorAvailable, department);
    return best->id;
}

} // namespace clinicflow::domain
