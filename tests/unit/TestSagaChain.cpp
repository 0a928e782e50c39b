// The whole saga of ARCHITECTURE §3, played through domain::reactionsTo() and the three contexts' react() by the
// in-memory SagaPlayer: the happy path to `closed`, both compensation chains, and commands or events that arrive
// after their target moved on.
#include "support/DomainFixtures.h"
#include "support/SagaPlayer.h"

#include <QSet>
#include <QTest>

using namespace clinicflow::domain;
using namespace clinicflow::domain::fixtures;
using namespace Qt::StringLiterals;

namespace {

using C = BoundedContext;

QString reactionText(const Reaction &r)
{
    return toString(r.context) + (r.target == Reaction::Target::Aggregate ? u":aggregate:"_s : u":open-of:"_s) +
           idString(r.key);
}

// A visit's commands, each with its own command id, from the station of the role that issues it.
class Desk
{
public:
    explicit Desk(SagaPlayer &player)
        : m_player(player)
    {
    }

    Result<Events> operator()(const Command &command)
    {
        const QString station = commandRole(command) == Role::Receptionist ? deskStation()
                                : commandRole(command) == Role::Doctor     ? doctorStation()
                                                                           : examinerStation();
        ++m_count;
        const CommandMeta meta = metaOf(m_count, station, m_count);
        m_commandIds.insert(meta.commandId);
        return m_player.submit(command, meta);
    }
    const QSet<QUuid> &commandIds() const { return m_commandIds; }

private:
    SagaPlayer &m_player;
    int m_count = 0;
    QSet<QUuid> m_commandIds;
};

PrescribeExamination prescribe(int exam, const QString &code)
{
    return PrescribeExamination{diagnosisId(), examId(exam), code, {}};
}

} // namespace

class TestSagaChain : public QObject
{
    Q_OBJECT

private slots:
    void routing_data();
    void routing();

    void happyPathToClosed();
    void leastLoadedDoctorIsAssigned();
    void completeOrRefuseWithoutExaminations();
    void cancelVisitWithdrawsEverythingOpen();
    void refuseTreatmentWithdrawsOpenExaminations();
    void deskWorksWhileDiagnosisIsDown();
    void resultCrossingARefusalMakesNoResultsReady();

private:
    // The log is well formed: contiguous sequences, unique ids, one visit, and every event caused by a command of
    // this visit or by an earlier event whose station it carries on.
    void verifyLog(const SagaPlayer &player, const Desk &desk);
};

void TestSagaChain::routing_data()
{
    QTest::addColumn<Event>("event");
    QTest::addColumn<QStringList>("reactions");

    const QUuid r = receptionId();
    const QUuid dx = diagnosisId();
    const QUuid x = examId(1);
    const QString toDiagnosis = u"diagnosis:aggregate:"_s + idString(dx);
    const QString toReception = u"reception:aggregate:"_s + idString(r);
    auto row = [](const EventPayload &payload, const QStringList &reactions) {
        QTest::addRow("%s", eventTypeName(payload).toUtf8().constData())
            << stamp(payload, Cause{commandId(1), receptionId(), deskStation(), t0()}) << reactions;
    };
    // §3 step 2: the diagnosis context registers the visit, the reception context starts the treatment.
    row(ReceptionRegistered{r, Ticket{u"A"_s, 1}, {}, u"IM"_s, {}, u"x"_s, Priority::Normal}, {toDiagnosis});
    row(DiagnosisRegistered{dx, r, u"dr.kim"_s, u"IM"_s, Priority::Normal}, {toReception});
    // Step 4: the examination context requests what was prescribed.
    row(ExaminationPrescribed{dx, x, u"BLOOD"_s, {}}, {u"examination:aggregate:"_s + idString(x)});
    // Step 6: the diagnosis context records every result, and every withdrawal.
    row(ExaminationPerformed{x, dx, examinerStation(), u"ok"_s}, {toDiagnosis});
    row(ExaminationCancelled{x, dx, examinerStation(), u"no"_s}, {toDiagnosis});
    row(ExaminationWithdrawn{x, dx, WithdrawReason::TreatmentRefused}, {toDiagnosis});
    // Steps 7 and 8: the outcome goes to the desk; a refusal also withdraws the diagnosis's open examinations.
    row(TreatmentCompleted{dx, r, {}}, {toReception});
    row(TreatmentRefused{dx, r, {}}, {toReception, u"examination:open-of:"_s + idString(dx)});
    // Compensation: cancel -> diagnosis withdrawn -> its open examinations withdrawn.
    row(ReceptionCancelled{r, {}}, {toDiagnosis});
    row(DiagnosisWithdrawn{dx, r}, {u"examination:open-of:"_s + idString(dx)});
    // Ends of the line: nobody reacts.
    row(TreatmentStarted{r, dx, u"dr.kim"_s}, {});
    row(OutcomeRecorded{r, ReceptionStatus::TreatmentCompleted}, {});
    row(VisitClosed{r}, {});
    row(ResultsReady{dx}, {});
    row(ResultsReviewed{dx, {}}, {});
    row(ExaminationRequested{x, dx, u"BLOOD"_s, {}}, {});
}

