// Determinism and idempotency of the domain rules: a command or an event replayed (a resend, a worker restarting
// after a crash) must give the very same events and never a second copy of anything; evolve() only ever changes the
// aggregate its events are about.
#include "support/DomainFixtures.h"

#include <QSet>
#include <QTest>

using namespace clinicflow::domain;
using namespace clinicflow::domain::fixtures;
using namespace Qt::StringLiterals;

class TestDomainDeterminism : public QObject
{
    Q_OBJECT

private slots:
    void sameCommandSameEvents();
    void otherCommandIdOtherEventIds();
    void fanOutEventsHaveDistinctIds();
    void derivedIdIsStable();
    void diagnosisIdIsDerivedFromTheVisit();
    void reactingTwiceRegistersOnce();
    void reactingTwiceRequestsOnce();
    void replayedEventsDoNotResetAggregates();
    void evolveIgnoresOtherAggregates();
    void evolveNeedsACreatingEvent();
};

void TestDomainDeterminism::sameCommandSameEvents()
{
    const Catalogue catalogue = Catalogue::builtIn();
    const auto a = reception::execute(std::nullopt, validRegistration(), deskMeta(7), catalogue);
    const auto b = reception::execute(std::nullopt, validRegistration(), deskMeta(7), catalogue);
    QVERIFY(a.ok() && b.ok());
    QVERIFY(a->events == b->events);
    QVERIFY(a->state == b->state);

    const auto c = diagnosis::execute(diagnosisIn(DiagnosisStatus::Waiting), commandOf(CommandKind::RefuseTreatment),
                                      doctorMeta(8), catalogue);
    const auto d = diagnosis::execute(diagnosisIn(DiagnosisStatus::Waiting), commandOf(CommandKind::RefuseTreatment),
                                      doctorMeta(8), catalogue);
    QVERIFY(c.ok() && d.ok());
    QCOMPARE(c->events.front().id, d->events.front().id);
}

void TestDomainDeterminism::otherCommandIdOtherEventIds()
{
    const Catalogue catalogue = Catalogue::builtIn();
    const auto a = reception::execute(std::nullopt, validRegistration(), deskMeta(7), catalogue);
    const auto b = reception::execute(std::nullopt, validRegistration(), deskMeta(8), catalogue);
    QVERIFY(a.ok() && b.ok());
    QVERIFY(a->events.front().id != b->events.front().id);
    // The same command on another aggregate: other ids too.
    const auto c = reception::execute(std::nullopt, validRegistration(otherReceptionId()), deskMeta(7), catalogue);
    QVERIFY(c.ok());
    QVERIFY(c->events.front().id != a->events.front().id);
}

void TestDomainDeterminism::fanOutEventsHaveDistinctIds()
{
    // One TreatmentRefused makes an OutcomeRecorded and an ExaminationWithdrawn per open examination: all distinct.
    History h;
    h.byCommand(TreatmentRefused{diagnosisId(), receptionId(), {}}, doctorStation());
    const Event refused = h.events().back();
    QSet<QUuid> ids{refused.id};
    const auto outcome = reception::react(receptionIn(ReceptionStatus::InTreatment), refused, reactionContext());
    QVERIFY(outcome.ok() && outcome->events.size() == 1);
    ids.insert(outcome->events.front().id);
    for (int n = 1; n <= 2; ++n) {
        auto x = fold(std::optional<Examination>(), examinationHistory(ExamState::Requested, examId(n)),
                      examination::evolve);
        const auto withdrawn = examination::react(x, refused, reactionContext());
        QVERIFY(withdrawn.ok() && withdrawn->events.size() == 1);
        ids.insert(withdrawn->events.front().id);
    }
    QCOMPARE(ids.size(), 4);
}

void TestDomainDeterminism::derivedIdIsStable()
{
    const QUuid base = receptionId();
    QCOMPARE(derivedId(base, u"diagnosis"), derivedId(base, u"diagnosis"));
    QVERIFY(derivedId(base, u"diagnosis") != derivedId(base, u"other"));
    QVERIFY(derivedId(base, u"diagnosis") != derivedId(otherReceptionId(), u"diagnosis"));
    QVERIFY(!derivedId(base, u"diagnosis").isNull());
    QVERIFY(derivedId(base, u"diagnosis") != base);
}

