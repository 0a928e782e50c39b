// The README's split: the gateway, reception and view in one process, diagnosis and examination each in their own,
// on one data folder. Every outcome reaches the station that submitted it (and PUB), whichever process applied or
// rejected the command. Two processes may never run the same module on one folder: a second whole server is refused
// at start with a message that says why.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <algorithm>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

class TestSplitDeployment : public QObject
{
    Q_OBJECT

private slots:
    void everyOutcomeReachesItsStation();
    void anotherProcessHearsOfACommitAtOnce();
    void secondServerOnOneFolderIsRefused();
    void httpReadReplicasRunBesideTheServer();
};

void TestSplitDeployment::everyOutcomeReachesItsStation()
{
    ServerProcess front;
    QVERIFY2(front.start({u"--only"_s, u"gateway,reception,view"_s}), qPrintable(front.errorString()));
    ServerProcess diagnosis;
    diagnosis.shareDataWith(front);
    QVERIFY2(diagnosis.start({u"--only"_s, u"diagnosis"_s}), qPrintable(diagnosis.errorString()));
    ServerProcess examination;
    examination.shareDataWith(front);
    QVERIFY2(examination.start({u"--only"_s, u"examination"_s}), qPrintable(examination.errorString()));

    TestStation desk;
    TestStation doctor;
    TestStation examiner;
    TestStation board;
    desk.connect(front.port());
    doctor.connect(front.port());
    examiner.connect(front.port());
    board.connect(front.port(), front.pubPort());
    QVERIFY(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST));
    QVERIFY(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR));
    QVERIFY(examiner.hello(u"LAB1"_s, v1::ROLE_EXAMINER));
    QVERIFY2(board.waitForHeartbeat(), "no Heartbeat on PUB");

    const domain::RegisterVisit registration = registerVisit();
    const QUuid visit = registration.receptionId;
    QVERIFY(desk.submitAndWait(registration).applied);
    QVERIFY2(pollUntil([&] { return countEvents(desk.fetchAllEvents().events, "TreatmentStarted", visit) == 1; }),
             "the diagnosis process never assigned a doctor");

    // Applied by the diagnosis process: the answer still reaches the doctor, through the front's gateway.
    const domain::PrescribeExamination p = prescribe(visit);
    const QUuid prescribed = doctor.submit(p);
    const Outcome prescription = doctor.waitOutcome(prescribed, 10s);
    QVERIFY2(prescription.applied, qPrintable(prescription.describe()));
    // Rejected by the examination process: the rejection reaches the examiner.
    const Outcome unknown = examiner.submitAndWait(performExamination(QUuid::createUuid()), {}, 10s);
    QVERIFY2(unknown.answered && !unknown.applied, qPrintable(unknown.describe()));
    QCOMPARE(unknown.code, v1::ERROR_CODE_EXAMINATION_NOT_FOUND);
    QVERIFY(pollUntil(
        [&] { return countForAggregate(desk.fetchAllEvents().events, "ExaminationRequested", p.examinationId) == 1; }));
    const Outcome performed = examiner.submitAndWait(performExamination(p.examinationId), {}, 10s);
    QVERIFY2(performed.applied, qPrintable(performed.describe()));
    QVERIFY(pollUntil([&] { return countEvents(desk.fetchAllEvents().events, "ResultsReady", visit) == 1; }));
    for (const domain::Command &c :
         {domain::Command(reviewResults(visit)), domain::Command(completeTreatment(visit))}) {
        const Outcome o = doctor.submitAndWait(c, {}, 10s);
        QVERIFY2(o.applied, qPrintable(o.describe()));
    }
    QVERIFY(pollUntil([&] { return countEvents(desk.fetchAllEvents().events, "OutcomeRecorded", visit) == 1; }));
    const Outcome closed = desk.submitAndWait(confirmOutcome(visit));
    QVERIFY2(closed.applied, qPrintable(closed.describe()));

    // PUB carried the remote worker's Applied too, for a station whose direct answer was lost.
    board.collectPublished(2s);
    const auto &published = board.published();
    QVERIFY2(std::any_of(published.begin(), published.end(),
                         [&](const v1::Envelope &e) {
                             return e.has_applied() && e.applied().command_id() == idText(prescribed).toStdString();
                         }),
             "the prescription's Applied was not published");
}

