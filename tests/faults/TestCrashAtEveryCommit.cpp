// kill -9 of the server right after each of its durable commits (ARCHITECTURE §7; issue #14, fault test 3): a whole
// journey is played one step at a time, and the server ends itself with SIGKILL right after its n-th durable commit,
// for n = 1, 2, ... until the journey runs through without reaching n. So every commit boundary of the journey, and
// so every pair of saga steps, is hit once, deterministically, instead of wherever a timer happens to land. After
// each kill the server restarts on the same data, the stations resend what they had sent, and the journey goes on.
// In the end every command has exactly one outcome and its own event once, every saga reaction happened exactly once,
// the log has no holes, and both visits ended: one completed and closed, the other cancelled and compensated.
// On both databases (TestCrashAtEveryCommit.postgresql): the failpoint preloaded into the server counts the syncs of
// SQLite's write-ahead log (tests/support/SyncShim.cpp), or the commits libpq returns from PostgreSQL that waited
// for its disk (tests/support/CommitShim.cpp). Each crash point starts from a copy of one migrated database: files
// copied into the server's data folder, or on PostgreSQL a database made with CREATE DATABASE ... TEMPLATE.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestPostgres.h"
#include "TestStation.h"
#include "ViewReads.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

struct Step
{
    TestStation *station = nullptr;
    domain::Command command;
    QUuid commandId;
    const char *eventType = ""; // the command's own event
    // The saga's reaction the next step needs, counted in the log: (type, visit or aggregate, expected count).
    const char *waitFor = nullptr;
    QUuid waitKey;
};

constexpr int kMaxCrashPoints = 80;

} // namespace

class TestCrashAtEveryCommit : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killAfterEachCommitLosesAndDoublesNothing();

private:
    std::vector<Step> journey();
    bool connectStations(ServerProcess &server);
    // Plays steps from `first`; the index of the step the server died in, or steps.size() when all ran.
    std::size_t play(ServerProcess &server, std::vector<Step> &steps, std::size_t first, QString &problem);
    static bool reactionSeen(const WireEvents &events, const Step &step);
    void verify(ServerProcess &server, const std::vector<Step> &steps, int crashPoint);
    // Gives a server that has not started a copy of the template: its files in the data folder, or on PostgreSQL
    // a database of its own, held by `copy` (which must outlive the server).
    bool copyTemplate(ServerProcess &server, std::unique_ptr<ThrowawayPostgresDatabase> &copy, QString &why) const;
    // The failpoint preloaded into the server: SIGKILL right after its n-th durable commit.
    static QProcessEnvironment killAfterDurableCommit(int n);

    // The database migrated once, copied for each crash point: the data folder's SQLite files, or a PostgreSQL
    // database on the fixture's cluster.
    QTemporaryDir m_template;
    std::unique_ptr<ThrowawayPostgresDatabase> m_templateDatabase;
    TestStation m_desk;
    TestStation m_doctor;
    TestStation m_examiner;
};

void TestCrashAtEveryCommit::initTestCase()
{
    QVERIFY(QFile::exists(QStringLiteral(CLINICFLOW_SYNC_SHIM)));
    QVERIFY(QFile::exists(QStringLiteral(CLINICFLOW_COMMIT_SHIM)));
    // Migrations and the server id are written once here, so the crash points are the journey's own commits.
    ServerProcess server;
    if (testPostgresRequested()) {
        m_templateDatabase = std::make_unique<ThrowawayPostgresDatabase>();
        QVERIFY2(m_templateDatabase->isValid(), qPrintable(m_templateDatabase->error()));
        server.setDatabaseUrl(m_templateDatabase->url());
    }
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QVERIFY2(server.terminate(), qPrintable(server.errorString()));
    if (m_templateDatabase)
        return;
    for (const QFileInfo &file : QDir(server.dataDir()).entryInfoList({u"*.sqlite*"_s}, QDir::Files))
        QVERIFY(QFile::copy(file.filePath(), m_template.filePath(file.fileName())));
}