void TestDomainDeterminism::diagnosisIdIsDerivedFromTheVisit()
{
    const QUuid dx = diagnosis::idForVisit(receptionId());
    QCOMPARE(dx, diagnosis::idForVisit(receptionId()));
    QVERIFY(dx != receptionId());
    QVERIFY(dx != diagnosis::idForVisit(otherReceptionId()));

    History h;
    h.byCommand(registeredFrom(validRegistration()), deskStation());
    const auto registered = diagnosis::react(std::nullopt, h.events().back(), reactionContext());
    QVERIFY(registered.ok());
    QCOMPARE(std::get<DiagnosisRegistered>(registered->events.front().payload).diagnosisId, dx);
    QCOMPARE(registered->events.front().aggregateId, dx);
    // The saga routes the registration to exactly that aggregate.
    QCOMPARE(reactionsTo(h.events().back()).front().key, dx);
}

void TestDomainDeterminism::reactingTwiceRegistersOnce()
{
    History h;
    h.byCommand(registeredFrom(validRegistration()), deskStation());
    const Event registered = h.events().back();
    const auto first = diagnosis::react(std::nullopt, registered, reactionContext());
    QVERIFY(first.ok());
    QCOMPARE(first->events.size(), std::size_t(1));
    // Redelivered, even with other loads that would now pick another doctor: nothing new, nothing changed.
    const auto second = diagnosis::react(first->state, registered, reactionContext({{u"dr.kim"_s, 9}}));
    QVERIFY(second.ok());
    QVERIFY(second->events.empty());
    QVERIFY(second->state == first->state);

    // Likewise the reception starts the treatment only once.
    const Event diagnosisRegistered = first->events.front();
    const auto started =
        reception::react(receptionIn(ReceptionStatus::Received), diagnosisRegistered, reactionContext());
    QVERIFY(started.ok() && started->events.size() == 1);
    const auto again = reception::react(started->state, diagnosisRegistered, reactionContext());
    QVERIFY(again.ok() && again->events.empty());
    QVERIFY(again->state == started->state);
}

void TestDomainDeterminism::reactingTwiceRequestsOnce()
{
    History h;
    h.byCommand(ExaminationPrescribed{diagnosisId(), examId(1), u"BLOOD"_s, {}}, doctorStation());
    const auto first = examination::react(std::nullopt, h.events().back(), reactionContext());
    QVERIFY(first.ok() && first->events.size() == 1);
    const auto second = examination::react(first->state, h.events().back(), reactionContext());
    QVERIFY(second.ok() && second->events.empty());
    QVERIFY(second->state == first->state);

    // And ResultsReady is said once for the last result, however often that result is redelivered.
    const auto pending = diagnosisIn(DiagnosisStatus::ExamsPending, 1);
    History r;
    r.byCommand(ExaminationPerformed{examId(1), diagnosisId(), examinerStation(), u"ok"_s}, examinerStation());
    const auto ready = diagnosis::react(pending, r.events().back(), reactionContext());
    QVERIFY(ready.ok() && ready->events.size() == 1);
    const auto replay = diagnosis::react(ready->state, r.events().back(), reactionContext());
    QVERIFY(replay.ok() && replay->events.empty());
    QVERIFY(replay->state == ready->state);
}

void TestDomainDeterminism::replayedEventsDoNotResetAggregates()
{
    // Folding a creating event again (a replayed log) must not turn a finished aggregate back into a fresh one.
    const Events receptionEvents = receptionHistory(ReceptionStatus::Closed);
    const auto closed = fold(std::optional<Reception>(), receptionEvents, reception::evolve);
    QVERIFY(reception::evolve(closed, receptionEvents.front()) == closed);

    const Events diagnosisEvents = diagnosisHistory(DiagnosisStatus::Completed);
    const auto completed = fold(std::optional<Diagnosis>(), diagnosisEvents, diagnosis::evolve);
    QVERIFY(fold(completed, diagnosisEvents, diagnosis::evolve) == completed);

    const Events examEvents = examinationHistory(ExamState::Performed);
    const auto performed = fold(std::optional<Examination>(), examEvents, examination::evolve);
    QVERIFY(fold(performed, examEvents, examination::evolve) == performed);
}

