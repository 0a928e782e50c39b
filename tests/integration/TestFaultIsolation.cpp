// A stopped worker holds nothing else up (ARCHITECTURE §4, §7): the desk registers visits while the diagnosis worker
// is down, the doctor prescribes while the examination worker is down; when the full server returns on the same data,
// every visit and prescription gets its saga reaction exactly once.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "ViewReads.h"
#include "proto/Codec.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {
constexpr int kVisits = 100;
constexpr int kPrescribedVisits = 30;
} // namespace

class TestFaultIsolation : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void registrationsWaitForTheDiagnosisWorker();
    void prescriptionsWaitForTheExaminationWorker();

private:
    std::unique_ptr<ServerProcess> m_server; // one per test function: a fresh data folder
};

void TestFaultIsolation::init()
{
    m_server = std::make_unique<ServerProcess>();
}

void TestFaultIsolation::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server->logTail(40);
    m_server.reset();
}

void TestFaultIsolation::registrationsWaitForTheDiagnosisWorker()
{
    ServerProcess &server = *m_server;
    QVERIFY2(server.start({u"--only"_s, u"gateway,reception,examination,view"_s}), qPrintable(server.errorString()));
    TestStation desk;
    desk.connect(server.port());
    QVERIFY2(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(desk.lastError()));

    std::vector<QUuid> visits;
    std::vector<QUuid> commands;
    for (int i = 0; i < kVisits; ++i) {
        const domain::RegisterVisit c = registerVisit(i % 2 ? u"ORTH"_s : u"IM"_s, i % 2 ? QString() : u"dr.kim"_s);
        visits.push_back(c.receptionId);
        commands.push_back(desk.submit(c));
    }
    for (const QUuid &id : commands) {
        const Outcome outcome = desk.waitOutcome(id, 20s);
        QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    }

    // Registered, waiting for a doctor that nobody assigns while the diagnosis worker is away.
    QString error;
    QVERIFY2(pollUntil([&] {
                 const auto rows = visitRows(server, u"status=received"_s, &error);
                 return rows && rows->size() == kVisits;
             }),
             qPrintable(u"the view never showed %1 received visits: %2"_s.arg(kVisits).arg(error)));
    EventLogRead log = desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(desk.lastError()));
    QCOMPARE(countEvents(log.events, "ReceptionRegistered"), kVisits);
    QCOMPARE(countEvents(log.events, "DiagnosisRegistered"), 0);
    QCOMPARE(countEvents(log.events, "TreatmentStarted"), 0);
    QCOMPARE(server.httpGet(u"/diagnoses/"_s + idText(diagnosisOf(visits.front()))).status, 404);

    // A doctor's command waits in the diagnosis inbox meanwhile: stored (Queued), and Queued again when resent.
    TestStation doctor;
    doctor.connect(server.port());
    QVERIFY2(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(doctor.lastError()));
    const domain::PrescribeExamination prescription = prescribe(visits.front(), u"US"_s);
    const QUuid prescriptionId = QUuid::createUuid();
    for (int copy = 0; copy < 2; ++copy) {
        const auto reply = doctor.submitForReply(prescription, prescriptionId);
        QVERIFY2(reply && reply->has_queued(), reply ? proto::bodyName(*reply) : "no reply");
    }
    QVERIFY(!doctor.takeOutcomeIfAny(prescriptionId));

    QVERIFY2(server.terminate(), qPrintable(server.errorString()));
    QVERIFY2(server.restart({}), qPrintable(server.errorString()));
    desk.connect(server.port());
    QVERIFY2(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(desk.lastError()));
    doctor.connect(server.port());
    QVERIFY2(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(doctor.lastError()));
    const Outcome prescribed = doctor.submitAndWait(prescription, prescriptionId);
    QVERIFY2(prescribed.applied, qPrintable(prescribed.describe()));

    const bool caughtUp = pollUntil(
        [&] {
            log = desk.fetchAllEvents();
            return countEvents(log.events, "TreatmentStarted") >= kVisits &&
                   countForAggregate(log.events, "ExaminationRequested", prescription.examinationId) == 1;
        },
        30000, 200);
    QVERIFY2(caughtUp, qPrintable(u"after restart: %1 DiagnosisRegistered, %2 TreatmentStarted of %3"_s
                                      .arg(countEvents(log.events, "DiagnosisRegistered"))
                                      .arg(countEvents(log.events, "TreatmentStarted"))
                                      .arg(kVisits)));
    for (const QUuid &visit : visits) {
        QCOMPARE(countEvents(log.events, "DiagnosisRegistered", visit), 1);
        QCOMPARE(countEvents(log.events, "TreatmentStarted", visit), 1);
    }
    QCOMPARE(countEvents(log.events, "ReceptionRegistered"), kVisits);
    QCOMPARE(countCausedBy(log.events, prescriptionId), 1);
    QVERIFY2(checkLogShape(log.events, log.head).isEmpty(), qPrintable(checkLogShape(log.events, log.head)));
    QVERIFY2(pollUntil([&] {
                 const auto rows = visitRows(server, u"status=in_treatment"_s, &error);
                 return rows && rows->size() == kVisits;
             }),
             qPrintable(u"the view never showed %1 visits in treatment: %2"_s.arg(kVisits).arg(error)));

    // Small pages everywhere still give every visit and event exactly once.
    const EventLogRead paged = desk.fetchAllEvents(7);
    QVERIFY2(paged.ok, qPrintable(desk.lastError()));
    QVERIFY2(checkLogShape(paged.events, log.head).isEmpty(), qPrintable(checkLogShape(paged.events, log.head)));
    const SnapshotRead snapshot = desk.fetchSnapshot(7);
    QVERIFY2(snapshot.ok, qPrintable(desk.lastError()));
    QSet<QString> snapshotIds;
    for (const v1::VisitStatus &row : snapshot.visits)
        snapshotIds.insert(QString::fromStdString(row.visit_id()));
    QCOMPARE(int(snapshot.visits.size()), kVisits);
    QCOMPARE(int(snapshotIds.size()), kVisits);
    const auto rows = visitRows(server, {}, &error, 7);
    QVERIFY2(rows, qPrintable(error));
    QSet<QString> rowIds;
    for (const QJsonValue &row : *rows)
        rowIds.insert(row.toObject().value(u"visitId"_s).toString());
    QCOMPARE(int(rows->size()), kVisits);
    QCOMPARE(rowIds, snapshotIds);
    QVERIFY2(server.terminate(), qPrintable(server.errorString()));
}

