// The workstation's local store on its own, its own side: schema and reopen, file permissions, the action path's
// validation and ticket counter, and the optimistic overlay of this station's actions. The server's side (events,
// outcomes, snapshots, resets) is in TestLocalStoreReplica. Events come from the shared rules and saga (FakeServer).
#include "support/DomainFixtures.h"
#include "support/StoreHarness.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <sys/stat.h>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

int mode(const QString &path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

} // namespace

class TestLocalStore : public QObject
{
    Q_OBJECT

private slots:
    void schemaAndSettingsSurviveReopen();
    void newerSchemaIsRefused();
    void fileIsOwnerOnly();
    void submitErrorsAreClearAndStoreNothing_data();
    void submitErrorsAreClearAndStoreNothing();
    void ticketCounterRestartsEachDay();
    void registrationIsShownAtOnceAndConfirmedLater();
    void doctorSeesOwnActionsAtOnce();
    void catalogueChangeRechecksPendingActions();
    void thousandOfflineRegistrations();
};

void TestLocalStore::schemaAndSettingsSurviveReopen()
{
    StoreFixture f(u"DESK"_s);
    QVERIFY(f->setRole(Role::Receptionist).ok());
    QVERIFY(f->setServerEndpoint(u"tcp://10.0.0.5:7470"_s).ok());
    QVERIFY(f->setServerId(u"server-1"_s).ok());
    Catalogue small({{u"IM"_s, u"Internal medicine"_s}}, {{u"dr.kim"_s, u"Kim"_s, u"IM"_s}},
                    {{u"BLOOD"_s, u"Blood"_s}});
    QVERIFY(f->setCatalogue(small).ok());
    QCOMPARE(f->setStationCode(u"a-1"_s).code(), ErrorCode::InvalidTicket);
    QCOMPARE(f->setSetting(u"last_sequence"_s, u"99"_s).code(), ErrorCode::InvalidCommand);
    QVERIFY(f->setSetting(u"window.geometry"_s, u"0,0,800,600"_s).ok());
    f.reopen();
    QCOMPARE(f->stationCode(), u"DESK"_s);
    QCOMPARE(f->role(), std::optional<Role>(Role::Receptionist));
    QCOMPARE(f->serverEndpoint(), u"tcp://10.0.0.5:7470"_s);
    QCOMPARE(f->serverId(), u"server-1"_s);
    QVERIFY(f->catalogue() == small);
    QCOMPARE(f->lastSequence(), quint64(0));
    QCOMPARE(f->setting(u"window.geometry"_s), u"0,0,800,600"_s);
    QCOMPARE(storeScalar(f.path(), u"SELECT max(version) FROM schema_version"_s).toInt(), 1);
    QCOMPARE(storeScalar(f.path(), u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                                   " ('settings','events','outbox','conflicts','visits')"_s)
                 .toInt(),
             5);
    QCOMPARE(storeScalar(f.path(), u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
}

void TestLocalStore::newerSchemaIsRefused()
{
    StoreFixture f;
    const QString path = f.path();
    f.close();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"test-writer"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"UPDATE schema_version SET version = 99"_s));
    }
    QSqlDatabase::removeDatabase(u"test-writer"_s);
    auto opened = LocalStore::open(path);
    QVERIFY(!opened);
    QCOMPARE(opened.code(), ErrorCode::InternalError);
    QVERIFY2(opened.error().detail.contains(u"newer"_s), qPrintable(opened.error().detail));
}

void TestLocalStore::fileIsOwnerOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"nested/data/station-A.sqlite"_s);
    auto opened = LocalStore::open(path);
    QVERIFY(opened);
    QVERIFY(opened.value()->setStationCode(u"A"_s).ok());
    QCOMPARE(mode(path), 0600);
    QCOMPARE(mode(dir.filePath(u"nested/data"_s)), 0700);
    QVERIFY(QFile::exists(path + u"-wal"_s));
    QCOMPARE(mode(path + u"-wal"_s), 0600);
    QVERIFY(LocalStore::defaultPath(u"A"_s).endsWith(u"/station-A.sqlite"_s));
}

