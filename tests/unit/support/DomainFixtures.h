// Fixtures for the domain-rule tests: fixed ids, stations and times, well-formed commands, and aggregates in any
// status built by folding the events the saga would have produced on the way there (never by setting fields).
// Also the checks every emitted event must pass (ARCHITECTURE §6 metadata) and QTest printers for domain enums.
#pragma once

#include "domain/Diagnosis.h"
#include "domain/Examination.h"
#include "domain/Reception.h"
#include "domain/Saga.h"

#include <QStringList>
#include <QTest>

namespace clinicflow::domain::fixtures {

using namespace Qt::StringLiterals;

// ---- Fixed ids, stations and times --------------------------------------------------------------------------------

inline QUuid receptionId()
{
    return QUuid(0x0a000001, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 0x01);
}
inline QUuid otherReceptionId()
{
    return QUuid(0x0a000002, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 0x02);
}
inline QUuid diagnosisId()
{
    return diagnosis::idForVisit(receptionId());
}
inline QUuid otherDiagnosisId()
{
    return diagnosis::idForVisit(otherReceptionId());
}
inline QUuid examId(int n)
{
    return QUuid(0x0e000000u + uint(n), 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, uchar(n));
}
inline QUuid commandId(int n)
{
    return QUuid(0xc0000000u + uint(n), 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, uchar(n));
}

inline QString deskStation()
{
    return u"A"_s;
}
inline QString doctorStation()
{
    return u"DOC1"_s;
}
inline QString examinerStation()
{
    return u"LAB1"_s;
}

inline QDateTime t0()
{
    return QDateTime(QDate(2024, 3, 4), QTime(9, 0), Qt::UTC);
}
inline QDateTime minute(int m)
{
    return t0().addSecs(60 * m);
}

inline CommandMeta metaOf(int command, const QString &station, int atMinute = 30)
{
    return CommandMeta{commandId(command), station, minute(atMinute)};
}
inline CommandMeta deskMeta(int command = 100)
{
    return metaOf(command, deskStation());
}
inline CommandMeta doctorMeta(int command = 200)
{
    return metaOf(command, doctorStation());
}
inline CommandMeta examinerMeta(int command = 300)
{
    return metaOf(command, examinerStation());
}

// What a worker hands to react(): a later time than any fixture event, and the built-in roster.
inline ReactionContext reactionContext(DoctorLoads loads = {})
{
    return ReactionContext{minute(60), Catalogue::builtIn(), std::move(loads)};
}

// ---- Well-formed commands -----------------------------------------------------------------------------------------

inline RegisterVisit validRegistration(const QUuid &id = receptionId())
{
    RegisterVisit c;
    c.receptionId = id;
    c.ticket = Ticket{u"A"_s, 17};
    c.patient =
        Patient{{}, u"Test Patient"_s, QDate(1980, 5, 17), Sex::Female, u"010-0000-0000"_s, u"1 Test Road"_s, {}};
    c.department = u"IM"_s;
    c.chiefComplaint = u"persistent cough"_s;
    c.priority = Priority::Normal;
    return c;
}

inline ReceptionRegistered registeredFrom(const RegisterVisit &c)
{
    return ReceptionRegistered{c.receptionId,     c.ticket,         c.patient, c.department,
                               c.requestedDoctor, c.chiefComplaint, c.priority};
}

// Every command, by kind, so tables can cross statuses with commands.
enum class CommandKind
{
    RegisterVisit,
    CancelVisit,
    ConfirmOutcome,
    PrescribeExamination,
    ReviewResults,
    CompleteTreatment,
    RefuseTreatment,
    PerformExamination,
    CancelExamination,
};
inline const QList<CommandKind> &allCommandKinds()
{
    static const QList<CommandKind> kinds{
        CommandKind::RegisterVisit,        CommandKind::CancelVisit,        CommandKind::ConfirmOutcome,
        CommandKind::PrescribeExamination, CommandKind::ReviewResults,      CommandKind::CompleteTreatment,
        CommandKind::RefuseTreatment,      CommandKind::PerformExamination, CommandKind::CancelExamination};
    return kinds;
}

// The examination id a PrescribeExamination of the tables uses: one no fixture has prescribed yet.
inline QUuid freshExamId()
{
    return examId(50);
}

// A well-formed command of this kind aimed at the fixtures' aggregates: the reception, its diagnosis, exam 1.
inline Command commandOf(CommandKind kind)
{
    switch (kind) {
    case CommandKind::RegisterVisit:
        return validRegistration();
    case CommandKind::CancelVisit:
        return CancelVisit{receptionId(), u"patient left"_s};
    case CommandKind::ConfirmOutcome:
        return ConfirmOutcome{receptionId()};
    case CommandKind::PrescribeExamination:
        return PrescribeExamination{diagnosisId(), freshExamId(), u"XRAY"_s, u"chest, two views"_s};
    case CommandKind::ReviewResults:
        return ReviewResults{diagnosisId(), u"no findings"_s};
    case CommandKind::CompleteTreatment:
        return CompleteTreatment{diagnosisId(), u"discharged"_s};
    case CommandKind::RefuseTreatment:
        return RefuseTreatment{diagnosisId(), u"patient declined"_s};
    case CommandKind::PerformExamination:
        return PerformExamination{examId(1), u"within normal limits"_s};
    case CommandKind::CancelExamination:
        return CancelExamination{examId(1), u"patient unwell"_s};
    }
    return ConfirmOutcome{};
}

inline QByteArray kindName(CommandKind kind)
{
    return commandName(commandOf(kind)).toUtf8();
}

// ---- Histories: the events that bring an aggregate to a status ----------------------------------------------------

// Appends events as the saga would: each either caused by a command of a station, or by the event before it.
class History
{
public:
    explicit History(const QUuid &visitId = receptionId())
        : m_visitId(visitId)
    {
    }

