// The doctor's actions, between the widgets and the store (STYLE.md, "Screens"): prescribing several examinations
// at once, reviewing results, completing or refusing a treatment, each turned into the domain's command and stored
// through LocalStore::submit (validated by the shared rules, durable before it returns). It also answers what the
// screen must know before it offers an action: whether the rules allow it now, and which examinations a refusal
// would withdraw. No widgets: tested on its own.
#pragma once

#include "domain/Catalogue.h"
#include "domain/Diagnosis.h"

#include <QObject>
#include <QUuid>

namespace clinicflow::client {

class LocalStore;

enum class DoctorAction
{
    Prescribe,
    Review,
    Complete,
    Refuse,
    HandOver
};

class DoctorController : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DoctorController)

public:
    // `doctorId` is the roster id this station works for (--doctor): the only doctor whose patients it acts on.
    DoctorController(LocalStore &store, QString doctorId, QObject *parent = nullptr);

    const QString &doctorId() const { return m_doctorId; }
    QString doctorName() const;                          // from the catalogue; the id when the roster does not know it
    QString departmentName() const;                      // the doctor's department, empty when unknown
    QList<domain::ExaminationType> examinations() const; // what can be prescribed, in catalogue order

    // Each code becomes its own PrescribeExamination with a new examination id, all with the same note. The whole
    // list is checked before anything is stored (known codes, none twice, the diagnosis takes prescriptions), so
    // short of a disk error either every examination is prescribed or none is. Returns the examination ids.
    domain::Result<QList<QUuid>> prescribe(const QUuid &diagnosisId, const QStringList &codes, const QString &note);
    domain::Result<QUuid> review(const QUuid &diagnosisId, const QString &note);
    domain::Result<QUuid> complete(const QUuid &diagnosisId, const QString &note);
    // A refusal withdraws the open examinations, which the patient's record must explain: the reason is required.
    domain::Result<QUuid> refuse(const QUuid &diagnosisId, const QString &reason);

    // Hands the patient over to a colleague (another doctor of the roster), who acts on it from then on; the
    // visit leaves this doctor's queue. The reason is optional, kept in the record and the audit trail.
    domain::Result<QUuid> handOver(const QUuid &diagnosisId, const QString &toDoctor, const QString &note);
    // The doctors a patient can be handed over to: the roster's, this doctor aside, own department first.
    QList<domain::Doctor> colleagues() const;

    // What a refusal would withdraw now: the prescriptions still requested, in the order they were prescribed.
    QList<domain::Prescription> openExaminations(const QUuid &diagnosisId) const;

    // Why the rules refuse `action` on the diagnosis as the store has it now; ErrorCode::None when it is allowed.
    // The shared rules decide (diagnosis::execute on a probe command), so the screen never keeps a copy of them.
    domain::ErrorCode whyNot(const QUuid &diagnosisId, DoctorAction action) const;
    bool allowed(const QUuid &diagnosisId, DoctorAction action) const
    {
        return whyNot(diagnosisId, action) == domain::ErrorCode::None;
    }

private:
    // The diagnosis if it exists and is this doctor's; the refusal otherwise.
    domain::Result<domain::Diagnosis> mine(const QUuid &diagnosisId) const;

    LocalStore &m_store;
    QString m_doctorId;
};

} // namespace clinicflow::client
