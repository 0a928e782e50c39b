// The audit trail against the real server (ARCHITECTURE §7, docs/protocol.md "Audit trail"): after a whole journey,
// `GET /audit?visit=` and `clinicflow-server audit --visit` answer who changed the visit (each command, its station
// and result) and who read its personal data (a page of events, a snapshot, a publication to a subscribed station,
// a row over HTTP). The trail is append-only: the database itself refuses to change or delete an entry.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestPostgres.h"
#include "TestStation.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

class TestAuditTrail : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void theTrailAnswersWhoReadOrChangedAVisit();
    void theTrailIsAppendOnly();

private:
    QJsonArray entriesFor(const QUuid &visit);
    bool openDirectly(QSqlDatabase *db, const QString &name);
    QString whatTheFileHolds(const QUuid &visit);
    static QString detailOf(const QJsonArray &entries, const QString &station, const QString &action);
    static bool has(const QJsonArray &entries, const QString &station, const QString &action,
                    const QString &result = u"served"_s, const QUuid &commandId = {});

    ServerProcess m_server;
};

void TestAuditTrail::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void TestAuditTrail::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server.logTail(30);
}

QJsonArray TestAuditTrail::entriesFor(const QUuid &visit)
{
    const HttpResult audit = m_server.httpGet(u"/audit?visit=%1&limit=1000"_s.arg(idText(visit)));
    return audit.status == 200 ? audit.object().value(u"entries"_s).toArray() : QJsonArray();
}

// Straight into the server's database, behind its back, as someone with the file or a login could.
bool TestAuditTrail::openDirectly(QSqlDatabase *db, const QString &name)
{
    if (testPostgresRequested()) {
        auto opened = openPostgres(m_server.databaseUrl(), name);
        if (!opened)
            qWarning().noquote() << opened.error().message();
        *db = opened ? opened.value() : QSqlDatabase();
        return db->isOpen();
    }
    *db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
    db->setDatabaseName(m_server.dataDir() + u"/clinicflow.sqlite"_s);
    if (!db->open())
        return false;
    QSqlQuery(*db).exec(u"PRAGMA busy_timeout = 5000"_s);
    return true;
}

