// The diagnosis context's rules, table-driven from ARCHITECTURE §2 and §3 (steps 2, 3, 6, 7 and the compensation):
//   waiting -> exams_pending <-> results_ready -> reviewed -> completed | refused;  waiting -> completed | refused;
//   any open state -> withdrawn.  Refusing is allowed from any open state: §3 step 7 withdraws the examinations still
//   open at that moment, so a refusal must be possible while examinations are pending.
#include "support/DomainFixtures.h"

#include <QTest>

using namespace clinicflow::domain;
using namespace clinicflow::domain::fixtures;
using namespace Qt::StringLiterals;

namespace {

using MaybeStatus = std::optional<DiagnosisStatus>;
using MaybeExamStatus = std::optional<ExaminationStatus>;
using S = DiagnosisStatus;
using K = CommandKind;

const QList<S> kStatuses{S::Waiting,   S::ExamsPending, S::ResultsReady, S::Reviewed,
                         S::Completed, S::Refused,      S::Withdrawn};

bool isOpenPerArchitecture(S s)
{
    return s == S::Waiting || s == S::ExamsPending || s == S::ResultsReady || s == S::Reviewed;
}

// The error a finished diagnosis gives to any doctor's command.
ErrorCode finishedError(S s)
{
    return s == S::Completed ? ErrorCode::TreatmentAlreadyCompleted
           : s == S::Refused ? ErrorCode::TreatmentAlreadyRefused
                             : ErrorCode::DiagnosisWithdrawn;
}

// The events of other contexts that the diagnosis context hears, plus one it does not.
enum class Incoming
{
    ReceptionRegistered,
    ReceptionCancelled,
    ExaminationPerformed,
    ExaminationCancelled,
    ExaminationWithdrawn,
    TreatmentStarted,
};

Event incoming(Incoming kind)
{
    const QUuid dx = diagnosisId();
    History h;
    switch (kind) {
    case Incoming::ReceptionRegistered:
        h.byCommand(registeredFrom(validRegistration()), deskStation());
        break;
    case Incoming::ReceptionCancelled:
        h.byCommand(ReceptionCancelled{receptionId(), u"patient left"_s}, deskStation());
        break;
    case Incoming::ExaminationPerformed:
        h.byCommand(ExaminationPerformed{examId(1), dx, examinerStation(), u"high"_s}, examinerStation());
        break;
    case Incoming::ExaminationCancelled:
        h.byCommand(ExaminationCancelled{examId(1), dx, examinerStation(), u"no reagent"_s}, examinerStation());
        break;
    case Incoming::ExaminationWithdrawn:
        h.byReaction(ExaminationWithdrawn{examId(1), dx, WithdrawReason::TreatmentRefused});
        break;
    case Incoming::TreatmentStarted:
        h.byReaction(TreatmentStarted{receptionId(), dx, u"dr.kim"_s});
        break;
    }
    return h.events().back();
}

QByteArray incomingName(Incoming kind)
{
    return eventTypeName(incoming(kind).payload).toUtf8();
}

QByteArray fixtureName(MaybeStatus s, int openExams)
{
    QByteArray name = statusName(s);
    if (s && (*s == S::ExamsPending || *s == S::Refused || *s == S::Withdrawn))
        name += '(' + QByteArray::number(openExams) + " open)";
    return name;
}

} // namespace

class TestDiagnosisRules : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase();

    void commandTransitions_data();
    void commandTransitions();
    void reactions_data();
    void reactions();

    void registrationAssignsADoctor();
    void registrationWithNoDoctorFails();
    void prescriptionIsRecorded();
    void outcomeCarriesTheVisitAndNote();
    void prescribingAfterResultsReadyReopens();
    void commandsOfOtherContextsAreInvalid_data();
    void commandsOfOtherContextsAreInvalid();
    void aDoctorActsOnTheirOwnPatients();
    void handOverMovesThePatientToTheColleague();
    void handOverRefusals();

private:
    int m_cases = 0;
};

void TestDiagnosisRules::cleanupTestCase()
{
    qInfo("TestDiagnosisRules: %d transition cases (status x command, status x reaction, foreign commands)", m_cases);
}

