// The hospital's roster as the domain sees it: departments, their doctors, and the examination catalogue.
// The server loads it from a file the operator edits and hands it to workstations in Welcome; the built-in default
// serves a fresh install and the tests.
#pragma once

#include "Result.h"

#include <QHash>
#include <QList>
#include <QString>

namespace clinicflow::domain {

struct Department
{
    QString code; // "IM"
    QString name; // "Internal medicine"
    friend bool operator==(const Department &, const Department &) = default;
};

struct Doctor
{
    QString id; // stable id, e.g. "dr.kim"
    QString name;
    QString department; // Department::code
    friend bool operator==(const Doctor &, const Doctor &) = default;
};

struct ExaminationType
{
    QString code; // "BLOOD", "XRAY", ...
    QString name;
    friend bool operator==(const ExaminationType &, const ExaminationType &) = default;
};

class Catalogue
{
public:
    Catalogue() = default;
    Catalogue(QList<Department> departments, QList<Doctor> doctors, QList<ExaminationType> examinations);

    // A small hospital: a few departments with doctors, and the common examinations.
    static Catalogue builtIn();

    const QList<Department> &departments() const { return m_departments; }
    const QList<Doctor> &doctors() const { return m_doctors; }
    const QList<ExaminationType> &examinations() const { return m_examinations; }

    const Department *department(const QString &code) const;
    const Doctor *doctor(const QString &id) const;
    const ExaminationType *examination(const QString &code) const;
    QList<Doctor> doctorsOf(const QString &departmentCode) const;

    // Checks that codes are unique and every doctor belongs to a known department.
    Result<bool> validate() const;

    friend bool operator==(const Catalogue &, const Catalogue &) = default;

private:
    QList<Department> m_departments;
    QList<Doctor> m_doctors;
    QList<ExaminationType> m_examinations;
};

// Open diagnoses per doctor id; a doctor absent from the map has none.
using DoctorLoads = QHash<QString, int>;

// The saga's doctor assignment: the requested doctor when there is one (who must work in the department),
// else the least-loaded doctor of the department, ties going to the first in the roster.
Result<QString> assignDoctor(const Catalogue &catalogue, const QString &department, const QString &requestedDoctor,
                             const DoctorLoads &loads);

} // namespace clinicflow::domain
