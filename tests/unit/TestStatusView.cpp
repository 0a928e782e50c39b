// StatusView::project, the CQRS row the board, the REST reads and every station show: each event type's effect on
// the row, the journeys that end each way, and what must change nothing (another visit's event, a replayed one, a
// second registration). The expected rows are written out, not computed by the code under test.
#include "domain/StatusView.h"
#include "support/DomainFixtures.h"

#include <QTest>

using namespace clinicflow::domain;
using namespace clinicflow::domain::fixtures;
using namespace Qt::StringLiterals;

namespace {

// The events with sequences 1, 2, ... as the log would give them.
Events numbered(Events events, quint64 first = 1)
{
    for (Event &e : events)
        e.sequence = first++;
    return events;
}

std::optional<VisitStatus> projectAll(const Events &events)
{
    std::optional<VisitStatus> row;
    for (const Event &e : events)
        project(row, e);
    return row;
}

// The parts of a row a journey moves.
struct Expected
{
    ReceptionStatus reception;
    std::optional<DiagnosisStatus> diagnosis;
    int prescribed = 0, performed = 0, cancelled = 0, withdrawn = 0;
    bool seen = false;
    bool finished = false;
};

void compareRow(const std::optional<VisitStatus> &row, const Expected &e, quint64 lastSequence)
{
    QVERIFY(row.has_value());
    QCOMPARE(toString(row->receptionStatus), toString(e.reception));
    QCOMPARE(statusName(row->diagnosisStatus), statusName(e.diagnosis));
    QCOMPARE(row->examsPrescribed, e.prescribed);
    QCOMPARE(row->examsPerformed, e.performed);
    QCOMPARE(row->examsCancelled, e.cancelled);
    QCOMPARE(row->examsWithdrawn, e.withdrawn);
    QCOMPARE(row->examsOpen(), e.prescribed - e.performed - e.cancelled - e.withdrawn);
    QCOMPARE(row->seenAt.isValid(), e.seen);
    QCOMPARE(row->finishedAt.isValid(), e.finished);
    QCOMPARE(row->lastSequence, lastSequence);
}

} // namespace

Q_DECLARE_METATYPE(clinicflow::domain::Events)

class TestStatusView : public QObject
{
    Q_OBJECT

private slots:
    void registrationMakesTheRow();
    void eachStepOfTheJourney();
    void journeysEndEachWay_data();
    void journeysEndEachWay();
    void otherVisitsAndReplaysChangeNothing();
    void waitingEndsWhenTheDoctorFirstActs();
};

void TestStatusView::registrationMakesTheRow()
{
    RegisterVisit r = validRegistration();
    r.patient.patientNumber = u"P-0042"_s;
    r.requestedDoctor = u"dr.lee"_s;
    r.priority = Priority::Urgent;
    const Events events = numbered(History().byCommand(registeredFrom(r), deskStation()).events(), 7);
    std::optional<VisitStatus> row;
    QVERIFY(project(row, events.front()));
    QVERIFY(row.has_value());
    QCOMPARE(row->visitId, receptionId());
    QCOMPARE(row->ticket, r.ticket.toString());
    QCOMPARE(row->patientNumber, u"P-0042"_s);
    QCOMPARE(row->patientName, r.patient.name);
    QCOMPARE(row->department, r.department);
    QCOMPARE(row->doctor, u"dr.lee"_s); // the requested doctor until one is assigned
    QCOMPARE(toString(row->priority), u"urgent"_s);
    QCOMPARE(toString(row->receptionStatus), u"received"_s);
    QVERIFY(!row->diagnosisStatus.has_value());
    QCOMPARE(row->receivedAt, events.front().at);
    QCOMPARE(row->updatedAt, events.front().at);
    QCOMPARE(row->lastSequence, 7ull);
}