void TestDomainDeterminism::evolveIgnoresOtherAggregates()
{
    // Another visit's whole history, folded over this visit's aggregates, changes none of them.
    const QUuid other = otherReceptionId();
    const QUuid otherDx = otherDiagnosisId();
    History h(other);
    h.byCommand(registeredFrom(validRegistration(other)), deskStation());
    h.byReaction(DiagnosisRegistered{otherDx, other, u"dr.lee"_s, u"IM"_s, Priority::Urgent});
    h.byReaction(TreatmentStarted{other, otherDx, u"dr.lee"_s});
    h.byCommand(ExaminationPrescribed{otherDx, examId(1), u"CT"_s, {}}, doctorStation()); // same exam id, other dx
    h.byReaction(ExaminationRequested{examId(9), otherDx, u"CT"_s, {}});
    h.byCommand(ExaminationPerformed{examId(1), otherDx, examinerStation(), u"x"_s}, examinerStation());
    h.byCommand(ExaminationPerformed{examId(9), otherDx, examinerStation(), u"x"_s}, examinerStation());
    h.byReaction(ResultsReady{otherDx});
    h.byCommand(ResultsReviewed{otherDx, u"x"_s}, doctorStation());
    h.byCommand(TreatmentRefused{otherDx, other, u"x"_s}, doctorStation());
    h.byReaction(ExaminationWithdrawn{examId(1), otherDx, WithdrawReason::TreatmentRefused});
    h.byReaction(DiagnosisWithdrawn{otherDx, other});
    h.byReaction(OutcomeRecorded{other, ReceptionStatus::TreatmentRefused});
    h.byCommand(ReceptionCancelled{other, {}}, deskStation());
    h.byCommand(VisitClosed{other}, deskStation());

    for (ReceptionStatus s : {ReceptionStatus::Received, ReceptionStatus::InTreatment}) {
        const auto r = receptionIn(s);
        QVERIFY2(fold(r, h.events(), reception::evolve) == r, qPrintable(toString(s)));
    }
    for (DiagnosisStatus s : {DiagnosisStatus::Waiting, DiagnosisStatus::ExamsPending, DiagnosisStatus::Reviewed}) {
        const auto d = diagnosisIn(s);
        QVERIFY2(fold(d, h.events(), diagnosis::evolve) == d, qPrintable(toString(s)));
    }
    const auto x = examinationIn(ExamState::Requested);
    History mine;
    // Only examination 1's own events touch it: another examination's result does not.
    mine.byCommand(ExaminationPerformed{examId(2), diagnosisId(), examinerStation(), u"x"_s}, examinerStation());
    mine.byReaction(ExaminationWithdrawn{examId(2), diagnosisId(), WithdrawReason::VisitCancelled});
    QVERIFY(fold(x, mine.events(), examination::evolve) == x);
}

void TestDomainDeterminism::evolveNeedsACreatingEvent()
{
    // An aggregate only comes into being from its creating event; any other event on nothing leaves nothing.
    const Events later = diagnosisHistory(DiagnosisStatus::Completed);
    QVERIFY(!fold(std::optional<Reception>(), later, reception::evolve).has_value());
    QVERIFY(!fold(std::optional<Diagnosis>(), Events(later.begin() + 1, later.end()), diagnosis::evolve));
    const Events exam = examinationHistory(ExamState::Performed);
    QVERIFY(!fold(std::optional<Examination>(), Events(exam.begin() + 1, exam.end()), examination::evolve));
}

QTEST_GUILESS_MAIN(TestDomainDeterminism)
#include "TestDomainDeterminism.moc"