bool TestCrashAtEveryCommit::copyTemplate(ServerProcess &server, std::unique_ptr<ThrowawayPostgresDatabase> &copy,
                                          QString &why) const
{
    if (m_templateDatabase) {
        copy = std::make_unique<ThrowawayPostgresDatabase>(m_templateDatabase->baseUrl(), m_templateDatabase->name());
        why = copy->error();
        if (copy->isValid())
            server.setDatabaseUrl(copy->url());
        return copy->isValid();
    }
    for (const QFileInfo &file : QDir(m_template.path()).entryInfoList(QDir::Files)) {
        if (!QFile::copy(file.filePath(), QDir(server.dataDir()).filePath(file.fileName()))) {
            why = u"cannot copy %1"_s.arg(file.fileName());
            return false;
        }
    }
    return true;
}

QProcessEnvironment TestCrashAtEveryCommit::killAfterDurableCommit(int n)
{
    QProcessEnvironment crash;
    if (testPostgresRequested()) {
        crash.insert(u"LD_PRELOAD"_s, QStringLiteral(CLINICFLOW_COMMIT_SHIM));
        crash.insert(u"CLINICFLOW_TEST_KILL_AFTER_COMMIT"_s, QString::number(n));
    } else {
        crash.insert(u"LD_PRELOAD"_s, QStringLiteral(CLINICFLOW_SYNC_SHIM));
        crash.insert(u"CLINICFLOW_TEST_SYNC_FILE"_s, u"clinicflow.sqlite-wal"_s);
        crash.insert(u"CLINICFLOW_TEST_KILL_AFTER_SYNC"_s, QString::number(n));
    }
    return crash;
}

std::vector<Step> TestCrashAtEveryCommit::journey()
{
    // Both visits are dr.kim's, whom the doctor station acts for; the second one through GS's queue is not possible
    // (a doctor acts on their own patients), so it is a second IM visit.
    const domain::RegisterVisit v = registerVisit(u"IM"_s, u"dr.kim"_s);
    const domain::PrescribeExamination x1 = prescribe(v.receptionId, u"BLOOD"_s);
    const domain::PrescribeExamination x2 = prescribe(v.receptionId, u"XRAY"_s);
    const domain::RegisterVisit w = registerVisit(u"IM"_s, u"dr.kim"_s);
    const domain::PrescribeExamination y = prescribe(w.receptionId, u"CT"_s);
    const QUuid V = v.receptionId;
    const QUuid W = w.receptionId;
    return {
        {&m_desk, v, QUuid::createUuid(), "ReceptionRegistered", "TreatmentStarted", V},
        {&m_doctor, x1, QUuid::createUuid(), "ExaminationPrescribed", "ExaminationRequested", x1.examinationId},
        {&m_doctor, x2, QUuid::createUuid(), "ExaminationPrescribed", "ExaminationRequested", x2.examinationId},
        {&m_examiner, performExamination(x1.examinationId), QUuid::createUuid(), "ExaminationPerformed", nullptr, {}},
        {&m_examiner, cancelExamination(x2.examinationId), QUuid::createUuid(), "ExaminationCancelled", "ResultsReady",
         V},
        {&m_doctor, reviewResults(V), QUuid::createUuid(), "ResultsReviewed", nullptr, {}},
        {&m_doctor, completeTreatment(V), QUuid::createUuid(), "TreatmentCompleted", "OutcomeRecorded", V},
        {&m_desk, confirmOutcome(V), QUuid::createUuid(), "VisitClosed", nullptr, {}},
        {&m_desk, w, QUuid::createUuid(), "ReceptionRegistered", "TreatmentStarted", W},
        {&m_doctor, y, QUuid::createUuid(), "ExaminationPrescribed", "ExaminationRequested", y.examinationId},
        {&m_desk, cancelVisit(W), QUuid::createUuid(), "ReceptionCancelled", "ExaminationWithdrawn", y.examinationId},
    };
}

bool TestCrashAtEveryCommit::connectStations(ServerProcess &server)
{
    m_desk.connect(server.port());
    m_doctor.connect(server.port());
    m_examiner.connect(server.port());
    return m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST) && m_doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR) &&
           m_examiner.hello(u"LAB1"_s, v1::ROLE_EXAMINER);
}