void TestLocalStore::submitErrorsAreClearAndStoreNothing_data()
{
    QTest::addColumn<int>("role"); // -1: none set
    QTest::addColumn<Command>("command");
    QTest::addColumn<ErrorCode>("expected");

    RegisterVisit noName = registration(u"  "_s);
    noName.receptionId = newId();
    noName.ticket = Ticket{u"A"_s, 5};
    RegisterVisit badDepartment = registration(u"Someone"_s, u"XX"_s);
    badDepartment.receptionId = newId();
    badDepartment.ticket = Ticket{u"A"_s, 5};
    const int none = -1;
    QTest::newRow("patient name required") << none << Command(noName) << ErrorCode::PatientNameRequired;
    QTest::newRow("unknown department") << none << Command(badDepartment) << ErrorCode::UnknownDepartment;
    QTest::newRow("cancel unknown visit") << none << Command(CancelVisit{newId(), {}}) << ErrorCode::VisitNotFound;
    QTest::newRow("prescribe on unknown diagnosis")
        << none << Command(PrescribeExamination{newId(), newId(), u"BLOOD"_s, {}}) << ErrorCode::DiagnosisNotFound;
    QTest::newRow("perform unknown examination")
        << none << Command(PerformExamination{newId(), u"ok"_s}) << ErrorCode::ExaminationNotFound;
    QTest::newRow("desk command on a lab station")
        << int(Role::Examiner) << Command(CancelVisit{newId(), {}}) << ErrorCode::RoleNotAllowed;
    QTest::newRow("result required") << none << Command(PerformExamination{newId(), {}}) << ErrorCode::ResultRequired;
}

void TestLocalStore::submitErrorsAreClearAndStoreNothing()
{
    QFETCH(int, role);
    QFETCH(Command, command);
    QFETCH(ErrorCode, expected);
    StoreFixture f;
    if (role >= 0)
        QVERIFY(f->setRole(Role(role)).ok());
    QSignalSpy submitted(&f.store(), &LocalStore::commandSubmitted);
    QSignalSpy changed(&f.store(), &LocalStore::visitChanged);
    auto result = f->submit(command);
    QVERIFY(!result);
    QCOMPARE(result.code(), expected);
    QVERIFY(!result.error().message().isEmpty());
    QCOMPARE(submitted.count(), 0);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(f->pendingCount(), 0);
    QVERIFY(f->outbox().isEmpty());
    QVERIFY(f->visitIds().isEmpty());
}

void TestLocalStore::ticketCounterRestartsEachDay()
{
    StoreFixture f(u"A"_s);
    QCOMPARE(f->nextTicket().toString(), u"A-001"_s);
    QCOMPARE(f->registerVisit(registration(u"One"_s))->ticket.toString(), u"A-001"_s);
    QCOMPARE(f->registerVisit(registration(u"Two"_s))->ticket.toString(), u"A-002"_s);
    // A registration the rules refuse does not use up a number.
    QCOMPARE(f->registerVisit(registration(u"Bad"_s, u"XX"_s)).code(), ErrorCode::UnknownDepartment);
    const auto third = f->registerVisit(registration(u"Three"_s));
    QCOMPARE(third->ticket.toString(), u"A-003"_s);
    QCOMPARE(f->visit(third->visitId)->ticket, u"A-003"_s);
    f.reopen();
    QCOMPARE(f->nextTicket().toString(), u"A-004"_s);
    f.advance(24 * 3600);
    QCOMPARE(f->nextTicket().toString(), u"A-001"_s);
    QCOMPARE(f->registerVisit(registration(u"Tomorrow"_s))->ticket.toString(), u"A-001"_s);
    QCOMPARE(f->outbox().size(), 4);

    StoreFixture noCode(u"A"_s);
    QVERIFY(noCode->setSetting(u"station_code"_s, {}).ok());
    QCOMPARE(noCode->registerVisit(registration(u"Nobody"_s)).code(), ErrorCode::UnknownStation);
}

