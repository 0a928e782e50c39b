// One visit's whole journey through the real server, played by a receptionist, a doctor and an examiner station,
// with the HTTP records, the /visits view row and the station snapshot checked after every step; both
// compensations (cancel visit, refuse treatment); out-of-order and unauthorised commands (ARCHITECTURE §3, §7).
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "ViewReads.h"
#include "proto/Convert.h"
#include "proto/Redaction.h"

#include <QDir>
#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

// What a visit should look like everywhere once the saga caught up. Empty diagnosis: no doctor assigned yet.
struct Expect
{
    QString reception;
    QString diagnosis;
    int prescribed = 0;
    int performed = 0;
    int cancelled = 0;
    int withdrawn = 0;
    int open() const { return prescribed - performed - cancelled - withdrawn; }
};

} // namespace

// Runs a checking member function and stops the test at its first failure.
#define CHECK(call)                                                                                                    \
    do {                                                                                                               \
        call;                                                                                                          \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

class TestServerJourney : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void fullJourney();
    void requestedDoctorIsAssigned();
    void patientWithoutBirthDateIsRegistered();
    void cancelVisitWithdrawsDiagnosisAndExaminations();
    void refuseTreatmentWithdrawsOpenExaminations();
    void stationMayOnlyIssueItsRolesCommands();
    void submitBeforeHelloIsUnknownStation();
    void publishesEventsInOrderWithOutcomes();
    void publishesABurstInRunsOfTheLog();
    void logsCarryNoPersonalData();
    void dataFilesAreTheServersAlone();

private:
    void applied(const Outcome &outcome, const QUuid &commandId, const char *eventType);
    void expectVisit(const QUuid &visit, const Expect &e);
    void expectExamination(const QUuid &examination, const QString &status, const QString &withdrawReason = {});
    void registerAndWaitForDoctor(QUuid &visit);
    void prescribeAndWaitRequested(const QUuid &visit, const QString &code, QUuid &examination);
    void rejectedWithoutChange(TestStation &station, const domain::Command &command, v1::ErrorCode code);
    quint64 head();

    ServerProcess m_server;
    TestStation m_desk;
    TestStation m_doctor;
    TestStation m_examiner;
};

void TestServerJourney::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_desk.connect(m_server.port());
    m_doctor.connect(m_server.port());
    m_examiner.connect(m_server.port());
    const auto welcome = m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST);
    QVERIFY2(welcome, qPrintable(m_desk.lastError()));
    QCOMPARE(welcome->head_sequence(), quint64(0));
    QVERIFY(!welcome->server_id().empty());
    QVERIFY(welcome->catalogue().departments_size() > 0);
    QVERIFY2(m_doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(m_doctor.lastError()));
    QVERIFY2(m_examiner.hello(u"LAB1"_s, v1::ROLE_EXAMINER), qPrintable(m_examiner.lastError()));
}

void TestServerJourney::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server.logTail(30);
}

quint64 TestServerJourney::head()
{
    const auto batch = m_desk.fetchEvents(0, 1);
    return batch ? batch->head_sequence() : ~quint64(0);
}

// The command was applied, with exactly one event of that type which names the command as its cause.
void TestServerJourney::applied(const Outcome &outcome, const QUuid &commandId, const char *eventType)
{
    QVERIFY2(outcome.applied, qPrintable(u"%1: %2"_s.arg(QString::fromLatin1(eventType), outcome.describe())));
    QCOMPARE(outcome.sequences.size(), std::size_t(1));
    const auto batch = m_desk.fetchEvents(outcome.sequences.front() - 1, 1);
    QVERIFY2(batch && batch->events_size() == 1, qPrintable(m_desk.lastError()));
    const v1::Event &event = batch->events(0);
    QCOMPARE(event.sequence(), outcome.sequences.front());
    QCOMPARE(event.type(), std::string(eventType));
    QCOMPARE(event.causation_id(), idText(commandId).toStdString());
}