void TestFaultIsolation::prescriptionsWaitForTheExaminationWorker()
{
    ServerProcess &server = *m_server;
    QVERIFY2(server.start({u"--only"_s, u"gateway,reception,diagnosis,view"_s}), qPrintable(server.errorString()));
    TestStation desk;
    TestStation doctor;
    desk.connect(server.port());
    doctor.connect(server.port());
    QVERIFY2(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(desk.lastError()));
    QVERIFY2(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(doctor.lastError()));

    std::vector<QUuid> visits;
    for (int i = 0; i < kPrescribedVisits; ++i) {
        const domain::RegisterVisit c = registerVisit(u"IM"_s, u"dr.kim"_s); // DOC1's patients
        visits.push_back(c.receptionId);
        desk.submit(c);
    }
    EventLogRead log;
    QVERIFY2(pollUntil([&] {
                 log = desk.fetchAllEvents();
                 return countEvents(log.events, "TreatmentStarted") == kPrescribedVisits;
             }),
             "the diagnosis worker did not assign every visit");

    // Two examinations for the first visits, one for the rest.
    std::vector<QUuid> exams;
    std::vector<QUuid> commands;
    for (int i = 0; i < kPrescribedVisits; ++i) {
        for (int n = 0; n < (i < 5 ? 2 : 1); ++n) {
            const domain::PrescribeExamination c = prescribe(visits[std::size_t(i)], n ? u"XRAY"_s : u"BLOOD"_s);
            exams.push_back(c.examinationId);
            commands.push_back(doctor.submit(c));
        }
    }
    for (const QUuid &id : commands) {
        const Outcome outcome = doctor.waitOutcome(id, 20s);
        QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    }
    log = desk.fetchAllEvents();
    QCOMPARE(countEvents(log.events, "ExaminationPrescribed"), int(exams.size()));
    QCOMPARE(countEvents(log.events, "ExaminationRequested"), 0);
    QCOMPARE(server.httpGet(u"/examinations/"_s + idText(exams.front())).status, 404);
    const auto pending = record(server, u"diagnoses"_s, diagnosisOf(visits.front()));
    QVERIFY(pending);
    QCOMPARE(pending->value(u"status"_s).toString(), u"exams_pending"_s);

    QVERIFY2(server.terminate(), qPrintable(server.errorString()));
    QVERIFY2(server.restart({}), qPrintable(server.errorString()));
    desk.connect(server.port());
    QVERIFY2(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(desk.lastError()));

    const bool caughtUp = pollUntil(
        [&] {
            log = desk.fetchAllEvents();
            return countEvents(log.events, "ExaminationRequested") >= int(exams.size());
        },
        30000, 200);
    QVERIFY2(caughtUp, qPrintable(u"after restart: %1 ExaminationRequested of %2"_s
                                      .arg(countEvents(log.events, "ExaminationRequested"))
                                      .arg(exams.size())));
    for (const QUuid &exam : exams)
        QCOMPARE(countForAggregate(log.events, "ExaminationRequested", exam), 1);
    QCOMPARE(countEvents(log.events, "ExaminationPrescribed"), int(exams.size()));
    QVERIFY2(checkLogShape(log.events, log.head).isEmpty(), qPrintable(checkLogShape(log.events, log.head)));

    // Consistent enough to carry on: the examiner can now perform what was prescribed while it was away.
    TestStation examiner;
    examiner.connect(server.port());
    QVERIFY2(examiner.hello(u"LAB1"_s, v1::ROLE_EXAMINER), qPrintable(examiner.lastError()));
    const Outcome performed = examiner.submitAndWait(performExamination(exams.back()));
    QVERIFY2(performed.applied, qPrintable(performed.describe()));
    QVERIFY(pollRecord(server, u"diagnoses"_s, diagnosisOf(visits.back()), [](const QJsonObject &d) {
                return d.value(u"status"_s).toString() == u"results_ready"_s;
            }).ok);
    QVERIFY2(server.terminate(), qPrintable(server.errorString()));
}

QTEST_GUILESS_MAIN(TestFaultIsolation)
#include "TestFaultIsolation.moc"
