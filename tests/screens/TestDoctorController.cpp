// The doctor's controller without widgets, over a real local store fed by the stand-in server (the shared rules and
// saga): every action, what the rules allow in each stage of a consultation and why not, the refusals with their
// codes (nothing stored), and the examinations a refusal withdraws.
#include "screens/doctor/DoctorController.h"
#include "support/DomainFixtures.h"
#include "support/StoreHarness.h"

#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

// One stage of a consultation: what each action answers there.
struct Allowed
{
    ErrorCode prescribe, review, complete, refuse;
};

void verifyAllowed(const DoctorController &ctl, const QUuid &d, const Allowed &expected)
{
    QCOMPARE(ctl.whyNot(d, DoctorAction::Prescribe), expected.prescribe);
    QCOMPARE(ctl.whyNot(d, DoctorAction::Review), expected.review);
    QCOMPARE(ctl.whyNot(d, DoctorAction::Complete), expected.complete);
    QCOMPARE(ctl.whyNot(d, DoctorAction::Refuse), expected.refuse);
}

QStringList codesOf(const QList<Prescription> &prescriptions)
{
    QStringList codes;
    for (const Prescription &p : prescriptions)
        codes.append(p.code);
    return codes;
}

} // namespace

class TestDoctorController : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void rosterNames();
    void prescribeSeveral();
    void prescribeRefusals();
    void stagesOfAConsultation();
    void completeWithoutExaminations();
    void refuseWithdrawsOpenExaminations();
    void cancelledVisit();
    void handOverToAColleague();

private:
    std::unique_ptr<StoreFixture> f;
    std::unique_ptr<FakeServer> server;
    std::unique_ptr<DoctorController> ctl;
    QUuid visit;
    QUuid diag;
};