void TestDiagnosisRules::commandTransitions_data()
{
    QTest::addColumn<MaybeStatus>("from");
    QTest::addColumn<CommandKind>("kind");
    QTest::addColumn<ErrorCode>("error");
    QTest::addColumn<QString>("event");
    QTest::addColumn<MaybeStatus>("to");

    auto row = [this](MaybeStatus from, K kind, ErrorCode error, const QString &event = {}, MaybeStatus to = {}) {
        QTest::addRow("%s x %s", statusName(from).constData(), kindName(kind).constData())
            << from << kind << error << event << to;
        ++m_cases;
    };
    const QList<K> doctorCommands{K::PrescribeExamination, K::ReviewResults, K::CompleteTreatment, K::RefuseTreatment};
    for (K kind : doctorCommands)
        row(std::nullopt, kind, ErrorCode::DiagnosisNotFound);

    for (S from : kStatuses) {
        if (!isOpenPerArchitecture(from)) {
            for (K kind : doctorCommands)
                row(from, kind, finishedError(from));
            continue;
        }
        // Prescribing: before any result, while others are pending, and after results came back (exams_pending <->
        // results_ready); no longer once the results are reviewed (then the doctor completes or refuses).
        if (from == S::Reviewed)
            row(from, K::PrescribeExamination, ErrorCode::ResultsAlreadyReviewed);
        else
            row(from, K::PrescribeExamination, ErrorCode::None, u"ExaminationPrescribed"_s, S::ExamsPending);

        // Reviewing: only results that are ready, and only once.
        switch (from) {
        case S::Waiting:
            row(from, K::ReviewResults, ErrorCode::ResultsNotReady);
            break;
        case S::ExamsPending:
            row(from, K::ReviewResults, ErrorCode::ExaminationsStillPending);
            break;
        case S::ResultsReady:
            row(from, K::ReviewResults, ErrorCode::None, u"ResultsReviewed"_s, S::Reviewed);
            break;
        default:
            row(from, K::ReviewResults, ErrorCode::ResultsAlreadyReviewed);
            break;
        }

        // Completing: with no examination at all, or after the review.
        switch (from) {
        case S::ExamsPending:
            row(from, K::CompleteTreatment, ErrorCode::ExaminationsStillPending);
            break;
        case S::ResultsReady:
            row(from, K::CompleteTreatment, ErrorCode::ResultsNotReviewed);
            break;
        default:
            row(from, K::CompleteTreatment, ErrorCode::None, u"TreatmentCompleted"_s, S::Completed);
            break;
        }

        // Refusing: from any open state.
        row(from, K::RefuseTreatment, ErrorCode::None, u"TreatmentRefused"_s, S::Refused);
    }
}

void TestDiagnosisRules::commandTransitions()
{
    QFETCH(MaybeStatus, from);
    QFETCH(CommandKind, kind);
    QFETCH(ErrorCode, error);
    QFETCH(QString, event);
    QFETCH(MaybeStatus, to);

    const std::optional<Diagnosis> before = diagnosisIn(from);
    QCOMPARE(before.has_value(), from.has_value());
    if (from)
        QCOMPARE_NAMED(before->status, *from);

    const Command command = commandOf(kind);
    const CommandMeta meta = doctorMeta();
    const auto result = diagnosis::execute(before, command, meta, Catalogue::builtIn());
    QCOMPARE(result.code(), error);
    if (!result.ok()) {
        QVERIFY(!result.error().message().isEmpty());
        return;
    }

    QCOMPARE(typesOf(result->events), QStringList{event});
    QVERIFY(result->state.has_value());
    QCOMPARE_NAMED(result->state->status, *to);
    verifyCausedByCommand(result->events, meta, diagnosisId());
    if (QTest::currentTestFailed())
        return;
    QVERIFY(result->state == fold(before, result->events, diagnosis::evolve));
    const auto again = diagnosis::execute(before, command, meta, Catalogue::builtIn());
    QVERIFY(again.ok() && again->events == result->events);
}