void TestLocalStore::registrationIsShownAtOnceAndConfirmedLater()
{
    StoreFixture f;
    FakeServer server;
    QSignalSpy submitted(&f.store(), &LocalStore::commandSubmitted);
    QSignalSpy changed(&f.store(), &LocalStore::visitChanged);
    QSignalSpy pending(&f.store(), &LocalStore::pendingCountChanged);
    const auto visit = f->registerVisit(registration(u"Kim Jiwoo"_s, u"IM"_s, u"dr.lee"_s, Priority::Urgent));
    QVERIFY(visit);
    QCOMPARE(submitted.count(), 1);
    const auto sent = submitted.at(0).at(0).value<OutgoingCommand>();
    QCOMPARE(sent.meta.commandId, visit->commandId);
    QCOMPARE(sent.meta.station, u"A"_s);
    QCOMPARE(sent.meta.at, startTime());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toUuid(), visit->visitId);
    QCOMPARE(pending.count(), 1);
    QCOMPARE(pending.at(0).at(0).toInt(), 1);

    const auto row = f->visit(visit->visitId);
    QVERIFY(row);
    QCOMPARE(row->patientName, u"Kim Jiwoo"_s);
    QCOMPARE(row->doctor, u"dr.lee"_s);
    QCOMPARE_NAMED(row->receptionStatus, ReceptionStatus::Received);
    QVERIFY(!row->diagnosisStatus);
    QVERIFY(f->isPending(visit->visitId));
    QVERIFY(!f->confirmedVisit(visit->visitId));
    QCOMPARE(f->reception(visit->visitId)->ticket.toString(), u"A-001"_s);
    QCOMPARE(f->unansweredCommands().size(), 1);

    server.sync(f.store());
    QCOMPARE(f->pendingCount(), 0);
    QVERIFY(!f->isPending(visit->visitId));
    QCOMPARE(f->lastSequence(), quint64(3)); // ReceptionRegistered, DiagnosisRegistered, TreatmentStarted
    const auto confirmed = f->confirmedVisit(visit->visitId);
    QVERIFY(confirmed);
    QCOMPARE_NAMED(confirmed->receptionStatus, ReceptionStatus::InTreatment);
    QCOMPARE_NAMED(*confirmed->diagnosisStatus, DiagnosisStatus::Waiting);
    QVERIFY(*f->visit(visit->visitId) == *confirmed);
    QCOMPARE(f->visitIds(), QList<QUuid>{visit->visitId});
    QCOMPARE(f->diagnosisOfVisit(visit->visitId)->doctor, u"dr.lee"_s);
    const QList<OutboxRecord> outbox = f->outbox();
    QCOMPARE(outbox.size(), 1);
    QCOMPARE(outbox[0].state, OutboxState::Applied);
    QCOMPARE(outbox[0].sequences, QList<quint64>{1});
    QCOMPARE(outbox[0].commandName, u"RegisterVisit"_s);
    QCOMPARE(f->history(visit->visitId).size(), 3);
}

void TestLocalStore::doctorSeesOwnActionsAtOnce()
{
    StoreFixture f(u"DOC1"_s);
    QVERIFY(f->setRole(Role::Doctor).ok());
    FakeServer server;
    const QUuid visitId = registerElsewhere(server, u"B"_s, 1, startTime());
    QVERIFY(f->applyEvents(server.eventsAfter(0)).ok());
    const QUuid dx = diagnosis::idForVisit(visitId);
    const QUuid exam = newId();
    const auto prescribed = f->submit(PrescribeExamination{dx, exam, u"BLOOD"_s, u"fasting"_s});
    QVERIFY(prescribed);
    QCOMPARE_NAMED(f->diagnosis(dx)->status, DiagnosisStatus::ExamsPending);
    QCOMPARE(f->visit(visitId)->examsPrescribed, 1);
    QCOMPARE(f->openDiagnoses(u"dr.kim"_s).size(), 1);
    // Validated against the effective state: the exam the doctor just ordered is still pending.
    QCOMPARE(f->submit(CompleteTreatment{dx, {}}).code(), ErrorCode::ExaminationsStillPending);
    QCOMPARE(f->submit(PrescribeExamination{dx, exam, u"BLOOD"_s, {}}).code(), ErrorCode::ExaminationAlreadyPrescribed);
    QVERIFY(f->submit(RefuseTreatment{dx, u"declined"_s}));
    QCOMPARE_NAMED(f->diagnosis(dx)->status, DiagnosisStatus::Refused);
    QVERIFY(f->openDiagnoses().isEmpty());
    // The server refuses the prescription; the refusal still applies on its own, from waiting.
    QVERIFY(f->markOutcome({prescribed.value(), false, {}, makeError(ErrorCode::DiagnosisWithdrawn)}).value());
    QCOMPARE_NAMED(f->diagnosis(dx)->status, DiagnosisStatus::Refused);
    QVERIFY(f->diagnosis(dx)->prescriptions.isEmpty());
    QCOMPARE(f->visit(visitId)->examsPrescribed, 0);
    server.sync(f.store());
    QCOMPARE_NAMED(f->confirmedVisit(visitId)->receptionStatus, ReceptionStatus::TreatmentRefused);
    QVERIFY(!f->isPending(visitId));
}