void TestSagaChain::routing()
{
    QFETCH(Event, event);
    QFETCH(QStringList, reactions);
    QStringList actual;
    for (const Reaction &r : reactionsTo(event))
        actual.append(reactionText(r));
    QCOMPARE(actual, reactions);
}

void TestSagaChain::verifyLog(const SagaPlayer &player, const Desk &desk)
{
    QVERIFY2(player.reactionErrors().isEmpty(), qPrintable(player.reactionErrors().value(0).message()));
    QHash<QUuid, const Event *> earlier;
    quint64 expectedSequence = 0;
    for (const Event &e : player.log()) {
        QCOMPARE(e.sequence, ++expectedSequence);
        QVERIFY2(!earlier.contains(e.id), qPrintable(eventTypeName(e.payload)));
        QCOMPARE(e.visitId, receptionId());
        QCOMPARE(e.aggregateId, eventAggregateId(e.payload));
        if (const Event *cause = earlier.value(e.causationId)) {
            QCOMPARE(e.station, cause->station);
        } else {
            QVERIFY2(desk.commandIds().contains(e.causationId), qPrintable(eventTypeName(e.payload)));
        }
        earlier.insert(e.id, &e);
    }
}

void TestSagaChain::happyPathToClosed()
{
    SagaPlayer player;
    Desk desk(player);
    QVERIFY(desk(validRegistration()).ok());
    QVERIFY(desk(prescribe(1, u"BLOOD"_s)).ok());
    QVERIFY(desk(prescribe(2, u"XRAY"_s)).ok());
    QVERIFY(desk(PerformExamination{examId(1), u"haemoglobin 14"_s}).ok());
    // One result is in, the other still requested: the doctor has nothing to review yet.
    QCOMPARE_NAMED(player.diagnosis(diagnosisId())->status, DiagnosisStatus::ExamsPending);
    QVERIFY(!player.logTypes().contains(u"ResultsReady"_s));
    QCOMPARE(desk(ReviewResults{diagnosisId(), {}}).code(), ErrorCode::ExaminationsStillPending);

    QVERIFY(desk(CancelExamination{examId(2), u"machine down"_s}).ok());
    QCOMPARE_NAMED(player.diagnosis(diagnosisId())->status, DiagnosisStatus::ResultsReady);
    QVERIFY(desk(ReviewResults{diagnosisId(), u"mild anaemia"_s}).ok());
    QVERIFY(desk(CompleteTreatment{diagnosisId(), u"iron supplements"_s}).ok());
    QVERIFY(desk(ConfirmOutcome{receptionId()}).ok());

    const QStringList expected{
        u"ReceptionRegistered"_s,   // 1. desk
        u"DiagnosisRegistered"_s,   // 2. diagnosis context assigns the doctor
        u"TreatmentStarted"_s,      //    reception context: in_treatment
        u"ExaminationPrescribed"_s, // 3. doctor
        u"ExaminationRequested"_s,  // 4. examination context
        u"ExaminationPrescribed"_s, // 3. doctor, the second one
        u"ExaminationRequested"_s,  // 4.
        u"ExaminationPerformed"_s,  // 5. examiner; the diagnosis context records it, one still requested
        u"ExaminationCancelled"_s,  // 5. examiner
        u"ResultsReady"_s,          // 6. none still requested
        u"ResultsReviewed"_s,       // 6. doctor
        u"TreatmentCompleted"_s,    // 7. doctor
        u"OutcomeRecorded"_s,       // 8. reception context: treatment_completed
        u"VisitClosed"_s,           // 8. desk
    };
    QCOMPARE(player.logTypes(), expected);
    verifyLog(player, desk);

    const Reception r = *player.reception(receptionId());
    QCOMPARE_NAMED(r.status, ReceptionStatus::Closed);
    QCOMPARE(r.diagnosisId, diagnosis::idForVisit(receptionId()));
    QCOMPARE(r.doctor, u"dr.kim"_s);
    const Diagnosis d = *player.diagnosis(diagnosisId());
    QCOMPARE_NAMED(d.status, DiagnosisStatus::Completed);
    QCOMPARE(d.reviewNote, u"mild anaemia"_s);
    QCOMPARE(d.outcomeNote, u"iron supplements"_s);
    QCOMPARE_NAMED(d.prescription(examId(1))->status, ExaminationStatus::Performed);
    QCOMPARE(d.prescription(examId(1))->result, u"haemoglobin 14"_s);
    QCOMPARE_NAMED(d.prescription(examId(2))->status, ExaminationStatus::Cancelled);
    QCOMPARE_NAMED(player.examination(examId(1))->status, ExaminationStatus::Performed);
    QCOMPARE(player.examination(examId(1))->examiner, examinerStation());
    QCOMPARE_NAMED(player.examination(examId(2))->status, ExaminationStatus::Cancelled);
    QCOMPARE(player.examination(examId(2))->cancelReason, u"machine down"_s);
}

