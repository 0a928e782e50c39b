// Over real sockets, every role against every command (4 x 10): the gateway refuses each command a role may not
// issue with ROLE_NOT_ALLOWED, stores nothing of it and changes nothing; the allowed ones reach their context (which
// may then reject them for its own reasons, never for the role). The table is written out here, not derived from the
// rules it checks. Every refusal is in the audit trail, with its station, command, visit and code. A doctor's room
// cannot act on another doctor's patient (NOT_YOUR_PATIENT), and a desk cannot issue another desk's ticket.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "proto/Convert.h"

#include <QJsonArray>
#include <QJsonObject>
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
    void aDoctorActsOnTheirOwnPatientsOnly();
    void aDeskIssuesItsOwnTicketsOnly();

private:
    quint64 head();
    // The audit trail's entry for a command, through GET /audit?station=.
    QJsonObject auditOf(const QString &station, const QUuid &commandId);
    // A visit in treatment with dr.kim, with one requested examination: every command has a real target.
    QUuid visitInTreatment(domain::PrescribeExamination *prescription);

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

QJsonObject TestRoleMatrix::auditOf(const QString &station, const QUuid &commandId)
{
    const HttpResult audit = m_server.httpGet(u"/audit?station=%1"_s.arg(station));
    if (audit.status != 200)
        return {};
    for (const QJsonValue &entry : audit.object().value(u"entries"_s).toArray()) {
        if (entry.toObject().value(u"commandId"_s).toString() == idText(commandId))
            return entry.toObject();
    }
    return {};
}

QUuid TestRoleMatrix::visitInTreatment(domain::PrescribeExamination *prescription)
{
    const domain::RegisterVisit registration = registerVisit(u"IM"_s, u"dr.kim"_s);
    if (!m_desk.submitAndWait(registration).applied)
        return {};
    const QUuid visit = registration.receptionId;
    TestStation doctor; // enrolled for dr.kim
    doctor.connect(m_server.port());
    if (!doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR) ||
        !pollUntil([&] { return countEvents(m_desk.fetchAllEvents().events, "TreatmentStarted", visit) == 1; }))
        return {};
    *prescription = prescribe(visit);
    if (!doctor.submitAndWait(*prescription).applied)
        return {};
    if (!pollUntil([&] {
            return countForAggregate(m_desk.fetchAllEvents().events, "ExaminationRequested",
                                     prescription->examinationId) == 1;
        }))
        return {};
    return visit;
}

void TestRoleMatrix::everyRoleAgainstEveryCommand()
{
    domain::PrescribeExamination prescription;
    const QUuid visit = visitInTreatment(&prescription);
    QVERIFY(!visit.isNull());

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
        {"HandOverVisit", domain::HandOverVisit{diagnosisOf(visit), u"dr.lee"_s, {}}, v1::ROLE_DOCTOR},
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
            const QUuid commandId = domain::newId();
            const Outcome outcome = station.submitAndWait(c.command, commandId);
            const QString pair = u"%1 %2"_s.arg(QString::fromStdString(v1::Role_Name(role)), QLatin1String(c.name));
            QVERIFY2(outcome.answered && !outcome.applied && !outcome.protocolError,
                     qPrintable(pair + u": "_s + outcome.describe()));
            QVERIFY2(outcome.code == v1::ERROR_CODE_ROLE_NOT_ALLOWED, qPrintable(pair + u": "_s + outcome.describe()));
            QCOMPARE(head(), before);
            // Audited: who, what, on which visit (a registration is a visit of its own), with which result.
            const QJsonObject audited = auditOf(code, commandId);
            QVERIFY2(!audited.isEmpty(), qPrintable(pair + u": not in the audit trail"_s));
            QCOMPARE(audited.value(u"station"_s).toString(), code);
            QCOMPARE(audited.value(u"action"_s).toString(), QLatin1String(c.name));
            QCOMPARE(audited.value(u"result"_s).toString(), u"refused"_s);
            QCOMPARE(audited.value(u"code"_s).toString(), u"role_not_allowed"_s);
            const QUuid expectedVisit = std::holds_alternative<domain::RegisterVisit>(c.command)
                                            ? std::get<domain::RegisterVisit>(c.command).receptionId
                                            : visit;
            QCOMPARE(audited.value(u"visitId"_s).toString(), idText(expectedVisit));
            ++refused;
        }
    }
    QCOMPARE(refused, 4 * 10 - 10); // every pair but the ten allowed ones

    // Nothing of them reached the visit: still in treatment, its examination still requested.
    const EventLogRead log = m_desk.fetchAllEvents();
    QCOMPARE(typesOf(log.events, visit),
             (QStringList{u"ReceptionRegistered"_s, u"DiagnosisRegistered"_s, u"TreatmentStarted"_s,
                          u"ExaminationPrescribed"_s, u"ExaminationRequested"_s}));
}

