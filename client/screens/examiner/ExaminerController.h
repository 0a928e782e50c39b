// The examination room's actions and reads, between the widgets and the store (STYLE.md, "Screens"): it performs an
// examination with its result and cancels one with a reason through the store, which checks them with the shared
// rules and stores them durably before it returns; and it gathers what the room may know of a request (the patient's
// name, birth date, age and sex, never the phone or the address). No widgets: tested on its own.
#pragma once

#include "domain/Catalogue.h"
#include "domain/ErrorCode.h"
#include "domain/Result.h"

#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QUuid>
#include <optional>

namespace clinicflow::client {

class LocalStore;

// One requested examination as the room sees it.
struct ExaminationRequest
{
    QUuid examinationId;
    QUuid visitId;
    QString code;        // "XRAY"
    QString examination; // "X-ray", the catalogue's name
    QString ticket;      // "A-017"
    QString patientName;
    QDate birthDate;       // null when the desk did not know it
    QString ageSex;        // "43 F", "~40 M", "? F"
    QString department;    // the department's name
    QString doctor;        // the doctor's name; empty before one is assigned
    QDateTime requestedAt; // UTC
    QString note;          // the doctor's note with the prescription
    bool urgent = false;
    bool pending = false;   // an action of this station on the examination awaits the server
    bool requested = false; // still waiting for a room: it can be performed or cancelled
};

class ExaminerController : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExaminerController)

public:
    explicit ExaminerController(LocalStore &store, QObject *parent = nullptr);

    // Both refuse with the rules' reason and store nothing: ResultRequired or ReasonRequired for blank text,
    // FieldTooLong, ExaminationAlreadyPerformed when another room did it, ExaminationWithdrawn... when the doctor or
    // the desk called it off. The text is kept as typed, without surrounding blanks.
    domain::Result<QUuid> perform(const QUuid &examinationId, const QString &result);
    domain::Result<QUuid> cancel(const QUuid &examinationId, const QString &reason);

    // What the room may see of a request; nothing for an examination this station does not know.
    std::optional<ExaminationRequest> request(const QUuid &examinationId) const;
    // Why an examination is no longer waiting (performed elsewhere, cancelled, withdrawn, unknown): the code an
    // action on it would be refused with. Nothing while it is still requested.
    std::optional<domain::ErrorCode> whyGone(const QUuid &examinationId) const;

    // The catalogue's examination types, in its order.
    QList<domain::ExaminationType> examinationTypes() const;
    // The names of these codes in the catalogue's order (codes it does not know last, as they are).
    QStringList typeNames(const QSet<QString> &codes) const;

private:
    LocalStore &m_store;
};

} // namespace clinicflow::client
