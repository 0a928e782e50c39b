// The examination room's actions and reads (see ExaminerController.h).
#include "ExaminerController.h"

#include "models/ModelText.h"
#include "store/LocalStore.h"

namespace clinicflow::client {

using namespace domain;

ExaminerController::ExaminerController(LocalStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

Result<QUuid> ExaminerController::perform(const QUuid &examinationId, const QString &result)
{
    return m_store.submit(PerformExamination{examinationId, result.trimmed()});
}

Result<QUuid> ExaminerController::cancel(const QUuid &examinationId, const QString &reason)
{
    return m_store.submit(CancelExamination{examinationId, reason.trimmed()});
}

std::optional<ExaminationRequest> ExaminerController::request(const QUuid &examinationId) const
{
    const auto x = m_store.examination(examinationId);
    if (!x)
        return std::nullopt;
    const Catalogue &catalogue = m_store.catalogue();
    ExaminationRequest r;
    r.examinationId = x->id;
    r.visitId = x->receptionId;
    r.code = x->code;
    r.examination = ModelText::examination(catalogue, x->code);
    r.requestedAt = x->requestedAt;
    r.note = x->note;
    r.requested = x->status == ExaminationStatus::Requested;
    if (const auto row = m_store.visit(x->receptionId)) {
        r.ticket = row->ticket;
        r.patientName = row->patientName;
        r.department = ModelText::department(catalogue, row->department);
        r.doctor = row->doctor.isEmpty() ? QString() : ModelText::doctor(catalogue, row->doctor);
        r.urgent = row->priority == Priority::Urgent;
    }
    // The reception holds the birth date and sex; only those are taken from it (the room has no use for the phone
    // or the address, and never shows them).
    if (const auto reception = m_store.reception(x->receptionId)) {
        const Patient &p = reception->patient;
        if (r.patientName.isEmpty())
            r.patientName = p.name;
        r.birthDate = p.birthDate;
        r.ageSex = ModelText::ageSex(Patient{{}, {}, p.birthDate, p.sex, {}, {}, p.estimatedAgeYears},
                                     m_store.now().toLocalTime().date());
        if (r.ticket.isEmpty())
            r.ticket = reception->ticket.toString();
    }
    r.pending = m_store.isPending(x->receptionId, x->id);
    return r;
}

std::optional<ErrorCode> ExaminerController::whyGone(const QUuid &examinationId) const
{
    const auto x = m_store.examination(examinationId);
    if (!x)
        return ErrorCode::ExaminationNotFound;
    switch (x->status) {
    case ExaminationStatus::Requested:
        return std::nullopt;
    case ExaminationStatus::Performed:
        return ErrorCode::ExaminationAlreadyPerformed;
    case ExaminationStatus::Cancelled:
        return ErrorCode::ExaminationAlreadyCancelled;
    case ExaminationStatus::Withdrawn:
        break;
    }
    return x->withdrawReason == WithdrawReason::VisitCancelled ? ErrorCode::ExaminationWithdrawnVisitCancelled
                                                               : ErrorCode::ExaminationWithdrawnTreatmentRefused;
}

QList<ExaminationType> ExaminerController::examinationTypes() const
{
    return m_store.catalogue().examinations();
}

QStringList ExaminerController::typeNames(const QSet<QString> &codes) const
{
    QStringList names;
    QSet<QString> left = codes;
    for (const ExaminationType &t : m_store.catalogue().examinations()) {
        if (left.remove(t.code))
            names.append(t.name);
    }
    QStringList unknown(left.cbegin(), left.cend());
    unknown.sort();
    return names + unknown;
}

} // namespace clinicflow::client