void TestSagaChain::leastLoadedDoctorIsAssigned()
{
    SagaPlayer player;
    Desk desk(player);
    QVERIFY(desk(validRegistration(receptionId())).ok());
    QVERIFY(desk(validRegistration(otherReceptionId())).ok());
    // Internal medicine has dr.kim then dr.lee: the first visit goes to the first, the second to the idle one.
    QCOMPARE(player.diagnosis(diagnosisId())->doctor, u"dr.kim"_s);
    QCOMPARE(player.diagnosis(otherDiagnosisId())->doctor, u"dr.lee"_s);
    QCOMPARE(player.reception(otherReceptionId())->doctor, u"dr.lee"_s);

    // A requested doctor is assigned whatever the load.
    const QUuid third = QUuid(0x0a000003, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 0x03);
    RegisterVisit request = validRegistration(third);
    request.requestedDoctor = u"dr.lee"_s;
    QVERIFY(desk(request).ok());
    QCOMPARE(player.diagnosis(diagnosis::idForVisit(third))->doctor, u"dr.lee"_s);
    QVERIFY(player.reactionErrors().isEmpty());
}

void TestSagaChain::completeOrRefuseWithoutExaminations()
{
    for (const bool complete : {true, false}) {
        SagaPlayer player;
        Desk desk(player);
        QVERIFY(desk(validRegistration()).ok());
        const auto outcome =
            complete ? desk(CompleteTreatment{diagnosisId(), {}}) : desk(RefuseTreatment{diagnosisId(), {}});
        QVERIFY(outcome.ok());
        QCOMPARE(typesOf(*outcome),
                 (QStringList{complete ? u"TreatmentCompleted"_s : u"TreatmentRefused"_s, u"OutcomeRecorded"_s}));
        QCOMPARE_NAMED(player.reception(receptionId())->status,
                       complete ? ReceptionStatus::TreatmentCompleted : ReceptionStatus::TreatmentRefused);
        QVERIFY(desk(ConfirmOutcome{receptionId()}).ok());
        QCOMPARE_NAMED(player.reception(receptionId())->status, ReceptionStatus::Closed);
        verifyLog(player, desk);
    }
}