void TestServerJourney::expectVisit(const QUuid &visit, const Expect &e)
{
    // The contexts' own records first: once they match, the saga's reactions for the step are in the log.
    const Polled reception = pollRecord(m_server, u"receptions"_s, visit, [&](const QJsonObject &r) {
        return r.value(u"status"_s).toString() == e.reception;
    });
    QVERIFY2(reception.ok, qPrintable(u"reception should be %1: %2"_s.arg(e.reception, reception.describe())));
    const QString doctor = reception.last.value(u"doctor"_s).toString();
    if (!e.diagnosis.isEmpty()) {
        const Polled diagnosis = pollRecord(m_server, u"diagnoses"_s, diagnosisOf(visit), [&](const QJsonObject &d) {
            return d.value(u"status"_s).toString() == e.diagnosis &&
                   d.value(u"prescriptions"_s).toArray().size() == e.prescribed;
        });
        QVERIFY2(diagnosis.ok, qPrintable(u"diagnosis should be %1 with %2 prescriptions: %3"_s.arg(e.diagnosis)
                                              .arg(e.prescribed)
                                              .arg(diagnosis.describe())));
        QCOMPARE(diagnosis.last.value(u"doctor"_s).toString(), doctor);
        QCOMPARE(reception.last.value(u"diagnosisId"_s).toString(), idText(diagnosisOf(visit)));
    }

    const EventLogRead log = m_desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(m_desk.lastError()));
    quint64 lastOfVisit = 0;
    for (const v1::Event &event : log.events) {
        if (event.visit_id() == idText(visit).toStdString())
            lastOfVisit = event.sequence();
    }

    const Polled row = pollVisitRow(m_server, visit, [&](const QJsonObject &r) {
        const QJsonObject exams = r.value(u"examinations"_s).toObject();
        return r.value(u"receptionStatus"_s).toString() == e.reception &&
               r.value(u"diagnosisStatus"_s).toString() == e.diagnosis &&
               r.value(u"lastSequence"_s).toInteger() == qint64(lastOfVisit) &&
               exams.value(u"prescribed"_s).toInt() == e.prescribed &&
               exams.value(u"performed"_s).toInt() == e.performed &&
               exams.value(u"cancelled"_s).toInt() == e.cancelled &&
               exams.value(u"withdrawn"_s).toInt() == e.withdrawn && exams.value(u"open"_s).toInt() == e.open();
    });
    QVERIFY2(row.ok, qPrintable(u"view row (last event of the visit %1): %2"_s.arg(lastOfVisit).arg(row.describe())));
    QCOMPARE(row.last.value(u"doctor"_s).toString(), doctor);

    v1::VisitStatus snapshotRow;
    const bool caughtUp = pollUntil([&] {
        const SnapshotRead snapshot = m_desk.fetchSnapshot();
        for (const v1::VisitStatus &s : snapshot.visits) {
            if (s.visit_id() == idText(visit).toStdString())
                snapshotRow = s;
        }
        return snapshot.ok && snapshotRow.last_sequence() == lastOfVisit;
    });
    QVERIFY2(caughtUp,
             qPrintable(u"snapshot row at %1, expected %2"_s.arg(snapshotRow.last_sequence()).arg(lastOfVisit)));
    QCOMPARE(QString::fromStdString(snapshotRow.reception_status()), e.reception);
    QCOMPARE(QString::fromStdString(snapshotRow.diagnosis_status()), e.diagnosis);
    QCOMPARE(QString::fromStdString(snapshotRow.doctor()), doctor);
    QCOMPARE(int(snapshotRow.examinations_prescribed()), e.prescribed);
    QCOMPARE(int(snapshotRow.examinations_performed()), e.performed);
    QCOMPARE(int(snapshotRow.examinations_cancelled()), e.cancelled);
    QCOMPARE(int(snapshotRow.examinations_withdrawn()), e.withdrawn);
}

void TestServerJourney::expectExamination(const QUuid &examination, const QString &status,
                                          const QString &withdrawReason)
{
    const Polled x = pollRecord(m_server, u"examinations"_s, examination,
                                [&](const QJsonObject &o) { return o.value(u"status"_s).toString() == status; });
    QVERIFY2(x.ok, qPrintable(u"examination should be %1: %2"_s.arg(status, x.describe())));
    if (!withdrawReason.isEmpty())
        QCOMPARE(x.last.value(u"withdrawReason"_s).toString(), withdrawReason);
    // Each end time means one thing: only the one of the examination's status is set.
    const QList<std::pair<QString, QString>> ends{
        {u"performed"_s, u"performedAt"_s}, {u"cancelled"_s, u"cancelledAt"_s}, {u"withdrawn"_s, u"withdrawnAt"_s}};
    for (const auto &[endStatus, field] : ends) {
        const QJsonValue time = x.last.value(field);
        if (endStatus == status)
            QVERIFY2(time.isString() && !time.toString().isEmpty(), qPrintable(field + u" missing: "_s + x.describe()));
        else
            QVERIFY2(time.isNull(), qPrintable(field + u" set for a "_s + status + u" examination: "_s + x.describe()));
    }
}

