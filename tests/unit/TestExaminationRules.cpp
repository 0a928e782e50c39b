// The examination context's rules, table-driven from ARCHITECTURE §2 and §3 (steps 4, 5, 7 and the compensation):
//   requested -> performed | cancelled;  requested -> withdrawn (treatment refused, or visit cancelled).
// A command that arrives after its examination moved on is rejected with the reason it moved on.
#include "support/DomainFixtures.h"

#include <QTest>

using namespace clinicflow::domain;
using namespace clinicflow::domain::fixtures;
using namespace Qt::StringLiterals;

namespace {

using MaybeState = std::optional<ExamState>;
using K = CommandKind;

const QList<ExamState> kStates{ExamState::Requested, ExamState::Performed, ExamState::Cancelled,
                               ExamState::WithdrawnTreatmentRefused, ExamState::WithdrawnVisitCancelled};

// Why an examination that is no longer requested refuses the examiner.
ErrorCode movedOnError(ExamState s)
{
    switch (s) {
    case ExamState::Performed:
        return ErrorCode::ExaminationAlreadyPerformed;
    case ExamState::Cancelled:
        return ErrorCode::ExaminationAlreadyCancelled;
    case ExamState::WithdrawnTreatmentRefused:
        return ErrorCode::ExaminationWithdrawnTreatmentRefused;
    case ExamState::WithdrawnVisitCancelled:
        return ErrorCode::ExaminationWithdrawnVisitCancelled;
    case ExamState::Requested:
        break;
    }
    return ErrorCode::None;
}

// The events of the diagnosis context that the examination context hears, for this diagnosis or another one.
enum class Incoming
{
    ExaminationPrescribed,
    TreatmentRefused,
    DiagnosisWithdrawn,
    OtherTreatmentRefused,
    ResultsReady
};

Event incoming(Incoming kind)
{
    const QUuid dx = diagnosisId();
    History h;
    switch (kind) {
    case Incoming::ExaminationPrescribed:
        h.byCommand(ExaminationPrescribed{dx, examId(1), u"BLOOD"_s, u"fasting"_s}, doctorStation());
        break;
    case Incoming::TreatmentRefused:
        h.byCommand(TreatmentRefused{dx, receptionId(), u"declined"_s}, doctorStation());
        break;
    case Incoming::DiagnosisWithdrawn:
        h.byReaction(DiagnosisWithdrawn{dx, receptionId()});
        break;
    case Incoming::OtherTreatmentRefused: {
        History other(otherReceptionId());
        other.byCommand(TreatmentRefused{otherDiagnosisId(), otherReceptionId(), u"declined"_s}, doctorStation());
        return other.events().back();
    }
    case Incoming::ResultsReady:
        h.byReaction(ResultsReady{dx});
        break;
    }
    return h.events().back();
}

QByteArray incomingName(Incoming kind)
{
    return kind == Incoming::OtherTreatmentRefused ? QByteArray("TreatmentRefused(other diagnosis)")
                                                   : eventTypeName(incoming(kind).payload).toUtf8();
}

} // namespace

class TestExaminationRules : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase();

    void commandTransitions_data();
    void commandTransitions();
    void reactions_data();
    void reactions();

    void performRecordsExaminerAndResult();
    void cancelRecordsExaminerAndReason();
    void requestedCopiesThePrescription();
    void commandsOfOtherContextsAreInvalid_data();
    void commandsOfOtherContextsAreInvalid();

private:
    int m_cases = 0;
};

void TestExaminationRules::cleanupTestCase()
{
    qInfo("TestExaminationRules: %d transition cases (status x command, status x reaction, foreign commands)", m_cases);
}

void TestExaminationRules::commandTransitions_data()
{
    QTest::addColumn<MaybeState>("from");
    QTest::addColumn<CommandKind>("kind");
    QTest::addColumn<ErrorCode>("error");
    QTest::addColumn<QString>("event");
    QTest::addColumn<MaybeState>("to");

    auto row = [this](MaybeState from, K kind, ErrorCode error, const QString &event = {}, MaybeState to = {}) {
        QTest::addRow("%s x %s", examStateName(from).constData(), kindName(kind).constData())
            << from << kind << error << event << to;
        ++m_cases;
    };
    for (K kind : {K::PerformExamination, K::CancelExamination}) {
        row(std::nullopt, kind, ErrorCode::ExaminationNotFound);
        for (ExamState s : kStates) {
            if (s != ExamState::Requested)
                row(s, kind, movedOnError(s));
            else if (kind == K::PerformExamination)
                row(s, kind, ErrorCode::None, u"ExaminationPerformed"_s, ExamState::Performed);
            else
                row(s, kind, ErrorCode::None, u"ExaminationCancelled"_s, ExamState::Cancelled);
        }
    }
}