void TestSagaChain::cancelVisitWithdrawsEverythingOpen()
{
    SagaPlayer player;
    Desk desk(player);
    QVERIFY(desk(validRegistration()).ok());
    for (int n = 1; n <= 3; ++n)
        QVERIFY(desk(prescribe(n, u"BLOOD"_s)).ok());
    QVERIFY(desk(PerformExamination{examId(1), u"ok"_s}).ok());

    const auto cancelled = desk(CancelVisit{receptionId(), u"patient left"_s});
    QVERIFY(cancelled.ok());
    QCOMPARE(typesOf(*cancelled), (QStringList{u"ReceptionCancelled"_s, u"DiagnosisWithdrawn"_s,
                                               u"ExaminationWithdrawn"_s, u"ExaminationWithdrawn"_s}));
    // Each still-requested examination is withdrawn, in the order requested; the performed one is not.
    for (int i : {2, 3}) {
        const auto &w = std::get<ExaminationWithdrawn>(cancelled->at(std::size_t(i)).payload);
        QCOMPARE(w.examinationId, examId(i));
        QCOMPARE_NAMED(w.reason, WithdrawReason::VisitCancelled);
    }
    QVERIFY(!player.logTypes().contains(u"ResultsReady"_s));
    verifyLog(player, desk);

    QCOMPARE_NAMED(player.reception(receptionId())->status, ReceptionStatus::Cancelled);
    const Diagnosis d = *player.diagnosis(diagnosisId());
    QCOMPARE_NAMED(d.status, DiagnosisStatus::Withdrawn);
    QCOMPARE(d.countWith(ExaminationStatus::Withdrawn), 2);
    QCOMPARE_NAMED(d.prescription(examId(1))->status, ExaminationStatus::Performed);
    QCOMPARE_NAMED(player.examination(examId(1))->status, ExaminationStatus::Performed);
    QCOMPARE_NAMED(player.examination(examId(2))->status, ExaminationStatus::Withdrawn);

    // Out of order: every later command is rejected with the reason, and changes nothing.
    const std::size_t logSize = player.log().size();
    const Examination exam2 = *player.examination(examId(2));
    QCOMPARE(desk(PerformExamination{examId(2), u"late"_s}).code(), ErrorCode::ExaminationWithdrawnVisitCancelled);
    QCOMPARE(desk(CancelExamination{examId(3), u"late"_s}).code(), ErrorCode::ExaminationWithdrawnVisitCancelled);
    QCOMPARE(desk(ReviewResults{diagnosisId(), {}}).code(), ErrorCode::DiagnosisWithdrawn);
    QCOMPARE(desk(ConfirmOutcome{receptionId()}).code(), ErrorCode::VisitAlreadyCancelled);
    QCOMPARE(player.log().size(), logSize);
    QVERIFY(*player.examination(examId(2)) == exam2);
    QVERIFY(*player.diagnosis(diagnosisId()) == d);
}

void TestSagaChain::refuseTreatmentWithdrawsOpenExaminations()
{
    SagaPlayer player;
    Desk desk(player);
    QVERIFY(desk(validRegistration()).ok());
    QVERIFY(desk(prescribe(1, u"BLOOD"_s)).ok());
    QVERIFY(desk(prescribe(2, u"CT"_s)).ok());
    QVERIFY(desk(PerformExamination{examId(1), u"ok"_s}).ok());

    const auto refused = desk(RefuseTreatment{diagnosisId(), u"patient declined the CT"_s});
    QVERIFY(refused.ok());
    QCOMPARE(typesOf(*refused), (QStringList{u"TreatmentRefused"_s, u"OutcomeRecorded"_s, u"ExaminationWithdrawn"_s}));
    QCOMPARE_NAMED(std::get<OutcomeRecorded>(refused->at(1).payload).outcome, ReceptionStatus::TreatmentRefused);
    const auto &withdrawn = std::get<ExaminationWithdrawn>(refused->at(2).payload);
    QCOMPARE(withdrawn.examinationId, examId(2));
    QCOMPARE_NAMED(withdrawn.reason, WithdrawReason::TreatmentRefused);
    QCOMPARE_NAMED(player.reception(receptionId())->status, ReceptionStatus::TreatmentRefused);
    QCOMPARE_NAMED(player.diagnosis(diagnosisId())->status, DiagnosisStatus::Refused);
    QCOMPARE_NAMED(player.diagnosis(diagnosisId())->prescription(examId(2))->status, ExaminationStatus::Withdrawn);
    QCOMPARE_NAMED(player.examination(examId(1))->status, ExaminationStatus::Performed);

    // The examiner comes too late: rejected with the reason, nothing half-applied.
    const std::size_t logSize = player.log().size();
    const Examination exam2 = *player.examination(examId(2));
    const Diagnosis d = *player.diagnosis(diagnosisId());
    const auto late = desk(PerformExamination{examId(2), u"late result"_s});
    QCOMPARE(late.code(), ErrorCode::ExaminationWithdrawnTreatmentRefused);
    QCOMPARE(player.log().size(), logSize);
    QVERIFY(*player.examination(examId(2)) == exam2);
    QVERIFY(*player.diagnosis(diagnosisId()) == d);

    QVERIFY(desk(ConfirmOutcome{receptionId()}).ok());
    QCOMPARE_NAMED(player.reception(receptionId())->status, ReceptionStatus::Closed);
    QCOMPARE(player.logTypes(),
             (QStringList{u"ReceptionRegistered"_s, u"DiagnosisRegistered"_s, u"TreatmentStarted"_s,
                          u"ExaminationPrescribed"_s, u"ExaminationRequested"_s, u"ExaminationPrescribed"_s,
                          u"ExaminationRequested"_s, u"ExaminationPerformed"_s, u"TreatmentRefused"_s,
                          u"OutcomeRecorded"_s, u"ExaminationWithdrawn"_s, u"VisitClosed"_s}));
    verifyLog(player, desk);
}

