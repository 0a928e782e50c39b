// Well-formed commands with fresh ids for integration tests and benchmarks, and small queries over the wire events a
// test fetched (counts by type and visit), so each test reads as the saga step it checks.
#pragma once

#include "clinicflow/v1/events.pb.h"
#include "domain/Commands.h"

#include <QStringList>
#include <QUuid>
#include <string_view>
#include <vector>

namespace clinicflow::testsupport {

// A new visit with a fresh reception id and a ticket of desk "A" from a process-wide counter (1..9999).
domain::RegisterVisit registerVisit(const QString &department = QStringLiteral("IM"),
                                    const QString &requestedDoctor = {});
domain::CancelVisit cancelVisit(const QUuid &receptionId, const QString &reason = QStringLiteral("patient left"));
domain::ConfirmOutcome confirmOutcome(const QUuid &receptionId);

// Doctor commands name the visit's diagnosis, derived from the reception id (diagnosis::idForVisit).
domain::PrescribeExamination prescribe(const QUuid &receptionId, const QString &code = QStringLiteral("BLOOD"),
                                       const QUuid &examinationId = {});
domain::ReviewResults reviewResults(const QUuid &receptionId);
domain::CompleteTreatment completeTreatment(const QUuid &receptionId);
domain::RefuseTreatment refuseTreatment(const QUuid &receptionId);

domain::PerformExamination performExamination(const QUuid &examinationId);
domain::CancelExamination cancelExamination(const QUuid &examinationId);

// Whether text carries any of the personal data registerVisit() records (name, phone, address, birth date):
// logs and error messages must not (ARCHITECTURE §7).
bool mentionsPatient(const QString &text);

QUuid diagnosisOf(const QUuid &receptionId);
QString idText(const QUuid &id); // canonical text, as on the wire
QUuid idOf(const std::string &wireId);

// Wire events (as FetchEvents returns them).
using WireEvents = std::vector<v1::Event>;
// Events of a type ("ReceptionRegistered"); with a visit id, only that visit's.
int countEvents(const WireEvents &events, std::string_view type, const QUuid &visitId = {});
// Events of a type whose aggregate is `aggregateId` (e.g. ExaminationRequested of one examination).
int countForAggregate(const WireEvents &events, std::string_view type, const QUuid &aggregateId);
// Events whose causation is this command (or event) id.
int countCausedBy(const WireEvents &events, const QUuid &causeId);
// The type names of one visit's events, in log order.
QStringList typesOf(const WireEvents &events, const QUuid &visitId);
// Empty when the sequences are exactly 1..head, in order, without holes or repeats, and every event id is
// unique; otherwise a sentence saying what is wrong.
QString checkLogShape(const WireEvents &events, quint64 head);

// Empty when every event carries its metadata (ARCHITECTURE §6): id, type with a payload, aggregate, visit,
// causation and time; an event caused by another comes after it, in the same visit, with the same station; an event
// caused by a command names a station. Otherwise a sentence saying what is wrong.
QString checkEventMetadata(const WireEvents &events);

} // namespace clinicflow::testsupport