void TestServerJourney::registerAndWaitForDoctor(QUuid &visit)
{
    const domain::RegisterVisit command = registerVisit(u"IM"_s);
    visit = command.receptionId;
    const QUuid id = QUuid::createUuid();
    CHECK(applied(m_desk.submitAndWait(command, id), id, "ReceptionRegistered"));
    CHECK(expectVisit(visit, {u"in_treatment"_s, u"waiting"_s}));
    const auto reception = record(m_server, u"receptions"_s, visit);
    QVERIFY(reception);
    QVERIFY2(QStringList({u"dr.kim"_s, u"dr.lee"_s}).contains(reception->value(u"doctor"_s).toString()),
             QJsonDocument(*reception).toJson().constData());
}

void TestServerJourney::prescribeAndWaitRequested(const QUuid &visit, const QString &code, QUuid &examination)
{
    const domain::PrescribeExamination command = prescribe(visit, code);
    examination = command.examinationId;
    const QUuid id = QUuid::createUuid();
    CHECK(applied(m_doctor.submitAndWait(command, id), id, "ExaminationPrescribed"));
    CHECK(expectExamination(examination, u"requested"_s));
}

// Rejected with that code, and the log did not grow.
void TestServerJourney::rejectedWithoutChange(TestStation &station, const domain::Command &command, v1::ErrorCode code)
{
    const quint64 before = head();
    const Outcome outcome = station.submitAndWait(command);
    QVERIFY2(outcome.answered && !outcome.applied && !outcome.protocolError, qPrintable(outcome.describe()));
    QVERIFY2(outcome.code == code, qPrintable(outcome.describe()));
    QVERIFY(outcome.sequences.empty());
    QCOMPARE(head(), before);
}

void TestServerJourney::fullJourney()
{
    QUuid visit;
    CHECK(registerAndWaitForDoctor(visit));

    QUuid blood;
    QUuid xray;
    CHECK(prescribeAndWaitRequested(visit, u"BLOOD"_s, blood));
    CHECK(expectVisit(visit, {u"in_treatment"_s, u"exams_pending"_s, 1}));
    CHECK(prescribeAndWaitRequested(visit, u"XRAY"_s, xray));
    CHECK(expectVisit(visit, {u"in_treatment"_s, u"exams_pending"_s, 2}));

    QUuid id = QUuid::createUuid();
    CHECK(applied(m_examiner.submitAndWait(performExamination(blood), id), id, "ExaminationPerformed"));
    CHECK(expectExamination(blood, u"performed"_s));
    CHECK(expectVisit(visit, {u"in_treatment"_s, u"exams_pending"_s, 2, 1}));

    id = QUuid::createUuid();
    CHECK(applied(m_examiner.submitAndWait(cancelExamination(xray), id), id, "ExaminationCancelled"));
    CHECK(expectExamination(xray, u"cancelled"_s));
    CHECK(expectVisit(visit, {u"in_treatment"_s, u"results_ready"_s, 2, 1, 1}));

    id = QUuid::createUuid();
    CHECK(applied(m_doctor.submitAndWait(reviewResults(visit), id), id, "ResultsReviewed"));
    CHECK(expectVisit(visit, {u"in_treatment"_s, u"reviewed"_s, 2, 1, 1}));

    id = QUuid::createUuid();
    CHECK(applied(m_doctor.submitAndWait(completeTreatment(visit), id), id, "TreatmentCompleted"));
    CHECK(expectVisit(visit, {u"treatment_completed"_s, u"completed"_s, 2, 1, 1}));

    id = QUuid::createUuid();
    CHECK(applied(m_desk.submitAndWait(confirmOutcome(visit), id), id, "VisitClosed"));
    CHECK(expectVisit(visit, {u"closed"_s, u"completed"_s, 2, 1, 1}));

    const EventLogRead log = m_desk.fetchAllEvents();
    QStringList types = typesOf(log.events, visit);
    QCOMPARE(types.first(), u"ReceptionRegistered"_s);
    QCOMPARE(types.last(), u"VisitClosed"_s);
    QStringList expected{u"ReceptionRegistered"_s,   u"DiagnosisRegistered"_s,  u"TreatmentStarted"_s,
                         u"ExaminationPrescribed"_s, u"ExaminationRequested"_s, u"ExaminationPrescribed"_s,
                         u"ExaminationRequested"_s,  u"ExaminationPerformed"_s, u"ExaminationCancelled"_s,
                         u"ResultsReady"_s,          u"ResultsReviewed"_s,      u"TreatmentCompleted"_s,
                         u"OutcomeRecorded"_s,       u"VisitClosed"_s};
    types.sort();
    expected.sort();
    QCOMPARE(types, expected);
    QVERIFY2(checkLogShape(log.events, log.head).isEmpty(), qPrintable(checkLogShape(log.events, log.head)));
    QVERIFY2(checkEventMetadata(log.events).isEmpty(), qPrintable(checkEventMetadata(log.events)));
}