void TestDiagnosisRules::reactions_data()
{
    QTest::addColumn<MaybeStatus>("from");
    QTest::addColumn<int>("openExams");
    QTest::addColumn<Incoming>("kind");
    QTest::addColumn<ErrorCode>("error");
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<MaybeStatus>("to");
    QTest::addColumn<MaybeExamStatus>("exam1"); // exam 1's prescription afterwards; nothing: not prescribed here

    using X = ExaminationStatus;
    auto row = [this](MaybeStatus from, int open, Incoming kind, ErrorCode error, const QStringList &events,
                      MaybeStatus to, MaybeExamStatus exam1) {
        QTest::addRow("%s on %s", incomingName(kind).constData(), fixtureName(from, open).constData())
            << from << open << kind << error << events << to << exam1;
        ++m_cases;
    };
    // What exam 1's prescription is in each fixture before the reaction.
    auto exam1Before = [](S s) -> MaybeExamStatus {
        if (s == S::Waiting)
            return std::nullopt;
        return (s == S::ExamsPending || s == S::Refused || s == S::Withdrawn) ? X::Requested : X::Performed;
    };

    // Step 2: a registered visit gets its diagnosis, once.
    row(std::nullopt, 0, Incoming::ReceptionRegistered, ErrorCode::None, {u"DiagnosisRegistered"_s}, S::Waiting,
        std::nullopt);
    for (S s : kStatuses)
        row(s, 1, Incoming::ReceptionRegistered, ErrorCode::None, {}, s, exam1Before(s));

    // Compensation: a cancelled visit withdraws an open diagnosis; a finished one stays as it is.
    row(std::nullopt, 0, Incoming::ReceptionCancelled, ErrorCode::DiagnosisNotFound, {}, std::nullopt, std::nullopt);
    for (S s : kStatuses) {
        if (isOpenPerArchitecture(s))
            row(s, 1, Incoming::ReceptionCancelled, ErrorCode::None, {u"DiagnosisWithdrawn"_s}, S::Withdrawn,
                exam1Before(s));
        else
            row(s, 1, Incoming::ReceptionCancelled, ErrorCode::None, {}, s, exam1Before(s));
    }

    // Step 6: a result (performed or cancelled) is recorded; ResultsReady once none is still requested.
    for (Incoming kind : {Incoming::ExaminationPerformed, Incoming::ExaminationCancelled}) {
        const X outcome = kind == Incoming::ExaminationPerformed ? X::Performed : X::Cancelled;
        row(std::nullopt, 0, kind, ErrorCode::DiagnosisNotFound, {}, std::nullopt, std::nullopt);
        row(S::Waiting, 0, kind, ErrorCode::None, {}, S::Waiting, std::nullopt); // not one of ours: ignored
        row(S::ExamsPending, 1, kind, ErrorCode::None, {u"ResultsReady"_s}, S::ResultsReady, outcome);
        row(S::ExamsPending, 2, kind, ErrorCode::None, {}, S::ExamsPending, outcome); // exam 2 still requested
        // Replays after the result was recorded: the first outcome stands, nothing is said twice.
        for (S s : {S::ResultsReady, S::Reviewed, S::Completed})
            row(s, 1, kind, ErrorCode::None, {}, s, X::Performed);
        // A result that crossed the doctor's refusal or the cancel: recorded, and no ResultsReady.
        row(S::Refused, 1, kind, ErrorCode::None, {}, S::Refused, outcome);
        row(S::Withdrawn, 1, kind, ErrorCode::None, {}, S::Withdrawn, outcome);
    }

    // Step 7 / compensation: a withdrawal (only ever after a refusal or a cancel) is recorded and says nothing.
    row(std::nullopt, 0, Incoming::ExaminationWithdrawn, ErrorCode::DiagnosisNotFound, {}, std::nullopt, std::nullopt);
    row(S::Refused, 1, Incoming::ExaminationWithdrawn, ErrorCode::None, {}, S::Refused, X::Withdrawn);
    row(S::Withdrawn, 1, Incoming::ExaminationWithdrawn, ErrorCode::None, {}, S::Withdrawn, X::Withdrawn);

    // An event nobody routes to this context changes nothing.
    for (S s : kStatuses)
        row(s, 1, Incoming::TreatmentStarted, ErrorCode::None, {}, s, exam1Before(s));
}

void TestDiagnosisRules::reactions()
{
    QFETCH(MaybeStatus, from);
    QFETCH(int, openExams);
    QFETCH(Incoming, kind);
    QFETCH(ErrorCode, error);
    QFETCH(QStringList, events);
    QFETCH(MaybeStatus, to);
    QFETCH(MaybeExamStatus, exam1);

    const std::optional<Diagnosis> before = diagnosisIn(from, openExams);
    if (from)
        QCOMPARE_NAMED(before->status, *from);
    const Event cause = incoming(kind);
    const ReactionContext context = reactionContext();
    const auto result = diagnosis::react(before, cause, context);
    QCOMPARE(result.code(), error);
    if (!result.ok())
        return;

    QCOMPARE(typesOf(result->events), events);
    QVERIFY(result->state.has_value());
    QCOMPARE_NAMED(result->state->status, *to);
    const Prescription *p = result->state->prescription(examId(1));
    QCOMPARE(p != nullptr, exam1.has_value());
    if (p)
        QCOMPARE_NAMED(p->status, *exam1);
    verifyCausedByEvent(result->events, cause, context.now, diagnosisId());
    if (QTest::currentTestFailed())
        return;
    const auto again = diagnosis::react(before, cause, context);
    QVERIFY(again.ok() && again->events == result->events && again->state == result->state);
}

