// Over real sockets, every role against every command (4 x 9): the gateway refuses each command a role may not
// issue with ROLE_NOT_ALLOWED, stores nothing of it and changes nothing; the allowed ones reach their context (which
// may then reject them for its own reasons, never for the role). The table is written out here, not derived from the
// rules it checks.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

class TestRoleMatrix : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyRoleAgainstEveryCommand();

private:
    quint64 head();

    ServerProcess m_server;
    TestStation m_desk;
};

void TestRoleMatrix::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_desk.connect(m_server.port());
    QVERIFY2(m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
}

quint64 TestRoleMatrix::head()
{
    const auto batch = m_desk.fetchEvents(0, 1);
    return batch ? batch->head_sequence() : ~quint64(0);
}

void TestRoleMatrix::everyRoleAgainstEveryCommand()
{
    // A visit in treatment with one requested examination: every command has a real target.
    const domain::RegisterVisit registration = registerVisit();
    QVERIFY(m_desk.submitAndWait(registration).applied);
    const QUuid visit = registration.receptionId;
    TestStation doctor;
    doctor.connect(m_server.port());
    QVERIFY(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR));
    QVERIFY(pollUntil([&] { return countEvents(m_desk.fetchAllEvents().events, "TreatmentStarted", visit) == 1; }));
    const domain::PrescribeExamination prescription = prescribe(visit);
    QVERIFY(doctor.submitAndWait(prescription).applied);
    QVERIFY(pollUntil([&] {
        return countForAggregate(m_desk.fetchAllEvents().events, "ExaminationRequested", prescription.examinationId) ==
               1;
    }));

    struct Command
    {
        const char *name;
        domain::Command command;
        v1::Role allowed;
    };
    const std::vector<Command> commands{
        {"RegisterVisit", registerVisit(), v1::ROLE_RECEPTIONIST},
        {"CancelVisit", cancelVisit(visit), v1::ROLE_RECEPTIONIST},
        {"ConfirmOutcome", confirmOutcome(visit), v1::ROLE_RECEPTIONIST},
        {"PrescribeExamination", prescribe(visit, u"CT"_s), v1::ROLE_DOCTOR},
        {"ReviewResults", reviewResults(visit), v1::ROLE_DOCTOR},
        {"CompleteTreatment", completeTreatment(visit), v1::ROLE_DOCTOR},
        {"RefuseTreatment", refuseTreatment(visit), v1::ROLE_DOCTOR},
        {"PerformExamination", performExamination(prescription.examinationId), v1::ROLE_EXAMINER},
        {"CancelExamination", cancelExamination(prescription.examinationId), v1::ROLE_EXAMINER},
    };
    const std::vector<std::pair<QString, v1::Role>> stations{{u"A2"_s, v1::ROLE_RECEPTIONIST},
                                                             {u"DOC2"_s, v1::ROLE_DOCTOR},
                                                             {u"LAB2"_s, v1::ROLE_EXAMINER},
                                                             {u"BRD"_s, v1::ROLE_BOARD}};
    int refused = 0;
    for (const auto &[code, role] : stations) {
        TestStation station;
        station.connect(m_server.port());
        QVERIFY2(station.hello(code, role), qPrintable(station.lastError()));
        for (const Command &c : commands) {
            if (c.allowed == role)
                continue; // allowed pairs change the visit; TestServerJourney plays them in order
            const quint64 before = head();
            const Outcome outcome = station.submitAndWait(c.command);
            const QString pair = u"%1 %2"_s.arg(QString::fromStdString(v1::Role_Name(role)), QLatin1String(c.name));
            QVERIFY2(outcome.answered && !outcome.applied && !outcome.protocolError,
                     qPrintable(pair + u": "_s + outcome.describe()));
            QVERIFY2(outcome.code == v1::ERROR_CODE_ROLE_NOT_ALLOWED, qPrintable(pair + u": "_s + outcome.describe()));
            QCOMPARE(head(), before);
            ++refused;
        }
    }
    QCOMPARE(refused, 4 * 9 - 9); // every pair but the nine allowed ones

    // Nothing of them reached the visit: still in treatment, its examination still requested.
    const EventLogRead log = m_desk.fetchAllEvents();
    QCOMPARE(typesOf(log.events, visit),
             (QStringList{u"ReceptionRegistered"_s, u"DiagnosisRegistered"_s, u"TreatmentStarted"_s,
                          u"ExaminationPrescribed"_s, u"ExaminationRequested"_s}));
}

QTEST_GUILESS_MAIN(TestRoleMatrix)
#include "TestRoleMatrix.moc"
