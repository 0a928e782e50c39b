// The saga's choices and compensations where a visit has more than one of something (ARCHITECTURE §3): refusing the
// treatment or cancelling the visit withdraws every still-requested examination, not only the first, and leaves the
// ended ones alone; a visit without a requested doctor goes to the least-loaded doctor of its department, counting
// open diagnoses only.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "ViewReads.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

class TestSagaChoices : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void refusalWithdrawsEveryOpenExamination();
    void cancellationWithdrawsEveryOpenExamination();
    void visitGoesToTheLeastLoadedDoctor();

private:
    QUuid registerInTreatment(const QString &department = u"IM"_s, const QString &doctor = {});
    std::vector<QUuid> prescribeAll(const QUuid &visit, const QStringList &codes);
    QString examinationStatus(const QUuid &examination);
    QString doctorOf(const QUuid &visit);

    std::unique_ptr<ServerProcess> m_server; // a fresh one per test: doctors' loads start at zero
    TestStation m_desk;
    TestStation m_doctor;
    TestStation m_examiner;
};

void TestSagaChoices::init()
{
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_desk.connect(m_server->port());
    m_doctor.connect(m_server->port());
    m_examiner.connect(m_server->port());
    QVERIFY2(m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
    QVERIFY2(m_doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(m_doctor.lastError()));
    QVERIFY2(m_examiner.hello(u"LAB1"_s, v1::ROLE_EXAMINER), qPrintable(m_examiner.lastError()));
}

void TestSagaChoices::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server->logTail(30);
    m_server.reset();
}

QUuid TestSagaChoices::registerInTreatment(const QString &department, const QString &doctor)
{
    const domain::RegisterVisit command = registerVisit(department, doctor);
    const Outcome outcome = m_desk.submitAndWait(command);
    if (!outcome.applied) {
        qWarning().noquote() << "registration:" << outcome.describe();
        return {};
    }
    const Polled started = pollRecord(*m_server, u"receptions"_s, command.receptionId, [](const QJsonObject &r) {
        return r.value(u"status"_s).toString() == u"in_treatment"_s;
    });
    if (!started.ok) {
        qWarning().noquote() << "never in treatment:" << started.describe();
        return {};
    }
    return command.receptionId;
}

std::vector<QUuid> TestSagaChoices::prescribeAll(const QUuid &visit, const QStringList &codes)
{
    std::vector<QUuid> examinations;
    for (const QString &code : codes) {
        const domain::PrescribeExamination p = prescribe(visit, code);
        if (!m_doctor.submitAndWait(p).applied)
            return {};
        examinations.push_back(p.examinationId);
    }
    for (const QUuid &x : examinations) {
        const Polled requested = pollRecord(*m_server, u"examinations"_s, x, [](const QJsonObject &o) {
            return o.value(u"status"_s).toString() == u"requested"_s;
        });
        if (!requested.ok)
            return {};
    }
    return examinations;
}

QString TestSagaChoices::examinationStatus(const QUuid &examination)
{
    const auto x = record(*m_server, u"examinations"_s, examination);
    return x ? x->value(u"status"_s).toString() : u"(missing)"_s;
}

QString TestSagaChoices::doctorOf(const QUuid &visit)
{
    const auto r = record(*m_server, u"receptions"_s, visit);
    return r ? r->value(u"doctor"_s).toString() : QString();
}

void TestSagaChoices::refusalWithdrawsEveryOpenExamination()
{
    const QUuid visit = registerInTreatment();
    QVERIFY(!visit.isNull());
    const std::vector<QUuid> exams = prescribeAll(visit, {u"BLOOD"_s, u"XRAY"_s, u"CT"_s, u"ECG"_s, u"MRI"_s});
    QCOMPARE(exams.size(), std::size_t(5));
    // Two end before the refusal: one performed, one cancelled. Three stay open.
    QVERIFY(m_examiner.submitAndWait(performExamination(exams[1])).applied);
    QVERIFY(m_examiner.submitAndWait(cancelExamination(exams[3])).applied);

    QVERIFY(m_doctor.submitAndWait(refuseTreatment(visit)).applied);
    for (std::size_t i : {0, 2, 4}) {
        const Polled withdrawn = pollRecord(*m_server, u"examinations"_s, exams[i], [](const QJsonObject &o) {
            return o.value(u"status"_s).toString() == u"withdrawn"_s;
        });
        QVERIFY2(withdrawn.ok, qPrintable(u"examination %1 of 5: %2"_s.arg(i + 1).arg(withdrawn.describe())));
        QCOMPARE(withdrawn.last.value(u"withdrawReason"_s).toString(), u"treatment_refused"_s);
    }
    QCOMPARE(examinationStatus(exams[1]), u"performed"_s);
    QCOMPARE(examinationStatus(exams[3]), u"cancelled"_s);
    const EventLogRead log = m_desk.fetchAllEvents();
    QCOMPARE(countEvents(log.events, "ExaminationWithdrawn", visit), 3);
    const Polled row = pollVisitRow(*m_server, visit, [](const QJsonObject &v) {
        return v.value(u"examinations"_s).toObject().value(u"withdrawn"_s).toInt() == 3;
    });
    QVERIFY2(row.ok, qPrintable(row.describe()));
    QCOMPARE(row.last.value(u"examinations"_s).toObject().value(u"open"_s).toInt(), 0);
}

