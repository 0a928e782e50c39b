// The doctor's actions (see DoctorController.h).
#include "DoctorController.h"

#include "domain/Ids.h"
#include "store/LocalStore.h"

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

DoctorController::DoctorController(LocalStore &store, QString doctorId, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_doctorId(std::move(doctorId))
{
}

QString DoctorController::doctorName() const
{
    const Doctor *d = m_store.catalogue().doctor(m_doctorId);
    return d ? d->name : m_doctorId;
}

QString DoctorController::departmentName() const
{
    const Doctor *d = m_store.catalogue().doctor(m_doctorId);
    const Department *department = d ? m_store.catalogue().department(d->department) : nullptr;
    return department ? department->name : QString();
}

QList<ExaminationType> DoctorController::examinations() const
{
    return m_store.catalogue().examinations();
}

Result<Diagnosis> DoctorController::mine(const QUuid &diagnosisId) const
{
    auto d = m_store.diagnosis(diagnosisId);
    if (!d)
        return makeError(ErrorCode::DiagnosisNotFound, idString(diagnosisId));
    // The store would take the command (it knows nothing of --doctor), but the server refuses another doctor's
    // patient; saying so here keeps the action from looking done until the server's answer takes it back.
    if (auto own = diagnosis::actsFor(*d, m_doctorId); !own)
        return own.error();
    return *d;
}

ErrorCode DoctorController::whyNot(const QUuid &diagnosisId, DoctorAction action) const
{
    auto d = mine(diagnosisId);
    if (!d)
        return d.code();
    Command probe;
    switch (action) {
    case DoctorAction::Prescribe: {
        const auto &types = m_store.catalogue().examinations();
        if (types.isEmpty())
            return ErrorCode::UnknownExaminationCode;
        probe = PrescribeExamination{diagnosisId, newId(), types.front().code, {}};
        break;
    }
    case DoctorAction::Review:
        probe = ReviewResults{diagnosisId, {}};
        break;
    case DoctorAction::Complete:
        probe = CompleteTreatment{diagnosisId, {}};
        break;
    case DoctorAction::Refuse:
        probe = RefuseTreatment{diagnosisId, u"probe"_s};
        break;
    case DoctorAction::HandOver: {
        const QList<Doctor> others = colleagues();
        if (others.isEmpty())
            return ErrorCode::UnknownDoctor;
        probe = HandOverVisit{diagnosisId, others.front().id, {}};
        break;
    }
    }
    const CommandMeta meta{newId(), m_store.stationCode(), m_store.now()};
    return diagnosis::execute(d.value(), probe, meta, m_store.catalogue()).code();
}

Result<QList<QUuid>> DoctorController::prescribe(const QUuid &diagnosisId, const QStringList &codes,
                                                 const QString &note)
{
    if (const ErrorCode refused = whyNot(diagnosisId, DoctorAction::Prescribe); refused != ErrorCode::None)
        return makeError(refused);
    QStringList unique;
    for (const QString &code : codes) {
        if (!unique.contains(code))
            unique.append(code);
    }
    if (unique.isEmpty())
        return makeError(ErrorCode::UnknownExaminationCode, u"no examination chosen"_s);
    QList<PrescribeExamination> commands;
    for (const QString &code : std::as_const(unique)) {
        if (!m_store.catalogue().examination(code))
            return makeError(ErrorCode::UnknownExaminationCode, code);
        PrescribeExamination c{diagnosisId, newId(), code, note.trimmed()};
        if (auto shape = validateShape(c); !shape)
            return shape.error();
        commands.append(c);
    }
    QList<QUuid> examinations;
    for (const PrescribeExamination &c : std::as_const(commands)) {
        auto stored = m_store.submit(c);
        if (!stored)
            return stored.error();
        examinations.append(c.examinationId);
    }
    return examinations;
}

Result<QUuid> DoctorController::review(const QUuid &diagnosisId, const QString &note)
{
    if (auto d = mine(diagnosisId); !d)
        return d.error();
    return m_store.submit(ReviewResults{diagnosisId, note.trimmed()});
}

Result<QUuid> DoctorController::complete(const QUuid &diagnosisId, const QString &note)
{
    if (auto d = mine(diagnosisId); !d)
        return d.error();
    return m_store.submit(CompleteTreatment{diagnosisId, note.trimmed()});
}

Result<QUuid> DoctorController::refuse(const QUuid &diagnosisId, const QString &reason)
{
    if (auto d = mine(diagnosisId); !d)
        return d.error();
    if (reason.trimmed().isEmpty())
        return makeError(ErrorCode::ReasonRequired);
    return m_store.submit(RefuseTreatment{diagnosisId, reason.trimmed()});
}

Result<QUuid> DoctorController::handOver(const QUuid &diagnosisId, const QString &toDoctor, const QString &note)
{
    if (auto d = mine(diagnosisId); !d)
        return d.error();
    return m_store.submit(HandOverVisit{diagnosisId, toDoctor, note.trimmed()});
}

QList<Doctor> DoctorController::colleagues() const
{
    const Doctor *me = m_store.catalogue().doctor(m_doctorId);
    QList<Doctor> sameDepartment, others;
    for (const Doctor &d : m_store.catalogue().doctors()) {
        if (d.id == m_doctorId)
            continue;
        (me && d.department == me->department ? sameDepartment : others).append(d);
    }
    return sameDepartment + others;
}

QList<Prescription> DoctorController::openExaminations(const QUuid &diagnosisId) const
{
    QList<Prescription> open;
    if (const auto d = m_store.diagnosis(diagnosisId)) {
        for (const Prescription &p : d->prescriptions) {
            if (p.status == ExaminationStatus::Requested)
                open.append(p);
        }
    }
    return open;
}

} // namespace clinicflow::client