void TestSagaChain::deskWorksWhileDiagnosisIsDown()
{
    // ARCHITECTURE §7: the desk registers (and here cancels) while the diagnosis worker is down; all is consistent
    // once it returns and catches up in log order.
    SagaPlayer player;
    Desk desk(player);
    player.pause(C::Diagnosis);
    QVERIFY(desk(validRegistration()).ok());
    QVERIFY(desk(validRegistration(otherReceptionId())).ok());
    QCOMPARE_NAMED(player.reception(receptionId())->status, ReceptionStatus::Received);
    QVERIFY(desk(CancelVisit{receptionId(), u"left"_s}).ok());
    QCOMPARE(player.logTypes(),
             (QStringList{u"ReceptionRegistered"_s, u"ReceptionRegistered"_s, u"ReceptionCancelled"_s}));

    player.resume(C::Diagnosis);
    QVERIFY(player.reactionErrors().isEmpty());
    QCOMPARE(player.logTypes(3), (QStringList{u"DiagnosisRegistered"_s, u"DiagnosisRegistered"_s,
                                              u"DiagnosisWithdrawn"_s, u"TreatmentStarted"_s}));
    // The cancelled visit stays cancelled; its late diagnosis is withdrawn; the other visit is in treatment.
    QCOMPARE_NAMED(player.reception(receptionId())->status, ReceptionStatus::Cancelled);
    QCOMPARE_NAMED(player.diagnosis(diagnosisId())->status, DiagnosisStatus::Withdrawn);
    QCOMPARE_NAMED(player.reception(otherReceptionId())->status, ReceptionStatus::InTreatment);
    QCOMPARE_NAMED(player.diagnosis(otherDiagnosisId())->status, DiagnosisStatus::Waiting);
}

void TestSagaChain::resultCrossingARefusalMakesNoResultsReady()
{
    // The examiner performs the last open examination while the doctor refuses: the diagnosis worker sees the
    // refusal first. The result is recorded, the refusal stands, and nobody is told the results are ready.
    SagaPlayer player;
    Desk desk(player);
    QVERIFY(desk(validRegistration()).ok());
    QVERIFY(desk(prescribe(1, u"BLOOD"_s)).ok());
    player.pause(C::Diagnosis);
    QVERIFY(desk(PerformExamination{examId(1), u"ok"_s}).ok());
    QVERIFY(desk(RefuseTreatment{diagnosisId(), {}}).ok());
    player.resume(C::Diagnosis);

    QVERIFY(player.reactionErrors().isEmpty());
    QVERIFY(!player.logTypes().contains(u"ResultsReady"_s));
    QVERIFY(!player.logTypes().contains(u"ExaminationWithdrawn"_s)); // it was performed, not open
    QCOMPARE_NAMED(player.diagnosis(diagnosisId())->status, DiagnosisStatus::Refused);
    QCOMPARE_NAMED(player.diagnosis(diagnosisId())->prescription(examId(1))->status, ExaminationStatus::Performed);
    QCOMPARE_NAMED(player.reception(receptionId())->status, ReceptionStatus::TreatmentRefused);
}

QTEST_GUILESS_MAIN(TestSagaChain)
#include "TestSagaChain.moc"