void TestExaminationRules::commandTransitions()
{
    QFETCH(MaybeState, from);
    QFETCH(CommandKind, kind);
    QFETCH(ErrorCode, error);
    QFETCH(QString, event);
    QFETCH(MaybeState, to);

    const std::optional<Examination> before = examinationIn(from);
    QCOMPARE(before.has_value(), from.has_value());
    if (from)
        QVERIFY(isIn(*before, *from));

    const Command command = commandOf(kind);
    const CommandMeta meta = examinerMeta();
    const auto result = examination::execute(before, command, meta, Catalogue::builtIn());
    QCOMPARE(result.code(), error);
    if (!result.ok()) {
        QVERIFY(!result.error().message().isEmpty());
        return;
    }

    QCOMPARE(typesOf(result->events), QStringList{event});
    QVERIFY(result->state.has_value());
    QVERIFY(isIn(*result->state, *to));
    verifyCausedByCommand(result->events, meta, examId(1));
    if (QTest::currentTestFailed())
        return;
    QVERIFY(result->state == fold(before, result->events, examination::evolve));
    const auto again = examination::execute(before, command, meta, Catalogue::builtIn());
    QVERIFY(again.ok() && again->events == result->events);
}

void TestExaminationRules::reactions_data()
{
    QTest::addColumn<MaybeState>("from");
    QTest::addColumn<Incoming>("kind");
    QTest::addColumn<ErrorCode>("error");
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<MaybeState>("to");

    auto row = [this](MaybeState from, Incoming kind, ErrorCode error, const QStringList &events, MaybeState to) {
        QTest::addRow("%s on %s", incomingName(kind).constData(), examStateName(from).constData())
            << from << kind << error << events << to;
        ++m_cases;
    };

    // Step 4: a prescription becomes a request in the examiners' queue, once.
    row(std::nullopt, Incoming::ExaminationPrescribed, ErrorCode::None, {u"ExaminationRequested"_s},
        ExamState::Requested);
    for (ExamState s : kStates)
        row(s, Incoming::ExaminationPrescribed, ErrorCode::None, {}, s);

    // Step 7 and the compensation: only a still-requested examination is withdrawn, with the reason why.
    for (Incoming kind : {Incoming::TreatmentRefused, Incoming::DiagnosisWithdrawn}) {
        const ExamState withdrawn = kind == Incoming::TreatmentRefused ? ExamState::WithdrawnTreatmentRefused
                                                                       : ExamState::WithdrawnVisitCancelled;
        row(std::nullopt, kind, ErrorCode::ExaminationNotFound, {}, std::nullopt);
        for (ExamState s : kStates) {
            if (s == ExamState::Requested)
                row(s, kind, ErrorCode::None, {u"ExaminationWithdrawn"_s}, withdrawn);
            else
                row(s, kind, ErrorCode::None, {}, s);
        }
    }
    // Another diagnosis's refusal, or an event nobody routes here, leaves a requested examination alone.
    row(ExamState::Requested, Incoming::OtherTreatmentRefused, ErrorCode::None, {}, ExamState::Requested);
    row(ExamState::Requested, Incoming::ResultsReady, ErrorCode::None, {}, ExamState::Requested);
}

void TestExaminationRules::reactions()
{
    QFETCH(MaybeState, from);
    QFETCH(Incoming, kind);
    QFETCH(ErrorCode, error);
    QFETCH(QStringList, events);
    QFETCH(MaybeState, to);

    const std::optional<Examination> before = examinationIn(from);
    const Event cause = incoming(kind);
    const ReactionContext context = reactionContext();
    const auto result = examination::react(before, cause, context);
    QCOMPARE(result.code(), error);
    if (!result.ok())
        return;

    QCOMPARE(typesOf(result->events), events);
    QVERIFY(result->state.has_value());
    QVERIFY(isIn(*result->state, *to));
    if (events.isEmpty())
        QVERIFY(result->state == before);
    verifyCausedByEvent(result->events, cause, context.now, examId(1));
    if (QTest::currentTestFailed())
        return;
    if (!result->events.empty() && to != ExamState::Requested) {
        const auto &w = std::get<ExaminationWithdrawn>(result->events.front().payload);
        QCOMPARE(w.examinationId, examId(1));
        QCOMPARE(w.diagnosisId, diagnosisId());
        QCOMPARE_NAMED(w.reason, *to == ExamState::WithdrawnTreatmentRefused ? WithdrawReason::TreatmentRefused
                                                                             : WithdrawReason::VisitCancelled);
        // The withdrawal has a time of its own; it was never performed nor cancelled.
        QCOMPARE(result->state->withdrawnAt, context.now);
        QVERIFY(!result->state->performedAt.isValid());
        QVERIFY(!result->state->cancelledAt.isValid());
    }
    QVERIFY(result->state == fold(before, result->events, examination::evolve));
    const auto again = examination::react(before, cause, context);
    QVERIFY(again.ok() && again->events == result->events);
}