void TestDiagnosisRules::registrationAssignsADoctor()
{
    const Event registered = incoming(Incoming::ReceptionRegistered);
    const auto result = diagnosis::react(std::nullopt, registered, reactionContext({{u"dr.kim"_s, 3}}));
    QVERIFY(result.ok());
    const auto &payload = std::get<DiagnosisRegistered>(result->events.front().payload);
    QCOMPARE(payload.diagnosisId, diagnosis::idForVisit(receptionId()));
    QCOMPARE(payload.receptionId, receptionId());
    QCOMPARE(payload.doctor, u"dr.lee"_s); // the least-loaded doctor of IM
    QCOMPARE(payload.department, u"IM"_s);
    QCOMPARE_NAMED(payload.priority, Priority::Normal);

    const Diagnosis &d = *result->state;
    QCOMPARE(d.id, diagnosisId());
    QCOMPARE(d.doctor, u"dr.lee"_s);
    QCOMPARE(d.registeredAt, reactionContext().now);
    QVERIFY(d.prescriptions.isEmpty());

    // A requested doctor wins over the load.
    History h;
    RegisterVisit requested = validRegistration();
    requested.requestedDoctor = u"dr.kim"_s;
    h.byCommand(registeredFrom(requested), deskStation());
    const auto withRequest = diagnosis::react(std::nullopt, h.events().back(), reactionContext({{u"dr.kim"_s, 3}}));
    QVERIFY(withRequest.ok());
    QCOMPARE(withRequest->state->doctor, u"dr.kim"_s);
}

void TestDiagnosisRules::registrationWithNoDoctorFails()
{
    const Catalogue noDoctors({{u"IM"_s, u"Internal medicine"_s}}, {}, {{u"BLOOD"_s, u"Blood test"_s}});
    ReactionContext context = reactionContext();
    context.catalogue = noDoctors;
    const auto result = diagnosis::react(std::nullopt, incoming(Incoming::ReceptionRegistered), context);
    QCOMPARE(result.code(), ErrorCode::NoDoctorAvailable);
}

void TestDiagnosisRules::prescriptionIsRecorded()
{
    const auto result = diagnosis::execute(diagnosisIn(S::Waiting), commandOf(K::PrescribeExamination), doctorMeta(),
                                           Catalogue::builtIn());
    QVERIFY(result.ok());
    const auto &payload = std::get<ExaminationPrescribed>(result->events.front().payload);
    QCOMPARE(payload.diagnosisId, diagnosisId());
    QCOMPARE(payload.examinationId, freshExamId());
    QCOMPARE(payload.code, u"XRAY"_s);
    QCOMPARE(payload.note, u"chest, two views"_s);
    const Prescription *p = result->state->prescription(freshExamId());
    QVERIFY(p);
    QCOMPARE_NAMED(p->status, ExaminationStatus::Requested);
    QCOMPARE(p->code, u"XRAY"_s);
    QCOMPARE(result->state->countWith(ExaminationStatus::Requested), 1);
}

void TestDiagnosisRules::outcomeCarriesTheVisitAndNote()
{
    const auto completed = diagnosis::execute(diagnosisIn(S::Reviewed), commandOf(K::CompleteTreatment), doctorMeta(),
                                              Catalogue::builtIn());
    QVERIFY(completed.ok());
    const auto &c = std::get<TreatmentCompleted>(completed->events.front().payload);
    QCOMPARE(c.receptionId, receptionId());
    QCOMPARE(c.note, u"discharged"_s);
    QCOMPARE(completed->state->outcomeNote, u"discharged"_s);

    const auto refused = diagnosis::execute(diagnosisIn(S::ExamsPending), commandOf(K::RefuseTreatment), doctorMeta(),
                                            Catalogue::builtIn());
    QVERIFY(refused.ok());
    const auto &r = std::get<TreatmentRefused>(refused->events.front().payload);
    QCOMPARE(r.receptionId, receptionId());
    QCOMPARE(r.diagnosisId, diagnosisId());
    QCOMPARE(r.note, u"patient declined"_s);

    const auto reviewed = diagnosis::execute(diagnosisIn(S::ResultsReady), commandOf(K::ReviewResults), doctorMeta(),
                                             Catalogue::builtIn());
    QVERIFY(reviewed.ok());
    QCOMPARE(reviewed->state->reviewNote, u"no findings"_s);
}