void TestServerJourney::requestedDoctorIsAssigned()
{
    const domain::RegisterVisit command = registerVisit(u"ORTH"_s, u"dr.kang"_s);
    const QUuid id = QUuid::createUuid();
    CHECK(applied(m_desk.submitAndWait(command, id), id, "ReceptionRegistered"));
    CHECK(expectVisit(command.receptionId, {u"in_treatment"_s, u"waiting"_s}));
    QCOMPARE(record(m_server, u"receptions"_s, command.receptionId)->value(u"doctor"_s).toString(), u"dr.kang"_s);
}

void TestServerJourney::patientWithoutBirthDateIsRegistered()
{
    // An unconscious patient: no known birth date, the desk estimates an age; or no estimate at all.
    domain::RegisterVisit estimated = registerVisit();
    estimated.patient.birthDate = {};
    estimated.patient.estimatedAgeYears = 45;
    domain::RegisterVisit unknown = registerVisit();
    unknown.patient.birthDate = {};
    for (const domain::RegisterVisit &command : {estimated, unknown}) {
        const QUuid id = QUuid::createUuid();
        CHECK(applied(m_desk.submitAndWait(command, id), id, "ReceptionRegistered"));
        CHECK(expectVisit(command.receptionId, {u"in_treatment"_s, u"waiting"_s}));
    }
    // What every station replays: the estimate and the unknown date, as registered.
    const EventLogRead log = m_desk.fetchAllEvents();
    for (const v1::Event &e : log.events) {
        if (!e.has_reception_registered())
            continue;
        const v1::Patient &p = e.reception_registered().patient();
        if (idOf(e.visit_id()) == estimated.receptionId) {
            QVERIFY(p.birth_date().empty());
            QVERIFY(p.has_estimated_age_years());
            QCOMPARE(p.estimated_age_years(), 45u);
        } else if (idOf(e.visit_id()) == unknown.receptionId) {
            QVERIFY(p.birth_date().empty());
            QVERIFY(!p.has_estimated_age_years());
        }
    }
    // A birth date and an estimate together contradict each other: refused, nothing stored.
    domain::RegisterVisit both = registerVisit();
    both.patient.estimatedAgeYears = 30;
    CHECK(rejectedWithoutChange(m_desk, both, v1::ERROR_CODE_INVALID_BIRTH_DATE));
}

void TestServerJourney::cancelVisitWithdrawsDiagnosisAndExaminations()
{
    QUuid visit;
    QUuid exam;
    CHECK(registerAndWaitForDoctor(visit));
    CHECK(prescribeAndWaitRequested(visit, u"CT"_s, exam));

    const QUuid id = QUuid::createUuid();
    CHECK(applied(m_desk.submitAndWait(cancelVisit(visit), id), id, "ReceptionCancelled"));
    CHECK(expectExamination(exam, u"withdrawn"_s, u"visit_cancelled"_s));
    CHECK(expectVisit(visit, {u"cancelled"_s, u"withdrawn"_s, 1, 0, 0, 1}));

    const EventLogRead log = m_desk.fetchAllEvents();
    QCOMPARE(countEvents(log.events, "DiagnosisWithdrawn", visit), 1);
    QCOMPARE(countForAggregate(log.events, "ExaminationWithdrawn", exam), 1);
    for (const v1::Event &e : log.events) {
        if (e.type() == "ExaminationWithdrawn" && e.aggregate_id() == idText(exam).toStdString())
            QCOMPARE(e.examination_withdrawn().reason(), v1::WITHDRAW_REASON_VISIT_CANCELLED);
    }

    // Too late: the examiner acts on what the compensation withdrew; nothing is appended.
    CHECK(rejectedWithoutChange(m_examiner, performExamination(exam),
                                v1::ERROR_CODE_EXAMINATION_WITHDRAWN_VISIT_CANCELLED));
    CHECK(expectExamination(exam, u"withdrawn"_s, u"visit_cancelled"_s));
}