void TestLocalStore::catalogueChangeRechecksPendingActions()
{
    StoreFixture f;
    const auto surgery = f->registerVisit(registration(u"Oh"_s, u"GS"_s));
    const auto medicine = f->registerVisit(registration(u"Seo"_s, u"IM"_s));
    QSignalSpy changed(&f.store(), &LocalStore::visitChanged);
    QSignalSpy catalogue(&f.store(), &LocalStore::catalogueChanged);
    // The server's roster has no surgery: the desk's pending surgery registration no longer shows.
    const Catalogue noSurgery({{u"IM"_s, u"Medicine"_s}}, {{u"dr.kim"_s, u"Kim"_s, u"IM"_s}}, {});
    QVERIFY(f->setCatalogue(noSurgery).ok());
    QCOMPARE(catalogue.count(), 1);
    QCOMPARE(changed.count(), 2);
    QVERIFY(!f->visit(surgery->visitId));
    QVERIFY(f->visit(medicine->visitId));
    QCOMPARE(f->pendingCount(), 2); // both still await the server's answer
    QCOMPARE(f->registerVisit(registration(u"Ko"_s, u"GS"_s)).code(), ErrorCode::UnknownDepartment);
    QVERIFY(f->setCatalogue(noSurgery).ok()); // unchanged: nothing to do
    QCOMPARE(catalogue.count(), 1);
    Catalogue broken({{u"IM"_s, u"Medicine"_s}}, {{u"dr.kim"_s, u"Kim"_s, u"XX"_s}}, {});
    QVERIFY(!f->setCatalogue(broken));
    f.reopen();
    QVERIFY(f->catalogue() == noSurgery);
    QVERIFY(!f->visit(surgery->visitId));
}

void TestLocalStore::thousandOfflineRegistrations()
{
    StoreFixture f;
    QElapsedTimer timer;
    timer.start();
    QSet<QString> tickets;
    for (int n = 0; n < 1000; ++n) {
        const auto visit = f->registerVisit(registration(u"Patient %1"_s.arg(n)));
        QVERIFY(visit);
        tickets.insert(visit->ticket.toString());
    }
    const qint64 ms = timer.elapsed();
    qInfo("1000 offline registrations: %lld ms (%.0f per second, each one durable transaction)", ms,
          1000.0 * 1000.0 / double(std::max<qint64>(ms, 1)));
    QCOMPARE(tickets.size(), 1000);
    QVERIFY(tickets.contains(u"A-1000"_s));
    QCOMPARE(f->pendingCount(), 1000);
    QCOMPARE(f->visitIds().size(), 1000);
    const QList<OutgoingCommand> unanswered = f->unansweredCommands();
    QCOMPARE(unanswered.size(), 1000);
    QCOMPARE(std::get<RegisterVisit>(unanswered.front().command).ticket.number, 1);
    QCOMPARE(std::get<RegisterVisit>(unanswered.back().command).ticket.number, 1000);
    FakeServer server;
    server.sync(f.store());
    QCOMPARE(f->pendingCount(), 0);
    QCOMPARE(f->lastSequence(), quint64(3000));
}

QTEST_GUILESS_MAIN(TestLocalStore)
#include "TestLocalStore.moc"