    History &byCommand(EventPayload payload, const QString &station)
    {
        const QUuid cause = commandId(900 + int(m_events.size()));
        return add(std::move(payload), Cause{cause, m_visitId, station, minute(int(m_events.size()))});
    }
    History &byReaction(EventPayload payload)
    {
        const QUuid cause = m_events.empty() ? commandId(899) : m_events.back().id;
        const QString station = m_events.empty() ? QString() : m_events.back().station;
        return add(std::move(payload), Cause{cause, m_visitId, station, minute(int(m_events.size()))});
    }
    const Events &events() const { return m_events; }

private:
    History &add(EventPayload payload, const Cause &cause)
    {
        m_events.push_back(stamp(std::move(payload), cause));
        return *this;
    }
    QUuid m_visitId;
    Events m_events;
};

inline QByteArray statusName(const std::optional<ReceptionStatus> &s)
{
    return s ? toString(*s).toUtf8() : "missing";
}
inline QByteArray statusName(const std::optional<DiagnosisStatus> &s)
{
    return s ? toString(*s).toUtf8() : "missing";
}

// received; in_treatment (diagnosis registered); treatment_completed | treatment_refused (outcome recorded);
// closed (completed, then confirmed); cancelled (the desk cancelled before a doctor was assigned).
inline Events receptionHistory(ReceptionStatus status, const QUuid &id = receptionId())
{
    History h(id);
    h.byCommand(registeredFrom(validRegistration(id)), deskStation());
    if (status == ReceptionStatus::Cancelled)
        h.byCommand(ReceptionCancelled{id, u"patient left"_s}, deskStation());
    if (status == ReceptionStatus::Received || status == ReceptionStatus::Cancelled)
        return h.events();
    h.byReaction(TreatmentStarted{id, diagnosis::idForVisit(id), u"dr.kim"_s});
    if (status == ReceptionStatus::InTreatment)
        return h.events();
    const bool refused = status == ReceptionStatus::TreatmentRefused;
    h.byReaction(
        OutcomeRecorded{id, refused ? ReceptionStatus::TreatmentRefused : ReceptionStatus::TreatmentCompleted});
    if (status == ReceptionStatus::Closed)
        h.byCommand(VisitClosed{id}, deskStation());
    return h.events();
}

inline std::optional<Reception> receptionIn(std::optional<ReceptionStatus> status)
{
    if (!status)
        return std::nullopt;
    return fold(std::optional<Reception>(), receptionHistory(*status), reception::evolve);
}

// waiting; exams_pending with `openExams` requested (exams 1..n); results_ready (exam 1 performed); reviewed;
// completed (after review); refused and withdrawn right after the doctor's refusal or the visit's cancellation, with
// `openExams` still requested (0: straight from waiting) and before the examination context withdrew them.
inline Events diagnosisHistory(DiagnosisStatus status, int openExams = 1)
{
    using S = DiagnosisStatus;
    const QUuid dx = diagnosisId();
    History h;
    h.byReaction(DiagnosisRegistered{dx, receptionId(), u"dr.kim"_s, u"IM"_s, Priority::Normal});
    if (status == S::Waiting)
        return h.events();
    if (status == S::ExamsPending || status == S::Refused || status == S::Withdrawn) {
        for (int n = 1; n <= openExams; ++n)
            h.byCommand(ExaminationPrescribed{dx, examId(n), u"BLOOD"_s, {}}, doctorStation());
        if (status == S::Refused)
            h.byCommand(TreatmentRefused{dx, receptionId(), u"patient declined"_s}, doctorStation());
        if (status == S::Withdrawn)
            h.byReaction(DiagnosisWithdrawn{dx, receptionId()});
        return h.events();
    }
    h.byCommand(ExaminationPrescribed{dx, examId(1), u"BLOOD"_s, {}}, doctorStation());
    h.byCommand(ExaminationPerformed{examId(1), dx, examinerStation(), u"normal"_s}, examinerStation());
    h.byReaction(ResultsReady{dx});
    if (status == S::ResultsReady)
        return h.events();
    h.byCommand(ResultsReviewed{dx, u"fine"_s}, doctorStation());
    if (status == S::Completed)
        h.byCommand(TreatmentCompleted{dx, receptionId(), u"discharged"_s}, doctorStation());
    return h.events();
}

inline std::optional<Diagnosis> diagnosisIn(std::optional<DiagnosisStatus> status, int openExams = 1)
{
    if (!status)
        return std::nullopt;
    return fold(std::optional<Diagnosis>(), diagnosisHistory(*status, openExams), diagnosis::evolve);
}

// An examination's status, with the two ways of being withdrawn told apart.
enum class ExamState
{
    Requested,
    Performed,
    Cancelled,
    WithdrawnTreatmentRefused,
    WithdrawnVisitCancelled
};

inline QByteArray examStateName(const std::optional<ExamState> &s)
{
    if (!s)
        return "missing";
    switch (*s) {
    case ExamState::Requested:
        return "requested";
    case ExamState::Performed:
        return "performed";
    case ExamState::Cancelled:
        return "cancelled";
    case ExamState::WithdrawnTreatmentRefused:
        return "withdrawn(treatment_refused)";
    case ExamState::WithdrawnVisitCancelled:
        return "withdrawn(visit_cancelled)";
    }
    return "?";
}

inline Events examinationHistory(ExamState state, const QUuid &id = examId(1))
{
    const QUuid dx = diagnosisId();
    History h;
    h.byReaction(ExaminationRequested{id, dx, u"BLOOD"_s, u"fasting"_s});
    switch (state) {
    case ExamState::Requested:
        break;
    case ExamState::Performed:
        h.byCommand(ExaminationPerformed{id, dx, examinerStation(), u"normal"_s}, examinerStation());
        break;
    case ExamState::Cancelled:
        h.byCommand(ExaminationCancelled{id, dx, examinerStation(), u"no reagent"_s}, examinerStation());
        break;
    case ExamState::WithdrawnTreatmentRefused:
        h.byReaction(ExaminationWithdrawn{id, dx, WithdrawReason::TreatmentRefused});
        break;
    case ExamState::WithdrawnVisitCancelled:
        h.byReaction(ExaminationWithdrawn{id, dx, WithdrawReason::VisitCancelled});
        break;
    }
    return h.events();
}

inline std::optional<Examination> examinationIn(std::optional<ExamState> state)
{
    if (!state)
        return std::nullopt;
    return fold(std::optional<Examination>(), examinationHistory(*state), examination::evolve);
}

// Whether an examination is in the given state, withdrawal reason included.
inline bool isIn(const Examination &x, ExamState state)
{
    switch (state) {
    case ExamState::Requested:
        return x.status == ExaminationStatus::Requested;
    case ExamState::Performed:
        return x.status == ExaminationStatus::Performed;
    case ExamState::Cancelled:
        return x.status == ExaminationStatus::Cancelled;
    case ExamState::WithdrawnTreatmentRefused:
        return x.status == ExaminationStatus::Withdrawn && x.withdrawReason == WithdrawReason::TreatmentRefused;
    case ExamState::WithdrawnVisitCancelled:
        return x.status == ExaminationStatus::Withdrawn && x.withdrawReason == WithdrawReason::VisitCancelled;
    }
    return false;
}

// ---- Checks -------------------------------------------------------------------------------------------------------

inline QStringList typesOf(const Events &events)
{
    QStringList types;
    for (const Event &e : events)
        types.append(eventTypeName(e.payload));
    return types;
}

// What every event a command emits carries: a fresh id, the command as causation, the visit as correlation,
// the command's station and time, and the aggregate the command acted on (ARCHITECTURE §6). Not yet sequenced.
inline void verifyCausedByCommand(const Events &events, const CommandMeta &meta, const QUuid &aggregateId)
{
    for (const Event &e : events) {
        QVERIFY(!e.id.isNull());
        QVERIFY(e.id != meta.commandId);
        QCOMPARE(e.causationId, meta.commandId);
        QCOMPARE(e.visitId, receptionId());
        QCOMPARE(e.station, meta.station);
        QCOMPARE(e.at, meta.at);
        QCOMPARE(e.aggregateId, aggregateId);
        QCOMPARE(eventAggregateId(e.payload), aggregateId);
        QCOMPARE(e.sequence, quint64(0));
    }
}

// The same for a reaction: the causing event as causation, its visit and station carried on, the worker's time.
inline void verifyCausedByEvent(const Events &events, const Event &cause, const QDateTime &now,
                                const QUuid &aggregateId)
{
    for (const Event &e : events) {
        QVERIFY(!e.id.isNull());
        QVERIFY(e.id != cause.id);
        QCOMPARE(e.causationId, cause.id);
        QCOMPARE(e.visitId, cause.visitId);
        QCOMPARE(e.station, cause.station);
        QCOMPARE(e.at, now);
        QCOMPARE(e.aggregateId, aggregateId);
        QCOMPARE(eventAggregateId(e.payload), aggregateId);
        QCOMPARE(e.sequence, quint64(0));
    }
}

} // namespace clinicflow::domain::fixtures

// Domain enums compare by their stable names: QCOMPARE's unqualified toString() would find the domain's own
// QString toString() by argument-dependent lookup instead of QTest's, so they cannot go through QCOMPARE directly.
#define QCOMPARE_NAMED(actual, expected)                                                                               \
    QCOMPARE(::clinicflow::domain::toString(actual), ::clinicflow::domain::toString(expected))

// Readable error codes in QCOMPARE failures.
namespace QTest {
template<>
inline char *toString(const clinicflow::domain::ErrorCode &code)
{
    return qstrdup(QByteArray(clinicflow::domain::errorName(code)) + '(' + QByteArray::number(int(code)) + ')');
}
} // namespace QTest