// When the server's answer misses entries: what a connection of this process reads in the file, and what the
// operators' command (a process of its own) answers. Tells a trail that was never written from a stale reader.
QString TestAuditTrail::whatTheFileHolds(const QUuid &visit)
{
    QString out;
    {
        QSqlDatabase db;
        if (openDirectly(&db, u"inspect"_s)) {
            QSqlQuery q(db);
            q.prepare(u"SELECT position, station, action FROM audit_log WHERE visit_id = ? ORDER BY position"_s);
            q.addBindValue(idText(visit));
            if (q.exec()) {
                while (q.next())
                    out += u"  %1 %2 %3\n"_s.arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString());
            } else {
                out += u"  cannot read: %1\n"_s.arg(q.lastError().text());
            }
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(u"inspect"_s);
    QString printed;
    m_server.runAdmin({u"audit"_s, u"--visit"_s, idText(visit)}, &printed);
    return u"read here:\n%1the audit command:\n%2"_s.arg(out, printed);
}

QString TestAuditTrail::detailOf(const QJsonArray &entries, const QString &station, const QString &action)
{
    for (const QJsonValue &v : entries) {
        const QJsonObject e = v.toObject();
        if (e.value(u"station"_s).toString() == station && e.value(u"action"_s).toString() == action)
            return e.value(u"detail"_s).toString();
    }
    return {};
}

bool TestAuditTrail::has(const QJsonArray &entries, const QString &station, const QString &action,
                         const QString &result, const QUuid &commandId)
{
    return std::any_of(entries.begin(), entries.end(), [&](const QJsonValue &v) {
        const QJsonObject e = v.toObject();
        return e.value(u"station"_s).toString() == station && e.value(u"action"_s).toString() == action &&
               e.value(u"result"_s).toString() == result &&
               (commandId.isNull() || e.value(u"commandId"_s).toString() == idText(commandId));
    });
}

void TestAuditTrail::theTrailAnswersWhoReadOrChangedAVisit()
{
    TestStation desk, doctor, examiner, board;
    desk.connect(m_server.port());
    QVERIFY2(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(desk.lastError()));
    doctor.connect(m_server.port(), m_server.pubPort()); // hears its role's topic
    QVERIFY2(doctor.hello(u"D1"_s, v1::ROLE_DOCTOR), qPrintable(doctor.lastError()));
    QVERIFY(doctor.waitForHeartbeat()); // subscribed before the registration is published
    examiner.connect(m_server.port());
    QVERIFY(examiner.hello(u"L1"_s, v1::ROLE_EXAMINER));
    board.connect(m_server.port());
    QVERIFY(board.hello(u"B1"_s, v1::ROLE_BOARD));

    const auto untilApplied = [](TestStation &s, const std::function<domain::Command()> &make, QUuid *id) {
        QElapsedTimer clock;
        clock.start();
        Outcome outcome;
        do {
            *id = domain::newId();
            outcome = s.submitAndWait(make(), *id);
            if (!outcome.applied)
                QTest::qWait(100);
        } while (!outcome.applied && clock.elapsed() < 10000);
        return outcome.applied;
    };
    const domain::RegisterVisit registration = registerVisit(u"IM"_s, u"dr.kim"_s);
    const QUuid visit = registration.receptionId;
    const QUuid examination = domain::newId();
    QUuid registered, prescribed, performed, reviewed, completed, confirmed;
    QVERIFY(untilApplied(
        desk, [&] { return registration; }, &registered));
    QVERIFY(untilApplied(
        doctor, [&] { return prescribe(visit, u"BLOOD"_s, examination); }, &prescribed));
    QVERIFY(untilApplied(
        examiner, [&] { return performExamination(examination); }, &performed));
    QVERIFY(untilApplied(
        doctor, [&] { return reviewResults(visit); }, &reviewed));
    QVERIFY(untilApplied(
        doctor, [&] { return completeTreatment(visit); }, &completed));
    QVERIFY(untilApplied(
        desk, [&] { return confirmOutcome(visit); }, &confirmed));
    // Reads of the patient's data, each way a station or an operator reads it.
    QVERIFY(examiner.fetchAllEvents().ok);
    // The board's snapshot is a read of the visit once the status view holds it: the view follows the log a moment
    // behind the commands' answers, and a snapshot taken before then does not contain the visit (nor audits it).
    const auto snapshotHasTheVisit = [&] {
        const SnapshotRead read = board.fetchSnapshot();
        return read.ok && std::any_of(read.visits.begin(), read.visits.end(), [&](const v1::VisitStatus &v) {
                   return v.visit_id() == idText(visit).toStdString();
               });
    };
    QVERIFY(pollUntil(snapshotHasTheVisit, 5000));
    QCOMPARE(m_server.httpGet(u"/receptions/%1"_s.arg(idText(visit))).status, 200);

    QJsonArray entries;
    const auto everyReadIsThere = [&] {
        entries = entriesFor(visit);
        return has(entries, u"D1"_s, u"read:published"_s) && has(entries, u"L1"_s, u"read:events"_s) &&
               has(entries, u"B1"_s, u"read:snapshot"_s) && has(entries, u"http"_s, u"read:http"_s);
    };
    if (!pollUntil(everyReadIsThere, 5000)) {
        QString answered;
        for (const QJsonValue &v : std::as_const(entries)) {
            const QJsonObject e = v.toObject();
            answered += u"  %1 %2 %3\n"_s.arg(e.value(u"position"_s).toInteger())
                            .arg(e.value(u"station"_s).toString(), e.value(u"action"_s).toString());
        }
        qWarning().noquote() << u"GET /audit answered:\n"_s + answered + whatTheFileHolds(visit);
        QFAIL("GET /audit misses a read of the visit (its answer and the file's rows are above)");
    }
    // Who changed it: every command of the journey, with its station.
    QVERIFY(has(entries, u"A"_s, u"RegisterVisit"_s, u"applied"_s, registered));
    QVERIFY(has(entries, u"D1"_s, u"PrescribeExamination"_s, u"applied"_s, prescribed));
    QVERIFY(has(entries, u"L1"_s, u"PerformExamination"_s, u"applied"_s, performed));
    QVERIFY(has(entries, u"D1"_s, u"ReviewResults"_s, u"applied"_s, reviewed));
    QVERIFY(has(entries, u"D1"_s, u"CompleteTreatment"_s, u"applied"_s, completed));
    QVERIFY(has(entries, u"A"_s, u"ConfirmOutcome"_s, u"applied"_s, confirmed));
    // Each read names what was read: the doctor heard the registration, the first event of this fresh server.
    QVERIFY2(detailOf(entries, u"D1"_s, u"read:published"_s) == u"as doctor, event 1"_s,
             qPrintable(detailOf(entries, u"D1"_s, u"read:published"_s)));
    // Nobody else: the desk fetched nothing and subscribed to nothing, so it read nothing it did not write.
    QVERIFY(!has(entries, u"A"_s, u"read:events"_s) && !has(entries, u"A"_s, u"read:published"_s));
    for (const QJsonValue &v : std::as_const(entries)) {
        QCOMPARE(v.toObject().value(u"visitId"_s).toString(), idText(visit));
        QVERIFY2(!mentionsPatient(QString::fromUtf8(QJsonDocument(v.toObject()).toJson())),
                 "the trail names the visit, never the patient");
    }

    // The operators' command answers the same.
    QString printed;
    QCOMPARE(m_server.runAdmin({u"audit"_s, u"--visit"_s, idText(visit)}, &printed), 0);
    for (const QString &expected : {u"RegisterVisit"_s, u"PrescribeExamination"_s, u"PerformExamination"_s,
                                    u"ReviewResults"_s, u"CompleteTreatment"_s, u"ConfirmOutcome"_s,
                                    u"read:published"_s, u"read:events"_s, u"read:snapshot"_s, u"read:http"_s})
        QVERIFY2(printed.contains(expected), qPrintable(expected + u" missing from:\n"_s + printed));
    QVERIFY2(printed.contains(u"%1 entries"_s.arg(entries.size())), qPrintable(printed));
    QCOMPARE(m_server.runAdmin({u"audit"_s, u"--visit"_s, u"nonsense"_s}, &printed), 1);
    QVERIFY2(printed.contains(u"is not a visit id"_s), qPrintable(printed));
}

void TestAuditTrail::theTrailIsAppendOnly()
{
    const HttpResult before = m_server.httpGet(u"/audit?limit=1000"_s);
    const qsizetype count = before.object().value(u"entries"_s).toArray().size();
    QVERIFY(count > 0);
    {
        QSqlDatabase db;
        QVERIFY(openDirectly(&db, u"tamper"_s));
        QSqlQuery q(db);
        QVERIFY(!q.exec(u"UPDATE audit_log SET result = 'applied' WHERE result = 'served'"_s));
        QVERIFY2(q.lastError().text().contains(u"append-only"_s), qPrintable(q.lastError().text()));
        QVERIFY(!q.exec(u"DELETE FROM audit_log"_s));
        QVERIFY2(q.lastError().text().contains(u"append-only"_s), qPrintable(q.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"tamper"_s);
    const HttpResult after = m_server.httpGet(u"/audit?limit=1000"_s);
    QVERIFY(after.object().value(u"entries"_s).toArray().size() >= count);
    QCOMPARE(after.object().value(u"entries"_s).toArray().first(),
             before.object().value(u"entries"_s).toArray().first());
}

QTEST_GUILESS_MAIN(TestAuditTrail)
#include "TestAuditTrail.moc"