// Without a word from the process that committed, an idle worker elsewhere notices within its fallback poll (2 s on
// PostgreSQL, whose LISTEN/NOTIFY tells it at once; 0.1 s on SQLite) and the gateway looks for outcomes resolved
// elsewhere every second (50 ms on SQLite). So on PostgreSQL these medians stay far below those only when the
// notifications work: a registration's event wakes the diagnosis process, the prescription stored by the front wakes
// it again, and its resolution wakes the front's gateway.
void TestSplitDeployment::anotherProcessHearsOfACommitAtOnce()
{
    ServerProcess front;
    QVERIFY2(front.start({u"--only"_s, u"gateway,reception,examination,view"_s}), qPrintable(front.errorString()));
    ServerProcess diagnosis;
    diagnosis.shareDataWith(front);
    QVERIFY2(diagnosis.start({u"--only"_s, u"diagnosis"_s}), qPrintable(diagnosis.errorString()));
    TestStation desk;
    TestStation doctor;
    desk.connect(front.port());
    doctor.connect(front.port());
    QVERIFY(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST));
    QVERIFY(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR));
    QList<qint64> toAssign;
    QList<qint64> toAnswer;
    for (int i = 0; i < 7; ++i) {
        QTest::qWait(300); // idle between patients: every worker back to waiting on its doorbell
        const domain::RegisterVisit registration = registerVisit(u"IM"_s, u"dr.kim"_s); // DOC1's patients
        QElapsedTimer timer;
        timer.start();
        QVERIFY(desk.submitAndWait(registration).applied);
        QVERIFY(pollUntil(
            [&] {
                return countEvents(desk.fetchAllEvents().events, "TreatmentStarted", registration.receptionId) == 1;
            },
            10000, 5));
        toAssign.append(timer.elapsed());
        QTest::qWait(300);
        timer.restart();
        const Outcome prescribed = doctor.submitAndWait(prescribe(registration.receptionId), {}, 10s);
        QVERIFY2(prescribed.applied, qPrintable(prescribed.describe()));
        toAnswer.append(timer.elapsed());
    }
    std::sort(toAssign.begin(), toAssign.end());
    std::sort(toAnswer.begin(), toAnswer.end());
    qInfo() << "registration -> doctor assigned by the other process (ms):" << toAssign;
    qInfo() << "prescription applied by the other process -> answer (ms):" << toAnswer;
    QVERIFY2(toAssign.at(3) < 400, "the diagnosis process was not told of the registration");
    QVERIFY2(toAnswer.at(3) < 400, "the prescription or its outcome waited for a poll");
}

void TestSplitDeployment::secondServerOnOneFolderIsRefused()
{
    ServerProcess first;
    QVERIFY2(first.start(), qPrintable(first.errorString()));
    ServerProcess second;
    second.shareDataWith(first);
    QVERIFY2(!second.start({}, 5000), "a second whole server started on the same data folder");
    QCOMPARE(second.waitForExitCode(), 1);
    QVERIFY2(second.errorString().contains(u"already runs on the data folder"_s), qPrintable(second.errorString()));

    // A process for a module the first one runs is refused too; the first one keeps serving.
    ServerProcess diagnosis;
    diagnosis.shareDataWith(first);
    QVERIFY(!diagnosis.start({u"--only"_s, u"diagnosis"_s}, 5000));
    QVERIFY2(diagnosis.errorString().contains(u"diagnosis module"_s), qPrintable(diagnosis.errorString()));
    TestStation desk;
    desk.connect(first.port());
    QVERIFY(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST));
    QVERIFY(desk.submitAndWait(registerVisit()).applied);
}

// `--only http`: a read replica (health, metrics, the read-only API over the database) takes no module's lock, so
// several run beside the server on one database (the part of a deployment that scales out), and each sees what the
// server applied.
void TestSplitDeployment::httpReadReplicasRunBesideTheServer()
{
    ServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    TestStation desk;
    desk.connect(server.port());
    QVERIFY(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST));
    QVERIFY(desk.submitAndWait(registerVisit()).applied);

    ServerProcess replicas[2];
    for (ServerProcess &replica : replicas) {
        replica.shareDataWith(server);
        QVERIFY2(replica.start({u"--only"_s, u"http"_s}), qPrintable(replica.errorString()));
    }
    QVERIFY(desk.submitAndWait(registerVisit()).applied);
    for (ServerProcess &replica : replicas) {
        const HttpResult ready = replica.httpGet(u"/health/ready"_s);
        QCOMPARE(ready.status, 200);
        QVERIFY(ready.object().value(u"modules"_s).toObject().isEmpty()); // it runs no worker, no gateway
        QVERIFY(
            pollUntil([&] { return replica.httpGet(u"/visits"_s).object().value(u"count"_s).toInt() == 2; }, 10000));
        QVERIFY(replica.terminate());
    }
    QVERIFY(desk.submitAndWait(registerVisit()).applied); // the server never noticed
}

QTEST_GUILESS_MAIN(TestSplitDeployment)
#include "TestSplitDeployment.moc"