void TestDoctorController::init()
{
    f = std::make_unique<StoreFixture>(u"DOC1"_s);
    QVERIFY((*f)->setRole(Role::Doctor).ok());
    server = std::make_unique<FakeServer>();
    visit = registerElsewhere(*server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    catchUp(*f, *server);
    diag = diagnosis::idForVisit(visit);
    ctl = std::make_unique<DoctorController>(f->store(), u"dr.kim"_s);
}

void TestDoctorController::cleanup()
{
    ctl.reset();
    server.reset();
    f.reset();
}

void TestDoctorController::rosterNames()
{
    QCOMPARE(ctl->doctorName(), u"Kim Minjun"_s);
    QCOMPARE(ctl->departmentName(), u"Internal medicine"_s);
    QCOMPARE(ctl->examinations(), Catalogue::builtIn().examinations());
    DoctorController stranger(f->store(), u"dr.nobody"_s);
    QCOMPARE(stranger.doctorName(), u"dr.nobody"_s); // the id, rather than nothing
    QCOMPARE(stranger.departmentName(), QString());
}

void TestDoctorController::prescribeSeveral()
{
    const auto ids = ctl->prescribe(diag, {u"BLOOD"_s, u"XRAY"_s, u"BLOOD"_s}, u"  fasting  "_s);
    QVERIFY(ids);
    QCOMPARE(ids->size(), 2); // BLOOD once: the same examination twice in one list is one request
    const auto d = (*f)->diagnosis(diag);
    QCOMPARE_NAMED(d->status, DiagnosisStatus::ExamsPending);
    QCOMPARE(codesOf(d->prescriptions), (QStringList{u"BLOOD"_s, u"XRAY"_s}));
    QCOMPARE(d->prescriptions[0].examinationId, ids->at(0));
    QCOMPARE(d->prescriptions[1].examinationId, ids->at(1));
    QCOMPARE(d->prescriptions[0].note, u"fasting"_s);
    QCOMPARE(d->prescriptions[1].note, u"fasting"_s);
    QCOMPARE((*f)->pendingCount(), 2); // one command each, durable

    server->sync(f->store());
    QCOMPARE((*f)->pendingCount(), 0);
    const auto examinations = (*f)->examinationsOfVisit(visit);
    QCOMPARE(examinations.size(), 2);
    QCOMPARE(examinations[0].id, ids->at(0));
    QCOMPARE(examinations[1].code, u"XRAY"_s);
    QCOMPARE_NAMED(examinations[1].status, ExaminationStatus::Requested);
}

void TestDoctorController::prescribeRefusals()
{
    QCOMPARE(ctl->prescribe(diag, {}, {}).code(), ErrorCode::UnknownExaminationCode);
    // One unknown code and nothing is stored, not even the known ones before it.
    const auto unknown = ctl->prescribe(diag, {u"BLOOD"_s, u"NOPE"_s}, {});
    QCOMPARE(unknown.code(), ErrorCode::UnknownExaminationCode);
    QCOMPARE(unknown.error().detail, u"NOPE"_s);
    QCOMPARE(ctl->prescribe(diag, {u"BLOOD"_s}, QString(kMaxLongTextLength + 1, u'x')).code(), ErrorCode::FieldTooLong);
    QCOMPARE(ctl->prescribe(newId(), {u"BLOOD"_s}, {}).code(), ErrorCode::DiagnosisNotFound);

    const QUuid other = registerElsewhere(*server, u"A"_s, 2, startTime().addSecs(60), u"dr.lee"_s);
    catchUp(*f, *server);
    QCOMPARE(ctl->prescribe(diagnosis::idForVisit(other), {u"BLOOD"_s}, {}).code(), ErrorCode::NotYourPatient);
    QCOMPARE(ctl->complete(diagnosis::idForVisit(other), {}).code(), ErrorCode::NotYourPatient);
    QCOMPARE(ctl->whyNot(diagnosis::idForVisit(other), DoctorAction::Refuse), ErrorCode::NotYourPatient);

    QCOMPARE((*f)->pendingCount(), 0);
    QVERIFY((*f)->diagnosis(diag)->prescriptions.isEmpty());
}

void TestDoctorController::stagesOfAConsultation()
{
    constexpr auto None = ErrorCode::None;
    verifyAllowed(*ctl, diag, {None, ErrorCode::ResultsNotReady, None, None});
    QCOMPARE(ctl->review(diag, {}).code(), ErrorCode::ResultsNotReady);

    const auto ids = ctl->prescribe(diag, {u"BLOOD"_s, u"ECG"_s}, {});
    QVERIFY(ids);
    verifyAllowed(*ctl, diag, {None, ErrorCode::ExaminationsStillPending, ErrorCode::ExaminationsStillPending, None});
    server->sync(f->store());
    server->act(PerformExamination{ids->at(0), u"Hb 13.2 g/dL"_s}, u"LAB1"_s, startTime().addSecs(900));
    catchUp(*f, *server);
    verifyAllowed(*ctl, diag, {None, ErrorCode::ExaminationsStillPending, ErrorCode::ExaminationsStillPending, None});
    server->player().setNow(startTime().addSecs(1000));
    server->act(CancelExamination{ids->at(1), u"machine broken"_s}, u"LAB1"_s, startTime().addSecs(960));
    catchUp(*f, *server);
    QCOMPARE_NAMED((*f)->diagnosis(diag)->status, DiagnosisStatus::ResultsReady);
    verifyAllowed(*ctl, diag, {None, None, ErrorCode::ResultsNotReviewed, None});
    QCOMPARE(ctl->complete(diag, {}).code(), ErrorCode::ResultsNotReviewed);

    QVERIFY(ctl->review(diag, u" anaemia ruled out "_s));
    QCOMPARE((*f)->diagnosis(diag)->reviewNote, u"anaemia ruled out"_s);
    verifyAllowed(*ctl, diag, {ErrorCode::ResultsAlreadyReviewed, ErrorCode::ResultsAlreadyReviewed, None, None});

    QVERIFY(ctl->complete(diag, u"rest and fluids"_s));
    const auto closed = ErrorCode::TreatmentAlreadyCompleted;
    verifyAllowed(*ctl, diag, {closed, closed, closed, closed});
    server->sync(f->store());
    QCOMPARE((*f)->pendingCount(), 0);
    QCOMPARE((*f)->diagnosis(diag)->outcomeNote, u"rest and fluids"_s);
    QCOMPARE_NAMED((*f)->visit(visit)->receptionStatus, ReceptionStatus::TreatmentCompleted);
}

void TestDoctorController::completeWithoutExaminations()
{
    QVERIFY(ctl->complete(diag, u"viral; rest"_s));
    QCOMPARE_NAMED((*f)->diagnosis(diag)->status, DiagnosisStatus::Completed);
    QCOMPARE(ctl->refuse(diag, u"too late"_s).code(), ErrorCode::TreatmentAlreadyCompleted);
    server->sync(f->store());
    QCOMPARE_NAMED((*f)->visit(visit)->receptionStatus, ReceptionStatus::TreatmentCompleted);
}

void TestDoctorController::refuseWithdrawsOpenExaminations()
{
    QVERIFY(ctl->openExaminations(diag).isEmpty());
    const auto ids = ctl->prescribe(diag, {u"BLOOD"_s, u"XRAY"_s, u"ECG"_s}, {});
    QVERIFY(ids);
    QCOMPARE(codesOf(ctl->openExaminations(diag)), (QStringList{u"BLOOD"_s, u"XRAY"_s, u"ECG"_s}));
    server->sync(f->store());
    server->act(PerformExamination{ids->at(2), u"sinus rhythm"_s}, u"LAB1"_s, startTime().addSecs(900));
    server->act(CancelExamination{ids->at(1), u"pregnant"_s}, u"LAB1"_s, startTime().addSecs(960));
    catchUp(*f, *server);
    QCOMPARE(codesOf(ctl->openExaminations(diag)), QStringList{u"BLOOD"_s}); // only what is still requested

    QCOMPARE(ctl->refuse(diag, u"   "_s).code(), ErrorCode::ReasonRequired);
    QCOMPARE((*f)->pendingCount(), 0);
    QVERIFY(ctl->refuse(diag, u"  declined the blood test  "_s));
    QCOMPARE_NAMED((*f)->diagnosis(diag)->status, DiagnosisStatus::Refused);
    QCOMPARE((*f)->diagnosis(diag)->outcomeNote, u"declined the blood test"_s);
    server->sync(f->store());
    QCOMPARE_NAMED((*f)->examination(ids->at(0))->status, ExaminationStatus::Withdrawn);
    QVERIFY((*f)->examination(ids->at(0))->withdrawReason == WithdrawReason::TreatmentRefused);
    QCOMPARE_NAMED((*f)->examination(ids->at(2))->status, ExaminationStatus::Performed); // done stays done
    QVERIFY(ctl->openExaminations(diag).isEmpty());
    QCOMPARE(ctl->whyNot(diag, DoctorAction::Refuse), ErrorCode::TreatmentAlreadyRefused);
}

void TestDoctorController::cancelledVisit()
{
    QVERIFY(ctl->prescribe(diag, {u"CT"_s}, {}));
    server->sync(f->store());
    server->act(CancelVisit{visit, u"patient left"_s}, u"A"_s, startTime().addSecs(600));
    catchUp(*f, *server);
    const auto gone = ErrorCode::DiagnosisWithdrawn;
    verifyAllowed(*ctl, diag, {gone, gone, gone, gone});
    QCOMPARE(ctl->review(diag, {}).code(), gone);
    QCOMPARE(ctl->refuse(diag, u"late"_s).code(), gone);
    QVERIFY(ctl->openExaminations(diag).isEmpty()); // withdrawn with the visit
    QCOMPARE((*f)->pendingCount(), 0);
}

// The colleagues offered are the roster's other doctors, own department first; once the hand-over is stored the
// patient is the colleague's, on this workstation at once (the overlay) and after the server's answer.
void TestDoctorController::handOverToAColleague()
{
    const QList<Doctor> colleagues = ctl->colleagues();
    QCOMPARE(colleagues.size(), Catalogue::builtIn().doctors().size() - 1);
    QCOMPARE(colleagues.front().id, u"dr.lee"_s); // internal medicine, like dr.kim
    QVERIFY(std::none_of(colleagues.cbegin(), colleagues.cend(), [](const Doctor &d) { return d.id == u"dr.kim"_s; }));
    QCOMPARE(ctl->whyNot(diag, DoctorAction::HandOver), ErrorCode::None);

    QCOMPARE(ctl->handOver(diag, u"dr.nobody"_s, {}).code(), ErrorCode::UnknownDoctor);
    QCOMPARE(ctl->handOver(diag, u"dr.kim"_s, {}).code(), ErrorCode::InvalidCommand);
    QCOMPARE((*f)->pendingCount(), 0);

    QVERIFY(ctl->handOver(diag, u"dr.park"_s, u"  needs a surgeon "_s));
    QCOMPARE((*f)->diagnosis(diag)->doctor, u"dr.park"_s);
    QCOMPARE(ctl->whyNot(diag, DoctorAction::Prescribe), ErrorCode::NotYourPatient);
    QCOMPARE(ctl->prescribe(diag, {u"BLOOD"_s}, {}).code(), ErrorCode::NotYourPatient);
    server->sync(f->store());
    catchUp(*f, *server);
    QCOMPARE((*f)->pendingCount(), 0);
    QCOMPARE((*f)->diagnosis(diag)->doctor, u"dr.park"_s);
    QCOMPARE((*f)->visit(visit)->doctor, u"dr.park"_s); // the status row too
    DoctorController park(f->store(), u"dr.park"_s);
    QCOMPARE(park.whyNot(diag, DoctorAction::Prescribe), ErrorCode::None);
}

QTEST_GUILESS_MAIN(TestDoctorController)
#include "TestDoctorController.moc"
