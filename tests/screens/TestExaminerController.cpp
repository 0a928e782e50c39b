// ExaminerController without widgets, over a real local store fed by the stand-in server (the shared rules and
// saga): what the room may read of a request, perform and cancel stored with their text, and every refusal the
// examiner can meet (blank text, another room first, a request withdrawn by the doctor or the desk) with its code.
#include "domain/Diagnosis.h"
#include "screens/examiner/ExaminerController.h"
#include "support/StoreHarness.h"

#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

} // namespace

class TestExaminerController : public QObject
{
    Q_OBJECT

private slots:
    void requestDetails();
    void requestOfAnUnknownBirthDate();
    void performStoresTheResult();
    void cancelStoresTheReason();
    void blankOrLongTextIsRefused();
    void anotherRoomWasFirst();
    void withdrawnRequestsSayWhy();
    void typeNames();
};

void TestExaminerController::requestDetails()
{
    StoreFixture f(u"LAB1"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    const QUuid visit = registerElsewhere(server, u"A"_s, 7, startTime(), u"dr.kim"_s, Priority::Urgent);
    const QUuid exam = prescribeElsewhere(server, visit, u"XRAY"_s, startTime().addSecs(600), u"chest, two views"_s);
    catchUp(f, server);
    ExaminerController controller(f.store());

    const auto r = controller.request(exam);
    QVERIFY(r);
    QCOMPARE(r->examinationId, exam);
    QCOMPARE(r->visitId, visit);
    QCOMPARE(r->code, u"XRAY"_s);
    QCOMPARE(r->examination, u"X-ray"_s);
    QCOMPARE(r->ticket, u"A-007"_s);
    QCOMPARE(r->patientName, u"Patient A-7"_s);
    QCOMPARE(r->birthDate, QDate(1980, 5, 17));
    QCOMPARE(r->ageSex, u"43 F"_s); // on 2024-03-04
    QCOMPARE(r->department, u"Internal medicine"_s);
    QCOMPARE(r->doctor, u"Kim Minjun"_s);
    QCOMPARE(r->note, u"chest, two views"_s);
    QCOMPARE(r->requestedAt, startTime().addSecs(610)); // stamped by the examination context's reaction
    QVERIFY(r->urgent);
    QVERIFY(r->requested);
    QVERIFY(!r->pending);
    QVERIFY(!controller.whyGone(exam));
    QVERIFY(!controller.request(newId()));
    QCOMPARE(controller.whyGone(newId()), std::optional(ErrorCode::ExaminationNotFound));
}

void TestExaminerController::requestOfAnUnknownBirthDate()
{
    StoreFixture f(u"LAB1"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    RegisterVisit r = registration(u"이름 모름"_s, u"GS"_s);
    r.patient.birthDate = {};
    r.patient.estimatedAgeYears = 40;
    r.patient.sex = Sex::Male;
    r.receptionId = newId();
    r.ticket = Ticket{u"ER"_s, 1};
    server.player().setNow(startTime().addSecs(30));
    server.act(r, u"ER"_s, startTime());
    const QUuid exam = prescribeElsewhere(server, r.receptionId, u"CT"_s, startTime().addSecs(120));
    catchUp(f, server);
    const auto request = ExaminerController(f.store()).request(exam);
    QVERIFY(request);
    QVERIFY(request->birthDate.isNull());
    QCOMPARE(request->ageSex, u"~40 M"_s);
    QCOMPARE(request->patientName, u"이름 모름"_s);
    QCOMPARE(request->department, u"General surgery"_s);
    QVERIFY(!request->urgent);
    QVERIFY(request->note.isEmpty());
}

void TestExaminerController::performStoresTheResult()
{
    StoreFixture f(u"LAB1"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    const QUuid visit = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid exam = prescribeElsewhere(server, visit, u"BLOOD"_s, startTime().addSecs(60));
    catchUp(f, server);
    ExaminerController controller(f.store());

    const auto performed = controller.perform(exam, u"  Hb 13.2 g/dL\nWBC normal \n"_s);
    QVERIFY2(performed, qPrintable(performed.ok() ? QString() : performed.error().message()));
    QCOMPARE(f->pendingCount(), 1);
    const auto x = f->examination(exam);
    QVERIFY(x);
    QCOMPARE(toString(x->status), toString(ExaminationStatus::Performed));
    QCOMPARE(x->result, u"Hb 13.2 g/dL\nWBC normal"_s); // as typed, without the blanks around it
    QCOMPARE(x->examiner, u"LAB1"_s);
    QVERIFY(controller.request(exam)->pending);
    QVERIFY(!controller.request(exam)->requested);
    QCOMPARE(controller.whyGone(exam), std::optional(ErrorCode::ExaminationAlreadyPerformed));
    QCOMPARE(controller.perform(exam, u"again"_s).code(), ErrorCode::ExaminationAlreadyPerformed);
    QCOMPARE(controller.cancel(exam, u"too late"_s).code(), ErrorCode::ExaminationAlreadyPerformed);
    QCOMPARE(f->pendingCount(), 1);

    server.sync(f.store()); // the server applies it
    QCOMPARE(f->pendingCount(), 0);
    QVERIFY(f->conflicts().isEmpty());
    QCOMPARE(toString(f->examination(exam)->status), toString(ExaminationStatus::Performed));
}

void TestExaminerController::cancelStoresTheReason()
{
    StoreFixture f(u"LAB1"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    const QUuid visit = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid exam = prescribeElsewhere(server, visit, u"MRI"_s, startTime().addSecs(60));
    catchUp(f, server);
    ExaminerController controller(f.store());
    QVERIFY(controller.cancel(exam, u" The patient has a pacemaker "_s));
    QCOMPARE(toString(f->examination(exam)->status), toString(ExaminationStatus::Cancelled));
    QCOMPARE(f->examination(exam)->cancelReason, u"The patient has a pacemaker"_s);
    QCOMPARE(controller.whyGone(exam), std::optional(ErrorCode::ExaminationAlreadyCancelled));
    QCOMPARE(controller.perform(exam, u"done"_s).code(), ErrorCode::ExaminationAlreadyCancelled);
    server.sync(f.store());
    QVERIFY(f->conflicts().isEmpty());
}

void TestExaminerController::blankOrLongTextIsRefused()
{
    StoreFixture f(u"LAB1"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    const QUuid visit = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid exam = prescribeElsewhere(server, visit, u"ECG"_s, startTime().addSecs(60));
    catchUp(f, server);
    ExaminerController controller(f.store());
    QCOMPARE(controller.perform(exam, {}).code(), ErrorCode::ResultRequired);
    QCOMPARE(controller.perform(exam, u" \n\t "_s).code(), ErrorCode::ResultRequired);
    QCOMPARE(controller.cancel(exam, u"   "_s).code(), ErrorCode::ReasonRequired);
    QCOMPARE(controller.perform(exam, QString(kMaxLongTextLength + 1, u'x')).code(), ErrorCode::FieldTooLong);
    QCOMPARE(controller.cancel(exam, QString(kMaxShortTextLength + 1, u'x')).code(), ErrorCode::FieldTooLong);
    QCOMPARE(controller.perform(newId(), u"result"_s).code(), ErrorCode::ExaminationNotFound);
    QCOMPARE(f->pendingCount(), 0); // a refusal stores nothing
    QCOMPARE(toString(f->examination(exam)->status), toString(ExaminationStatus::Requested));
}

// Two rooms do the same type: the other one performed it first. Known here: refused at once. Not yet known (the
// station was behind): stored, then rejected by the server, and listed as a conflict with the reason.
void TestExaminerController::anotherRoomWasFirst()
{
    StoreFixture f(u"LAB1"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    const QUuid visit = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid first = prescribeElsewhere(server, visit, u"XRAY"_s, startTime().addSecs(60));
    const QUuid second = prescribeElsewhere(server, visit, u"BLOOD"_s, startTime().addSecs(70));
    catchUp(f, server);
    ExaminerController controller(f.store());

    server.act(PerformExamination{first, u"by the other room"_s}, u"LAB2"_s, startTime().addSecs(300));
    catchUp(f, server);
    QCOMPARE(controller.whyGone(first), std::optional(ErrorCode::ExaminationAlreadyPerformed));
    QCOMPARE(controller.perform(first, u"mine"_s).code(), ErrorCode::ExaminationAlreadyPerformed);

    server.act(PerformExamination{second, u"by the other room"_s}, u"LAB2"_s, startTime().addSecs(400));
    QVERIFY(controller.perform(second, u"mine"_s)); // this station has not heard yet
    server.sync(f.store());
    QCOMPARE(f->conflicts().size(), 1);
    QCOMPARE(f->conflicts().front().code, ErrorCode::ExaminationAlreadyPerformed);
    QCOMPARE(f->conflicts().front().commandName, u"PerformExamination"_s);
    QCOMPARE(f->examination(second)->result, u"by the other room"_s);
}

void TestExaminerController::withdrawnRequestsSayWhy()
{
    StoreFixture f(u"LAB1"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    const QUuid refused = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid cancelled = registerElsewhere(server, u"A"_s, 2, startTime().addSecs(60), u"dr.lee"_s);
    const QUuid examOfRefused = prescribeElsewhere(server, refused, u"US"_s, startTime().addSecs(120));
    const QUuid examOfCancelled = prescribeElsewhere(server, cancelled, u"ENDO"_s, startTime().addSecs(180));
    catchUp(f, server);
    ExaminerController controller(f.store());

    server.act(RefuseTreatment{diagnosis::idForVisit(refused), u"declined"_s}, u"DOC1"_s, startTime().addSecs(240));
    server.act(CancelVisit{cancelled, u"left"_s}, u"A"_s, startTime().addSecs(300));
    catchUp(f, server);
    QCOMPARE(controller.whyGone(examOfRefused), std::optional(ErrorCode::ExaminationWithdrawnTreatmentRefused));
    QCOMPARE(controller.whyGone(examOfCancelled), std::optional(ErrorCode::ExaminationWithdrawnVisitCancelled));
    QCOMPARE(controller.perform(examOfRefused, u"late"_s).code(), ErrorCode::ExaminationWithdrawnTreatmentRefused);
    QCOMPARE(controller.cancel(examOfCancelled, u"late"_s).code(), ErrorCode::ExaminationWithdrawnVisitCancelled);
    QCOMPARE(f->pendingCount(), 0);
}

void TestExaminerController::typeNames()
{
    StoreFixture f(u"LAB1"_s);
    ExaminerController controller(f.store());
    QCOMPARE(controller.examinationTypes().size(), Catalogue::builtIn().examinations().size());
    QCOMPARE(controller.examinationTypes().front().code, u"BLOOD"_s);
    // The catalogue's order, whatever the set's; a code the roster lost is still named, last.
    QCOMPARE(controller.typeNames({u"CT"_s, u"ZZ"_s, u"XRAY"_s}), (QStringList{u"X-ray"_s, u"CT scan"_s, u"ZZ"_s}));
    QVERIFY(controller.typeNames({}).isEmpty());
}

QTEST_GUILESS_MAIN(TestExaminerController)
#include "TestExaminerController.moc"