void TestSagaChoices::cancellationWithdrawsEveryOpenExamination()
{
    const QUuid visit = registerInTreatment();
    QVERIFY(!visit.isNull());
    const std::vector<QUuid> exams = prescribeAll(visit, {u"BLOOD"_s, u"URINE"_s, u"US"_s});
    QCOMPARE(exams.size(), std::size_t(3));
    QVERIFY(m_examiner.submitAndWait(performExamination(exams[0])).applied);

    QVERIFY(m_desk.submitAndWait(cancelVisit(visit)).applied);
    for (std::size_t i : {1, 2}) {
        const Polled withdrawn = pollRecord(*m_server, u"examinations"_s, exams[i], [](const QJsonObject &o) {
            return o.value(u"status"_s).toString() == u"withdrawn"_s;
        });
        QVERIFY2(withdrawn.ok, qPrintable(u"examination %1 of 3: %2"_s.arg(i + 1).arg(withdrawn.describe())));
        QCOMPARE(withdrawn.last.value(u"withdrawReason"_s).toString(), u"visit_cancelled"_s);
    }
    QCOMPARE(examinationStatus(exams[0]), u"performed"_s);
    const EventLogRead log = m_desk.fetchAllEvents();
    QCOMPARE(countEvents(log.events, "DiagnosisWithdrawn", visit), 1);
    QCOMPARE(countEvents(log.events, "ExaminationWithdrawn", visit), 2);
}

void TestSagaChoices::visitGoesToTheLeastLoadedDoctor()
{
    // Internal medicine has dr.kim and dr.lee. Three visits ask for dr.kim.
    std::vector<QUuid> kims;
    for (int i = 0; i < 3; ++i) {
        kims.push_back(registerInTreatment(u"IM"_s, u"dr.kim"_s));
        QVERIFY(!kims.back().isNull());
        QCOMPARE(doctorOf(kims.back()), u"dr.kim"_s);
    }
    // Visits that ask for nobody go to dr.lee while she has fewer open diagnoses (0, 1, 2 against 3).
    for (int i = 0; i < 3; ++i) {
        const QUuid visit = registerInTreatment();
        QVERIFY(!visit.isNull());
        QVERIFY2(doctorOf(visit) == u"dr.lee"_s, qPrintable(u"visit %1 went to %2"_s.arg(i + 1).arg(doctorOf(visit))));
    }
    // Now 3 and 3. Two of dr.kim's diagnoses close (completed, refused): only open ones count, so dr.kim has 1.
    QVERIFY(m_doctor.submitAndWait(completeTreatment(kims[0])).applied);
    QVERIFY(m_doctor.submitAndWait(refuseTreatment(kims[1])).applied);
    for (const QUuid &visit : {kims[0], kims[1]}) {
        const Polled ended = pollRecord(*m_server, u"diagnoses"_s, diagnosisOf(visit), [](const QJsonObject &d) {
            return d.value(u"status"_s).toString() != u"waiting"_s;
        });
        QVERIFY2(ended.ok, qPrintable(ended.describe()));
    }
    for (int i = 0; i < 2; ++i) {
        const QUuid visit = registerInTreatment();
        QVERIFY(!visit.isNull());
        QVERIFY2(doctorOf(visit) == u"dr.kim"_s,
                 qPrintable(u"visit %1 after the closures went to %2"_s.arg(i + 1).arg(doctorOf(visit))));
    }
}

QTEST_GUILESS_MAIN(TestSagaChoices)
#include "TestSagaChoices.moc"