void TestRoleMatrix::aDoctorActsOnTheirOwnPatientsOnly()
{
    domain::PrescribeExamination prescription;
    const QUuid visit = visitInTreatment(&prescription); // dr.kim's patient
    QVERIFY(!visit.isNull());
    QVERIFY(m_server.enrol(u"DLEE"_s, domain::Role::Doctor, u"dr.lee"_s));
    TestStation lee;
    lee.connect(m_server.port());
    QVERIFY2(lee.hello(u"DLEE"_s, v1::ROLE_DOCTOR), qPrintable(lee.lastError()));
    const quint64 before = head();
    const std::vector<std::pair<QString, domain::Command>> commands{
        {u"PrescribeExamination"_s, prescribe(visit, u"CT"_s)},
        {u"ReviewResults"_s, reviewResults(visit)},
        {u"CompleteTreatment"_s, completeTreatment(visit)},
        {u"RefuseTreatment"_s, refuseTreatment(visit)},
    };
    for (const auto &[name, command] : commands) {
        const QUuid commandId = domain::newId();
        const Outcome outcome = lee.submitAndWait(command, commandId);
        QVERIFY2(outcome.answered && !outcome.applied, qPrintable(name + u": "_s + outcome.describe()));
        QVERIFY2(outcome.code == v1::ERROR_CODE_NOT_YOUR_PATIENT, qPrintable(name + u": "_s + outcome.describe()));
        const QJsonObject audited = auditOf(u"DLEE"_s, commandId);
        QCOMPARE(audited.value(u"action"_s).toString(), name);
        QCOMPARE(audited.value(u"result"_s).toString(), u"rejected"_s);
        QCOMPARE(audited.value(u"code"_s).toString(), u"not_your_patient"_s);
        QCOMPARE(audited.value(u"visitId"_s).toString(), idText(visit));
    }
    QCOMPARE(head(), before);
    // Nor can dr.lee take the patient: only its doctor hands it over.
    const QUuid takeOver = domain::newId();
    QCOMPARE(lee.submitAndWait(domain::HandOverVisit{diagnosisOf(visit), u"dr.lee"_s, {}}, takeOver).code,
             v1::ERROR_CODE_NOT_YOUR_PATIENT);
    // dr.kim's own room still can, and hands the patient over (audited): from then on it is dr.lee's alone.
    TestStation kim;
    kim.connect(m_server.port());
    QVERIFY(kim.hello(u"DOC1"_s, v1::ROLE_DOCTOR));
    QVERIFY(kim.submitAndWait(prescribe(visit, u"CT"_s)).applied);
    const QUuid handOver = domain::newId();
    const Outcome handed =
        kim.submitAndWait(domain::HandOverVisit{diagnosisOf(visit), u"dr.lee"_s, u"end of shift"_s}, handOver);
    QVERIFY2(handed.applied, qPrintable(handed.describe()));
    QCOMPARE(auditOf(u"DOC1"_s, handOver).value(u"result"_s).toString(), u"applied"_s);
    QCOMPARE(auditOf(u"DOC1"_s, handOver).value(u"action"_s).toString(), u"HandOverVisit"_s);
    QCOMPARE(auditOf(u"DOC1"_s, handOver).value(u"detail"_s).toString(), u"to dr.lee"_s);
    QCOMPARE(kim.submitAndWait(prescribe(visit, u"MRI"_s)).code, v1::ERROR_CODE_NOT_YOUR_PATIENT);
    QVERIFY(lee.submitAndWait(prescribe(visit, u"MRI"_s)).applied);
    // The status view and the rows say who the doctor is now.
    QVERIFY(pollUntil([&] {
        return m_server.httpGet(u"/diagnoses/"_s + idText(diagnosisOf(visit))).object().value(u"doctor"_s) ==
               u"dr.lee"_s;
    }));
}

void TestRoleMatrix::aDeskIssuesItsOwnTicketsOnly()
{
    TestStation other;
    other.connect(m_server.port());
    QVERIFY(other.hello(u"A2"_s, v1::ROLE_RECEPTIONIST));
    const domain::RegisterVisit registration = registerVisit(); // desk A's ticket
    QCOMPARE(registration.ticket.station, u"A"_s);
    const QUuid commandId = domain::newId();
    other.sendSubmit(proto::toSubmit({commandId, u"A2"_s, QDateTime::currentDateTimeUtc()}, registration)); // as is
    const Outcome outcome = other.waitOutcome(commandId);
    QVERIFY2(outcome.code == v1::ERROR_CODE_INVALID_TICKET, qPrintable(outcome.describe()));
    const QJsonObject audited = auditOf(u"A2"_s, commandId);
    QCOMPARE(audited.value(u"result"_s).toString(), u"refused"_s);
    QCOMPARE(audited.value(u"code"_s).toString(), u"invalid_ticket"_s);
    QCOMPARE(audited.value(u"visitId"_s).toString(), idText(registration.receptionId));
}

QTEST_GUILESS_MAIN(TestRoleMatrix)
#include "TestRoleMatrix.moc"
