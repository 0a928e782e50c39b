// The offline day (issue #4): with the server down, the desk registers 1,000 visits and a doctor works on the
// patients the station synced earlier. When the server starts, everything each station did is applied exactly
// once, and both replicas equal the server's status view.
#include "TestCommands.h"
#include "WorkstationHarness.h"
#include "domain/Diagnosis.h"
#include "store/LocalStore.h"
#include "support/OfflineDeadline.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::testsupport;
using client::ConnectionState;
using client::OutboxState;

class TestOfflineDay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offlineDayConverges();
};

namespace {

RegisterVisit newPatient(int n, const QString &doctor = {})
{
    RegisterVisit r;
    r.patient.name = u"Patient %1"_s.arg(n);
    r.patient.birthDate = QDate(1980, 1, 1).addDays(n);
    r.patient.sex = Sex::Female;
    r.department = u"IM"_s;
    r.requestedDoctor = doctor;
    r.chiefComplaint = u"cough"_s;
    return r;
}

// Every outbox entry answered Applied, each command id once.
QString checkAllApplied(const client::LocalStore &store, int expected)
{
    const auto outbox = store.outbox();
    QSet<QUuid> ids;
    for (const auto &entry : outbox) {
        if (entry.state != OutboxState::Applied)
            return u"%1 %2 is %3 (%4)"_s.arg(entry.commandName, idString(entry.commandId),
                                             client::outboxStateName(entry.state), entry.error.message());
        ids.insert(entry.commandId);
    }
    if (outbox.size() != expected || ids.size() != expected)
        return u"%1 outbox entries (%2 distinct), expected %3"_s.arg(outbox.size()).arg(ids.size()).arg(expected);
    return {};
}

} // namespace

void TestOfflineDay::offlineDayConverges()
{
    ServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QTemporaryDir dir;
    auto desk = openWorkstation(server, dir.filePath(u"desk.sqlite"_s), u"A"_s, Role::Receptionist);
    auto doctor = openWorkstation(server, dir.filePath(u"doctor.sqlite"_s), u"DK"_s, Role::Doctor);
    QVERIFY(desk && doctor);
    desk->start();
    doctor->start();
    QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ConnectionState::Online, 10000);

    // The morning, online: 20 patients for dr.kim, synced to the doctor's station with their doctor assigned.
    QList<QUuid> morning;
    for (int i = 0; i < 20; ++i) {
        auto registered = desk->store().registerVisit(newPatient(i, u"dr.kim"_s));
        QVERIFY2(registered, why(registered).constData());
        morning.append(registered->visitId);
    }
    QTRY_VERIFY_WITH_TIMEOUT(doctor->store().openDiagnoses(u"dr.kim"_s).size() == 20, 20000);

    // The server goes away; both stations notice within seconds.
    QVERIFY(server.terminate());
    QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ConnectionState::Offline, client::testing::offlineDeadlineMs());
    QTRY_COMPARE_WITH_TIMEOUT(doctor->state(), ConnectionState::Offline, client::testing::offlineDeadlineMs());
    QCOMPARE(doctor->store().pendingCount(), 0); // nothing of the doctor's was waiting

    // Offline: 1,000 registrations at the desk, each validated and stored at once with its own ticket.
    QSet<QString> tickets;
    for (int i = 0; i < 1000; ++i) {
        auto registered = desk->store().registerVisit(newPatient(100 + i));
        QVERIFY2(registered, why(registered).constData());
        tickets.insert(registered->ticket.toString());
    }
    QCOMPARE(tickets.size(), 1000);
    QCOMPARE(desk->store().pendingCount(), 1000);
    QCOMPARE(desk->store().visitIds().size(), 1020);

    // Offline: the doctor prescribes for ten synced patients and completes the other ten.
    QList<QUuid> prescribed;
    for (int i = 0; i < 20; ++i) {
        const QUuid diagnosisId = diagnosis::idForVisit(morning.at(i));
        Result<QUuid> done = i < 10 ? doctor->store().submit(PrescribeExamination{diagnosisId, newId(), u"XRAY"_s, {}})
                                    : doctor->store().submit(CompleteTreatment{diagnosisId, u"rest"_s});
        QVERIFY2(done, why(done).constData());
    }
    QCOMPARE(doctor->store().pendingCount(), 20);
    QVERIFY(doctor->store().diagnosisOfVisit(morning.at(0))->status == DiagnosisStatus::ExamsPending);
    QVERIFY(doctor->store().diagnosisOfVisit(morning.at(19))->status == DiagnosisStatus::Completed);

    // The server returns on the same data; the stations resume by themselves.
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    TestStation probe;
    probe.connect(server.port());
    QVERIFY2(probe.hello(u"OPS"_s, v1::ROLE_BOARD), qPrintable(probe.lastError()));
    const QString settled = waitConverged(probe, {desk.get(), doctor.get()}, 90000);
    QVERIFY2(settled.isEmpty(), qPrintable(settled));

    // Exactly once: every outbox entry applied, and the server's log holds each registration once.
    QString applied = checkAllApplied(desk->store(), 1020);
    QVERIFY2(applied.isEmpty(), qPrintable(applied));
    applied = checkAllApplied(doctor->store(), 20);
    QVERIFY2(applied.isEmpty(), qPrintable(applied));
    const EventLogRead log = probe.fetchAllEvents();
    QVERIFY(log.ok);
    QCOMPARE(countEvents(log.events, "ReceptionRegistered"), 1020);
    QCOMPARE(countEvents(log.events, "DiagnosisRegistered"), 1020);
    QCOMPARE(countEvents(log.events, "ExaminationPrescribed"), 10);
    QCOMPARE(countEvents(log.events, "ExaminationRequested"), 10);
    QCOMPARE(countEvents(log.events, "TreatmentCompleted"), 10);
    for (const auto &entry : desk->store().outbox())
        QCOMPARE(countCausedBy(log.events, entry.commandId), 1);
    const QString shape = checkLogShape(log.events, log.head);
    QVERIFY2(shape.isEmpty(), qPrintable(shape));

    // Both replicas are the server's view, row by row, and the saga reached every offline patient.
    QString same = compareWithServerView(probe, *desk);
    QVERIFY2(same.isEmpty(), qPrintable(same));
    same = compareWithServerView(probe, *doctor);
    QVERIFY2(same.isEmpty(), qPrintable(same));
    QCOMPARE(desk->store().stateHash(), doctor->store().stateHash());
    int withDoctor = 0;
    for (const QUuid &id : desk->store().visitIds())
        withDoctor += desk->store().visit(id)->doctor.isEmpty() ? 0 : 1;
    QCOMPARE(withDoctor, 1020);
    QCOMPARE(desk->state(), ConnectionState::Online);
}

QTEST_GUILESS_MAIN(TestOfflineDay)
#include "TestOfflineDay.moc"