void TestExaminationRules::performRecordsExaminerAndResult()
{
    const CommandMeta meta = examinerMeta();
    const auto result = examination::execute(examinationIn(ExamState::Requested), commandOf(K::PerformExamination),
                                             meta, Catalogue::builtIn());
    QVERIFY(result.ok());
    const auto &performed = std::get<ExaminationPerformed>(result->events.front().payload);
    QCOMPARE(performed.examinationId, examId(1));
    QCOMPARE(performed.diagnosisId, diagnosisId());
    QCOMPARE(performed.examiner, examinerStation());
    QCOMPARE(performed.result, u"within normal limits"_s);
    const Examination &x = *result->state;
    QCOMPARE(x.examiner, examinerStation());
    QCOMPARE(x.result, u"within normal limits"_s);
    QCOMPARE(x.performedAt, meta.at);
    QVERIFY(x.cancelReason.isEmpty());
    QVERIFY(!x.cancelledAt.isValid());
    QVERIFY(!x.withdrawnAt.isValid());
}

void TestExaminationRules::cancelRecordsExaminerAndReason()
{
    const CommandMeta meta = examinerMeta();
    const auto result = examination::execute(examinationIn(ExamState::Requested), commandOf(K::CancelExamination), meta,
                                             Catalogue::builtIn());
    QVERIFY(result.ok());
    const auto &cancelled = std::get<ExaminationCancelled>(result->events.front().payload);
    QCOMPARE(cancelled.examiner, examinerStation());
    QCOMPARE(cancelled.reason, u"patient unwell"_s);
    QCOMPARE(result->state->cancelReason, u"patient unwell"_s);
    QVERIFY(result->state->result.isEmpty());
    // Each time means one thing: a cancelled examination was never performed.
    QCOMPARE(result->state->cancelledAt, meta.at);
    QVERIFY(!result->state->performedAt.isValid());
    QVERIFY(!result->state->withdrawnAt.isValid());
}

void TestExaminationRules::requestedCopiesThePrescription()
{
    const Event prescribed = incoming(Incoming::ExaminationPrescribed);
    const auto result = examination::react(std::nullopt, prescribed, reactionContext());
    QVERIFY(result.ok());
    const auto &requested = std::get<ExaminationRequested>(result->events.front().payload);
    QCOMPARE(requested.examinationId, examId(1));
    QCOMPARE(requested.diagnosisId, diagnosisId());
    QCOMPARE(requested.code, u"BLOOD"_s);
    QCOMPARE(requested.note, u"fasting"_s);
    const Examination &x = *result->state;
    QCOMPARE(x.id, examId(1));
    QCOMPARE(x.receptionId, receptionId()); // the visit, carried as correlation
    QCOMPARE(x.requestedAt, reactionContext().now);
    QCOMPARE_NAMED(x.status, ExaminationStatus::Requested);
    QVERIFY(!x.withdrawReason.has_value());
}

void TestExaminationRules::commandsOfOtherContextsAreInvalid_data()
{
    QTest::addColumn<CommandKind>("kind");
    for (CommandKind kind : allCommandKinds()) {
        if (commandContext(commandOf(kind)) != BoundedContext::Examination) {
            QTest::addRow("%s", kindName(kind).constData()) << kind;
            ++m_cases;
        }
    }
}

void TestExaminationRules::commandsOfOtherContextsAreInvalid()
{
    QFETCH(CommandKind, kind);
    const auto result = examination::execute(examinationIn(ExamState::Requested), commandOf(kind), examinerMeta(),
                                             Catalogue::builtIn());
    QCOMPARE(result.code(), ErrorCode::InvalidCommand);
}

QTEST_GUILESS_MAIN(TestExaminationRules)
#include "TestExaminationRules.moc"