void TestStatusView::eachStepOfTheJourney()
{
    using R = ReceptionStatus;
    using D = DiagnosisStatus;
    const QUuid dx = diagnosisId();
    const QUuid visit = receptionId();
    History h;
    h.byCommand(registeredFrom(validRegistration()), deskStation());
    h.byReaction(DiagnosisRegistered{dx, visit, u"dr.kim"_s, u"IM"_s, Priority::Normal});
    h.byReaction(TreatmentStarted{visit, dx, u"dr.kim"_s});
    h.byCommand(ExaminationPrescribed{dx, examId(1), u"BLOOD"_s, {}}, doctorStation());
    h.byCommand(ExaminationPrescribed{dx, examId(2), u"XRAY"_s, {}}, doctorStation());
    h.byCommand(ExaminationPrescribed{dx, examId(3), u"CT"_s, {}}, doctorStation());
    h.byCommand(ExaminationPerformed{examId(1), dx, examinerStation(), u"ok"_s}, examinerStation());
    h.byCommand(ExaminationCancelled{examId(2), dx, examinerStation(), u"unwell"_s}, examinerStation());
    h.byCommand(ExaminationPerformed{examId(3), dx, examinerStation(), u"ok"_s}, examinerStation());
    h.byReaction(ResultsReady{dx});
    h.byCommand(ResultsReviewed{dx, {}}, doctorStation());
    h.byCommand(TreatmentCompleted{dx, visit, {}}, doctorStation());
    h.byReaction(OutcomeRecorded{visit, R::TreatmentCompleted});
    h.byCommand(VisitClosed{visit}, deskStation());
    const Events events = numbered(h.events());
    const QList<Expected> after{
        {R::Received, std::nullopt},
        {R::Received, D::Waiting},
        {R::InTreatment, D::Waiting},
        {R::InTreatment, D::ExamsPending, 1, 0, 0, 0, true},
        {R::InTreatment, D::ExamsPending, 2, 0, 0, 0, true},
        {R::InTreatment, D::ExamsPending, 3, 0, 0, 0, true},
        {R::InTreatment, D::ExamsPending, 3, 1, 0, 0, true},
        {R::InTreatment, D::ExamsPending, 3, 1, 1, 0, true},
        {R::InTreatment, D::ExamsPending, 3, 2, 1, 0, true},
        {R::InTreatment, D::ResultsReady, 3, 2, 1, 0, true},
        {R::InTreatment, D::Reviewed, 3, 2, 1, 0, true},
        {R::InTreatment, D::Completed, 3, 2, 1, 0, true},
        {R::TreatmentCompleted, D::Completed, 3, 2, 1, 0, true},
        {R::Closed, D::Completed, 3, 2, 1, 0, true, true},
    };
    QCOMPARE(events.size(), std::size_t(after.size()));
    std::optional<VisitStatus> row;
    for (std::size_t i = 0; i < events.size(); ++i) {
        QVERIFY2(project(row, events[i]), qPrintable(eventTypeName(events[i].payload)));
        compareRow(row, after[qsizetype(i)], events[i].sequence);
        if (QTest::currentTestFailed()) {
            qWarning().noquote() << "after" << eventTypeName(events[i].payload);
            return;
        }
        QCOMPARE(row->updatedAt, events[i].at);
    }
    QCOMPARE(row->doctor, u"dr.kim"_s);
    QCOMPARE(row->diagnosisId, dx);
    QCOMPARE(row->seenAt, events[3].at);      // the first prescription
    QCOMPARE(row->finishedAt, events[13].at); // closed
}

void TestStatusView::journeysEndEachWay_data()
{
    using R = ReceptionStatus;
    using D = DiagnosisStatus;
    const QUuid dx = diagnosisId();
    const QUuid visit = receptionId();
    QTest::addColumn<Events>("events");
    QTest::addColumn<int>("reception");
    QTest::addColumn<int>("diagnosis");
    QTest::addColumn<int>("withdrawn");
    QTest::addColumn<bool>("seen");
    QTest::addColumn<bool>("finished");

    History refused;
    refused.byCommand(registeredFrom(validRegistration()), deskStation())
        .byReaction(DiagnosisRegistered{dx, visit, u"dr.kim"_s, u"IM"_s, Priority::Normal})
        .byReaction(TreatmentStarted{visit, dx, u"dr.kim"_s})
        .byCommand(ExaminationPrescribed{dx, examId(1), u"BLOOD"_s, {}}, doctorStation())
        .byCommand(ExaminationPrescribed{dx, examId(2), u"MRI"_s, {}}, doctorStation())
        .byCommand(TreatmentRefused{dx, visit, {}}, doctorStation())
        .byReaction(ExaminationWithdrawn{examId(1), dx, WithdrawReason::TreatmentRefused})
        .byReaction(ExaminationWithdrawn{examId(2), dx, WithdrawReason::TreatmentRefused})
        .byReaction(OutcomeRecorded{visit, R::TreatmentRefused});
    QTest::newRow("refused with two open examinations")
        << numbered(refused.events()) << int(R::TreatmentRefused) << int(D::Refused) << 2 << true << false;

    History completedAtOnce;
    completedAtOnce.byCommand(registeredFrom(validRegistration()), deskStation())
        .byReaction(DiagnosisRegistered{dx, visit, u"dr.kim"_s, u"IM"_s, Priority::Normal})
        .byReaction(TreatmentStarted{visit, dx, u"dr.kim"_s})
        .byCommand(TreatmentCompleted{dx, visit, {}}, doctorStation())
        .byReaction(OutcomeRecorded{visit, R::TreatmentCompleted});
    QTest::newRow("completed without examinations")
        << numbered(completedAtOnce.events()) << int(R::TreatmentCompleted) << int(D::Completed) << 0 << true << false;

    History cancelled;
    cancelled.byCommand(registeredFrom(validRegistration()), deskStation())
        .byReaction(DiagnosisRegistered{dx, visit, u"dr.kim"_s, u"IM"_s, Priority::Normal})
        .byReaction(TreatmentStarted{visit, dx, u"dr.kim"_s})
        .byCommand(ExaminationPrescribed{dx, examId(1), u"CT"_s, {}}, doctorStation())
        .byCommand(ReceptionCancelled{visit, u"left"_s}, deskStation())
        .byReaction(DiagnosisWithdrawn{dx, visit})
        .byReaction(ExaminationWithdrawn{examId(1), dx, WithdrawReason::VisitCancelled});
    QTest::newRow("cancelled after a prescription")
        << numbered(cancelled.events()) << int(R::Cancelled) << int(D::Withdrawn) << 1 << true << true;

    History cancelledWaiting;
    cancelledWaiting.byCommand(registeredFrom(validRegistration()), deskStation())
        .byCommand(ReceptionCancelled{visit, u"left"_s}, deskStation());
    QTest::newRow("cancelled before a doctor")
        << numbered(cancelledWaiting.events()) << int(R::Cancelled) << -1 << 0 << false << true;
}