bool TestCrashAtEveryCommit::reactionSeen(const WireEvents &events, const Step &step)
{
    if (!step.waitFor)
        return true;
    const std::string_view type(step.waitFor);
    return countEvents(events, type, step.waitKey) == 1 || countForAggregate(events, type, step.waitKey) == 1;
}

std::size_t TestCrashAtEveryCommit::play(ServerProcess &server, std::vector<Step> &steps, std::size_t first,
                                         QString &problem)
{
    for (std::size_t i = first; i < steps.size(); ++i) {
        const Step &step = steps[i];
        step.station->submit(step.command, step.commandId);
        Outcome outcome;
        for (int slice = 0; slice < 50 && !outcome.answered; ++slice) {
            outcome = step.station->waitOutcome(step.commandId, 100ms);
            if (!outcome.answered && server.hasExited())
                return i;
        }
        if (!outcome.applied) {
            problem = u"step %1 (%2): %3"_s.arg(i + 1).arg(QLatin1String(step.eventType), outcome.describe());
            return steps.size();
        }
        // A read the server dies under goes unanswered: asked again every 500 ms (an answer takes milliseconds), the
        // death is seen within that. A timeout of 2 s cost about 25 s a run, as a third of the kills land here.
        EventLogRead log;
        const bool reacted = pollUntil(
            [&] {
                log = m_desk.fetchAllEvents(5000, 500ms);
                return (!log.ok && server.hasExited(100)) || (log.ok && reactionSeen(log.events, step));
            },
            10000, 20);
        if (server.hasExited())
            return i;
        if (!reacted) {
            problem =
                u"step %1: no %2 after %3"_s.arg(i + 1).arg(QLatin1String(step.waitFor), QLatin1String(step.eventType));
            return steps.size();
        }
    }
    return steps.size();
}

void TestCrashAtEveryCommit::verify(ServerProcess &server, const std::vector<Step> &steps, int crashPoint)
{
    const EventLogRead log = m_desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(m_desk.lastError()));
    const QString shape = checkLogShape(log.events, log.head);
    QVERIFY2(shape.isEmpty(), qPrintable(u"crash point %1: %2"_s.arg(crashPoint).arg(shape)));
    for (std::size_t i = 0; i < steps.size(); ++i) {
        // One outcome: resending now gets the stored Applied, naming the command's one event.
        const Outcome again = steps[i].station->submitAndWait(steps[i].command, steps[i].commandId);
        QVERIFY2(again.applied && again.sequences.size() == 1,
                 qPrintable(u"crash point %1, step %2: %3"_s.arg(crashPoint).arg(i + 1).arg(again.describe())));
        QVERIFY2(countCausedBy(log.events, steps[i].commandId) == 1,
                 qPrintable(u"crash point %1, step %2: its event %3 times"_s.arg(crashPoint)
                                .arg(i + 1)
                                .arg(countCausedBy(log.events, steps[i].commandId))));
        QCOMPARE(log.events.at(again.sequences.front() - 1).type(), std::string(steps[i].eventType));
    }
    // Every reaction exactly once, and nothing more: 11 commands and 13 reactions.
    const QUuid V = std::get<domain::RegisterVisit>(steps[0].command).receptionId;
    const QUuid W = std::get<domain::RegisterVisit>(steps[8].command).receptionId;
    const QStringList expectedV{u"ReceptionRegistered"_s,   u"DiagnosisRegistered"_s,  u"TreatmentStarted"_s,
                                u"ExaminationPrescribed"_s, u"ExaminationRequested"_s, u"ExaminationPrescribed"_s,
                                u"ExaminationRequested"_s,  u"ExaminationPerformed"_s, u"ExaminationCancelled"_s,
                                u"ResultsReady"_s,          u"ResultsReviewed"_s,      u"TreatmentCompleted"_s,
                                u"OutcomeRecorded"_s,       u"VisitClosed"_s};
    const QStringList expectedW{u"ReceptionRegistered"_s,   u"DiagnosisRegistered"_s,  u"TreatmentStarted"_s,
                                u"ExaminationPrescribed"_s, u"ExaminationRequested"_s, u"ReceptionCancelled"_s,
                                u"DiagnosisWithdrawn"_s,    u"ExaminationWithdrawn"_s};
    QStringList typesV = typesOf(log.events, V);
    QStringList typesW = typesOf(log.events, W);
    QStringList sortedV = expectedV;
    QStringList sortedW = expectedW;
    for (QStringList *list : {&typesV, &typesW, &sortedV, &sortedW})
        list->sort();
    QVERIFY2(typesV == sortedV,
             qPrintable(u"crash point %1: %2"_s.arg(crashPoint).arg(typesOf(log.events, V).join(u", "_s))));
    QVERIFY2(typesW == sortedW,
             qPrintable(u"crash point %1: %2"_s.arg(crashPoint).arg(typesOf(log.events, W).join(u", "_s))));
    QCOMPARE(log.events.size(), std::size_t(expectedV.size() + expectedW.size()));
    // And the status board shows both ended, nothing open: the first completed and closed, the second compensated.
    const auto ended = [&](const QUuid &visit, const QString &reception, const QString &diagnosis, int withdrawn) {
        const Polled row = pollVisitRow(server, visit, [&](const QJsonObject &r) {
            const QJsonObject exams = r.value(u"examinations"_s).toObject();
            return r.value(u"receptionStatus"_s).toString() == reception &&
                   r.value(u"diagnosisStatus"_s).toString() == diagnosis && exams.value(u"open"_s).toInt() == 0 &&
                   exams.value(u"withdrawn"_s).toInt() == withdrawn;
        });
        return row.ok ? QString() : u"crash point %1: %2"_s.arg(crashPoint).arg(row.describe());
    };
    const QString closed = ended(V, u"closed"_s, u"completed"_s, 0);
    QVERIFY2(closed.isEmpty(), qPrintable(closed));
    const QString compensated = ended(W, u"cancelled"_s, u"withdrawn"_s, 1);
    QVERIFY2(compensated.isEmpty(), qPrintable(compensated));
}