void TestDiagnosisRules::prescribingAfterResultsReadyReopens()
{
    // results_ready -> exams_pending (a new prescription) -> results_ready again once it has a result.
    auto prescribed = diagnosis::execute(diagnosisIn(S::ResultsReady), commandOf(K::PrescribeExamination), doctorMeta(),
                                         Catalogue::builtIn());
    QVERIFY(prescribed.ok());
    QCOMPARE_NAMED(prescribed->state->status, S::ExamsPending);

    History h;
    h.byCommand(ExaminationPerformed{freshExamId(), diagnosisId(), examinerStation(), u"clear"_s}, examinerStation());
    const auto ready = diagnosis::react(prescribed->state, h.events().back(), reactionContext());
    QVERIFY(ready.ok());
    QCOMPARE(typesOf(ready->events), QStringList{u"ResultsReady"_s});
    QCOMPARE_NAMED(ready->state->status, S::ResultsReady);
    QCOMPARE(ready->state->countWith(ExaminationStatus::Performed), 2);
}

void TestDiagnosisRules::commandsOfOtherContextsAreInvalid_data()
{
    QTest::addColumn<CommandKind>("kind");
    for (CommandKind kind : allCommandKinds()) {
        if (commandContext(commandOf(kind)) != BoundedContext::Diagnosis) {
            QTest::addRow("%s", kindName(kind).constData()) << kind;
            ++m_cases;
        }
    }
}

void TestDiagnosisRules::commandsOfOtherContextsAreInvalid()
{
    QFETCH(CommandKind, kind);
    const auto result =
        diagnosis::execute(diagnosisIn(S::Waiting), commandOf(kind), doctorMeta(), Catalogue::builtIn());
    QCOMPARE(result.code(), ErrorCode::InvalidCommand);
}

void TestDiagnosisRules::aDoctorActsOnTheirOwnPatients()
{
    const Diagnosis d = *diagnosisIn(S::Waiting);
    QVERIFY(diagnosis::actsFor(d, d.doctor).ok());
    const QString other = d.doctor == u"dr.lee"_s ? u"dr.kim"_s : u"dr.lee"_s;
    QCOMPARE(diagnosis::actsFor(d, other).code(), ErrorCode::NotYourPatient);
    QCOMPARE(diagnosis::actsFor(d, QString()).code(), ErrorCode::NotYourPatient); // a room for no doctor: nobody's
}

void TestDiagnosisRules::handOverMovesThePatientToTheColleague()
{
    for (S status : {S::Waiting, S::ExamsPending, S::ResultsReady, S::Reviewed}) {
        const std::optional<Diagnosis> before = diagnosisIn(status);
        const QString from = before->doctor;
        const QString to = from == u"dr.lee"_s ? u"dr.kim"_s : u"dr.lee"_s;
        const auto handed = diagnosis::execute(before, HandOverVisit{diagnosisId(), to, u"end of shift"_s},
                                               doctorMeta(), Catalogue::builtIn());
        QVERIFY2(handed.ok(), qPrintable(toString(status)));
        QCOMPARE(typesOf(handed->events), QStringList{u"DiagnosisHandedOver"_s});
        const auto &e = std::get<DiagnosisHandedOver>(handed->events.front().payload);
        QCOMPARE(e.fromDoctor, from);
        QCOMPARE(e.toDoctor, to);
        QCOMPARE(e.note, u"end of shift"_s);
        // Only the doctor changes: the consultation goes on where it was.
        QCOMPARE(handed->state->doctor, to);
        QCOMPARE_NAMED(handed->state->status, status);
        QCOMPARE(handed->state->prescriptions, before->prescriptions);
        QCOMPARE(diagnosis::actsFor(*handed->state, from).code(), ErrorCode::NotYourPatient);
        QVERIFY(diagnosis::actsFor(*handed->state, to).ok());
    }
}

void TestDiagnosisRules::handOverRefusals()
{
    const std::optional<Diagnosis> open = diagnosisIn(S::Waiting);
    const auto handOver = [](const std::optional<Diagnosis> &d, const QString &to) {
        return diagnosis::execute(d, HandOverVisit{diagnosisId(), to, {}}, doctorMeta(), Catalogue::builtIn()).code();
    };
    QCOMPARE(handOver(open, u"dr.nobody"_s), ErrorCode::UnknownDoctor);
    QCOMPARE(handOver(open, QString()), ErrorCode::UnknownDoctor);
    QCOMPARE(handOver(open, open->doctor), ErrorCode::InvalidCommand);
    const QString colleague = open->doctor == u"dr.lee"_s ? u"dr.kim"_s : u"dr.lee"_s;
    for (S closed : {S::Completed, S::Refused, S::Withdrawn})
        QCOMPARE(handOver(diagnosisIn(closed), colleague), finishedError(closed));
    QCOMPARE(handOver(std::nullopt, colleague), ErrorCode::DiagnosisNotFound);
}

QTEST_GUILESS_MAIN(TestDiagnosisRules)
#include "TestDiagnosisRules.moc"