void TestServerJourney::refuseTreatmentWithdrawsOpenExaminations()
{
    QUuid visit;
    QUuid done;
    QUuid open;
    CHECK(registerAndWaitForDoctor(visit));
    CHECK(prescribeAndWaitRequested(visit, u"ECG"_s, done));
    CHECK(prescribeAndWaitRequested(visit, u"MRI"_s, open));
    QVERIFY(m_examiner.submitAndWait(performExamination(done)).applied);
    CHECK(expectVisit(visit, {u"in_treatment"_s, u"exams_pending"_s, 2, 1}));

    const QUuid id = QUuid::createUuid();
    CHECK(applied(m_doctor.submitAndWait(refuseTreatment(visit), id), id, "TreatmentRefused"));
    CHECK(expectExamination(open, u"withdrawn"_s, u"treatment_refused"_s));
    CHECK(expectExamination(done, u"performed"_s));
    CHECK(expectVisit(visit, {u"treatment_refused"_s, u"refused"_s, 2, 1, 0, 1}));
    const EventLogRead log = m_desk.fetchAllEvents();
    QCOMPARE(countEvents(log.events, "OutcomeRecorded", visit), 1);
    QCOMPARE(countForAggregate(log.events, "ExaminationWithdrawn", open), 1);
    QCOMPARE(countForAggregate(log.events, "ExaminationWithdrawn", done), 0);

    CHECK(rejectedWithoutChange(m_examiner, performExamination(open),
                                v1::ERROR_CODE_EXAMINATION_WITHDRAWN_TREATMENT_REFUSED));
    CHECK(expectExamination(open, u"withdrawn"_s, u"treatment_refused"_s));

    const QUuid confirm = QUuid::createUuid();
    CHECK(applied(m_desk.submitAndWait(confirmOutcome(visit), confirm), confirm, "VisitClosed"));
    CHECK(expectVisit(visit, {u"closed"_s, u"refused"_s, 2, 1, 0, 1}));
}

void TestServerJourney::stationMayOnlyIssueItsRolesCommands()
{
    const domain::RegisterVisit registration = registerVisit();
    CHECK(rejectedWithoutChange(m_doctor, registration, v1::ERROR_CODE_ROLE_NOT_ALLOWED));
    QCOMPARE(m_server.httpGet(u"/receptions/"_s + idText(registration.receptionId)).status, 404);

    QUuid visit;
    CHECK(registerAndWaitForDoctor(visit));
    CHECK(rejectedWithoutChange(m_examiner, prescribe(visit), v1::ERROR_CODE_ROLE_NOT_ALLOWED));
    CHECK(rejectedWithoutChange(m_desk, completeTreatment(visit), v1::ERROR_CODE_ROLE_NOT_ALLOWED));
    CHECK(expectVisit(visit, {u"in_treatment"_s, u"waiting"_s}));
}

void TestServerJourney::submitBeforeHelloIsUnknownStation()
{
    TestStation stranger;
    stranger.connect(m_server.port());
    const quint64 before = head();
    const domain::RegisterVisit registration = registerVisit();
    const QUuid id = QUuid::createUuid();
    v1::Submit submit = proto::toSubmit(domain::CommandMeta{id, u"A"_s, QDateTime::currentDateTimeUtc()}, registration);
    stranger.sendSubmit(submit);
    const Outcome outcome = stranger.waitOutcome(id);
    QVERIFY2(outcome.answered && !outcome.applied, qPrintable(outcome.describe()));
    QCOMPARE(outcome.code, v1::ERROR_CODE_UNKNOWN_STATION);
    // An Error, not a Rejected: nothing was taken, so the id is not used up (docs/protocol.md, "Command ids").
    QVERIFY2(outcome.protocolError, qPrintable(outcome.describe()));
    QCOMPARE(head(), before);
    QCOMPARE(m_server.httpGet(u"/receptions/"_s + idText(registration.receptionId)).status, 404);
}