void TestCrashAtEveryCommit::killAfterEachCommitLosesAndDoublesNothing()
{
    int crashes = 0;
    for (int n = 1; n <= kMaxCrashPoints; ++n) {
        std::unique_ptr<ThrowawayPostgresDatabase> database; // dropped after the server below has stopped
        ServerProcess server;
        QString why;
        QVERIFY2(copyTemplate(server, database, why), qPrintable(why));
        server.setExtraEnvironment(killAfterDurableCommit(n));
        std::vector<Step> steps = journey();
        QString problem;
        std::size_t stopped = 0;
        if (server.start() && connectStations(server))
            stopped = play(server, steps, 0, problem);
        QVERIFY2(problem.isEmpty(), qPrintable(u"crash point %1 (before the kill): %2"_s.arg(n).arg(problem)));
        if (stopped == steps.size() && !server.hasExited()) {
            qInfo("the journey made %d durable commits; each was followed by a kill -9 once", n - 1);
            QVERIFY2(crashes >= 20, "too few crash points: the shim may not be killing the server");
            return;
        }
        if (const int code = server.waitForExitCode(5000); code != -1) {
            const QString output = server.errorString().isEmpty() ? server.logTail(20) : server.errorString();
            QFAIL(qPrintable(
                u"crash point %1: the server ended with code %2, not by the kill: %3"_s.arg(n).arg(code).arg(output)));
        }
        ++crashes;

        // Restarted on the same data: the stations resend what they had sent, in order, then go on.
        server.setExtraEnvironment({});
        QVERIFY2(server.restart(), qPrintable(server.errorString()));
        QVERIFY(connectStations(server));
        const std::size_t resumed = play(server, steps, 0, problem);
        if (!problem.isEmpty())
            qWarning().noquote() << "server log tail:\n" << server.logTail(40);
        QVERIFY2(problem.isEmpty(),
                 qPrintable(u"crash point %1 (killed in step %2): %3"_s.arg(n).arg(stopped + 1).arg(problem)));
        QCOMPARE(resumed, steps.size());
        verify(server, steps, n);
        if (QTest::currentTestFailed()) {
            qWarning().noquote() << "server log tail:\n" << server.logTail(40);
            return;
        }
    }
    QFAIL("the journey never completed without a kill: more commits than kMaxCrashPoints");
}

QTEST_GUILESS_MAIN(TestCrashAtEveryCommit)
#include "TestCrashAtEveryCommit.moc"