void TestStatusView::journeysEndEachWay()
{
    QFETCH(Events, events);
    QFETCH(int, reception);
    QFETCH(int, diagnosis);
    QFETCH(int, withdrawn);
    QFETCH(bool, seen);
    QFETCH(bool, finished);
    const std::optional<VisitStatus> row = projectAll(events);
    QVERIFY(row.has_value());
    QCOMPARE(toString(row->receptionStatus), toString(ReceptionStatus(reception)));
    QCOMPARE(statusName(row->diagnosisStatus),
             statusName(diagnosis < 0 ? std::nullopt : std::optional(DiagnosisStatus(diagnosis))));
    QCOMPARE(row->examsWithdrawn, withdrawn);
    QCOMPARE(row->examsOpen(), 0);
    QCOMPARE(row->seenAt.isValid(), seen);
    QCOMPARE(row->finishedAt.isValid(), finished);
    QCOMPARE(row->lastSequence, events.back().sequence);
}

void TestStatusView::otherVisitsAndReplaysChangeNothing()
{
    const QUuid dx = diagnosisId();
    History h;
    h.byCommand(registeredFrom(validRegistration()), deskStation())
        .byReaction(DiagnosisRegistered{dx, receptionId(), u"dr.kim"_s, u"IM"_s, Priority::Normal})
        .byReaction(TreatmentStarted{receptionId(), dx, u"dr.kim"_s});
    const Events events = numbered(h.events());
    std::optional<VisitStatus> row = projectAll(events);
    const VisitStatus before = *row;

    // A second registration of the same visit.
    QVERIFY(!project(row, events[0]));
    // Any event already folded in: replaying a stretch of the log is harmless.
    for (const Event &e : events)
        QVERIFY(!project(row, e));
    // Another visit's event, even with a later sequence.
    History other(otherReceptionId());
    other.byCommand(ReceptionCancelled{otherReceptionId(), u"left"_s}, deskStation());
    QVERIFY(!project(row, numbered(other.events(), 100).front()));
    QVERIFY(*row == before);

    // Nothing but a registration starts a row.
    std::optional<VisitStatus> none;
    QVERIFY(!project(none, events[1]));
    QVERIFY(!none.has_value());
}

void TestStatusView::waitingEndsWhenTheDoctorFirstActs()
{
    const QUuid dx = diagnosisId();
    History h;
    h.byCommand(registeredFrom(validRegistration()), deskStation())
        .byReaction(DiagnosisRegistered{dx, receptionId(), u"dr.kim"_s, u"IM"_s, Priority::Normal})
        .byCommand(ExaminationPrescribed{dx, examId(1), u"BLOOD"_s, {}}, doctorStation())
        .byCommand(ExaminationPrescribed{dx, examId(2), u"XRAY"_s, {}}, doctorStation());
    const Events events = numbered(h.events());
    std::optional<VisitStatus> row;
    project(row, events[0]);
    const QDateTime received = events[0].at;
    QCOMPARE(row->waitingSeconds(received.addSecs(600)), 600);
    project(row, events[1]);
    project(row, events[2]);
    project(row, events[3]);
    // The wait ended at the first prescription, not the second, and not now.
    QCOMPARE(row->seenAt, events[2].at);
    QCOMPARE(row->waitingSeconds(received.addSecs(99999)), received.secsTo(events[2].at));
}

QTEST_GUILESS_MAIN(TestStatusView)
#include "TestStatusView.moc"