// A burst of events reaches a subscriber in runs of the log (EventBatch, at most 32 events each: docs/protocol.md),
// not one message per event: each message costs the server an encryption per subscriber, and the subscriber a
// decryption. Every event exactly once, in order.
void TestServerJourney::publishesABurstInRunsOfTheLog()
{
    TestStation board;
    board.connect(m_server.port(), m_server.pubPort());
    QVERIFY2(board.waitForHeartbeat(), "no Heartbeat on PUB within 6 s");
    const quint64 before = head();
    std::vector<QUuid> ids;
    for (int i = 0; i < 40; ++i)
        ids.push_back(m_desk.submit(registerVisit()));
    for (const QUuid &id : ids)
        QVERIFY(m_desk.waitOutcome(id).applied);
    // The saga's reactions follow: the log has settled once its head stays put for a while.
    quint64 after = head();
    for (int i = 0; i < 50; ++i) {
        QTest::qWait(300);
        if (std::exchange(after, head()) == after)
            break;
    }
    QVERIFY(after >= before + 40);
    const auto published = board.collectPublished(10s, after);
    QCOMPARE(quint64(published.size()), after - before);
    QVERIFY(std::is_sorted(board.arrivalOrder().begin(), board.arrivalOrder().end()));
    QCOMPARE(board.arrivalOrder().size(), published.size()); // none twice
    QVERIFY2(board.eventPublications() < int(published.size()),
             qPrintable(u"%1 events in %2 publications"_s.arg(published.size()).arg(board.eventPublications())));
    QVERIFY2(board.largestEventPublication() <= 32, qPrintable(QString::number(board.largestEventPublication())));
}

// A board-like subscriber hears every new event on PUB, in sequence order, and the command's Applied.
void TestServerJourney::publishesEventsInOrderWithOutcomes()
{
    TestStation board;
    board.connect(m_server.port(), m_server.pubPort());
    QVERIFY2(board.waitForHeartbeat(), "no Heartbeat on PUB within 6 s");
    const quint64 before = head();
    const domain::RegisterVisit command = registerVisit();
    const QUuid id = m_desk.submit(command);
    QVERIFY(m_desk.waitOutcome(id).applied);
    CHECK(expectVisit(command.receptionId, {u"in_treatment"_s, u"waiting"_s}));
    const quint64 after = head();
    const auto published = board.collectPublished(10s, after);
    const EventLogRead log = m_desk.fetchAllEvents();
    QCOMPARE(quint64(published.size()), after - before); // exactly the new ones, none twice
    for (const auto &[sequence, event] : published) {
        QVERIFY(sequence > before && sequence <= after);
        // What a board may read of it: a registration without the phone, address, birth date or complaint.
        v1::Event readable = log.events.at(sequence - 1);
        proto::redactFor(domain::Role::Board, readable);
        QCOMPARE(event.SerializeAsString(), readable.SerializeAsString());
        if (event.has_reception_registered()) {
            QVERIFY(event.reception_registered().patient().phone().empty());
            QVERIFY(event.reception_registered().chief_complaint().empty());
            QVERIFY(!log.events.at(sequence - 1).reception_registered().patient().phone().empty());
        }
    }
    QVERIFY(std::is_sorted(board.arrivalOrder().begin(), board.arrivalOrder().end()));
    const auto &other = board.published();
    QVERIFY2(std::any_of(other.begin(), other.end(),
                         [&](const v1::Envelope &e) {
                             return e.has_applied() && e.applied().command_id() == idText(id).toStdString();
                         }),
             "the Applied was not published");
}

// Everything above was logged; none of it may name the patient (ARCHITECTURE §7).
void TestServerJourney::logsCarryNoPersonalData()
{
    QVERIFY(m_server.logLines().size() > 10);
    for (const LogLine &line : m_server.logLines())
        QVERIFY2(!mentionsPatient(line.text()), qPrintable(line.text()));
}

// The database files hold patients' names and visits: no other account on the machine may read them.
void TestServerJourney::dataFilesAreTheServersAlone()
{
    const QFileInfoList files = QDir(m_server.dataDir()).entryInfoList(QDir::Files);
    QVERIFY2(files.size() >= 4, "expected the log and the view, each with its write-ahead log");
    constexpr auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                            QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    for (const QFileInfo &file : files)
        QVERIFY2(!(file.permissions() & others), qPrintable(file.fileName() + u" is open to other accounts"_s));
}

QTEST_GUILESS_MAIN(TestServerJourney)
#include "TestServerJourney.moc"
