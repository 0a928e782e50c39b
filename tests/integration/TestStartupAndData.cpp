// Start-up and data (issue #12), against the real binary: a view file that is garbage, or that belongs to another
// log (the main database deleted beside it), is set aside and rebuilt from the log with a warning saying so, instead
// of stopping the start-up or serving a stale view; a command's time outside the window of domain/ActedAt.h (a day
// after the epoch, a day ahead) is rejected ACTED_AT_OUT_OF_RANGE while days of offline work are applied with their
// time; a name holding a control or bidi character is rejected INVALID_CHARACTERS.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "ViewReads.h"
#include "domain/Ids.h"
#include "proto/Convert.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

const QString kViewFile = u"clinicflow-view.sqlite"_s;

bool isViewRebuiltLine(const LogLine &l, const QString &why)
{
    return l.level == u"warning"_s && l.message.contains(u"status view "_s) && l.message.contains(why) &&
           l.message.contains(u"moved aside to "_s) && l.message.contains(u"rebuilt from the event log"_s);
}

QStringList setAside(const ServerProcess &server, const QString &kind)
{
    return QDir(server.dataDir()).entryList({u"%1.%2-*"_s.arg(kViewFile, kind)}, QDir::Files);
}

int rowCount(ServerProcess &server)
{
    auto rows = visitRows(server);
    return rows ? int(rows->size()) : -1;
}

} // namespace

class TestStartupAndData : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void aCorruptViewIsRebuiltFromTheLog();
    void anOldViewBesideAnEmptyDatabaseIsRebuilt();
    void timesOutsideTheWindowAreRejected();
    void controlCharactersInANameAreRejected();

private:
    bool registerVisits(int count, std::vector<QUuid> *ids = nullptr);
    Outcome submitAt(const domain::Command &command, qint64 atMs);

    std::unique_ptr<ServerProcess> m_server;
    TestStation m_desk;
};

void TestStartupAndData::init()
{
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_desk.connect(m_server->port());
    QVERIFY2(m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
}

void TestStartupAndData::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server->logTail(40);
    m_desk.disconnect();
    m_server.reset();
}

bool TestStartupAndData::registerVisits(int count, std::vector<QUuid> *ids)
{
    for (int i = 0; i < count; ++i) {
        const domain::RegisterVisit visit = registerVisit();
        const Outcome outcome = m_desk.submitAndWait(visit);
        if (!outcome.applied) {
            qWarning().noquote() << "registration:" << outcome.describe();
            return false;
        }
        if (ids)
            ids->push_back(visit.receptionId);
    }
    return true;
}

Outcome TestStartupAndData::submitAt(const domain::Command &command, qint64 atMs)
{
    const QUuid id = domain::newId();
    const domain::CommandMeta meta{id, u"A"_s, QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC)};
    m_desk.sendSubmit(proto::toSubmit(meta, command));
    return m_desk.waitOutcome(id);
}

void TestStartupAndData::aCorruptViewIsRebuiltFromTheLog()
{
    std::vector<QUuid> visits;
    QVERIFY(registerVisits(3, &visits));
    QVERIFY(pollUntil([&] { return rowCount(*m_server) == 3; }));
    m_desk.disconnect();
    QVERIFY2(m_server->terminate(), qPrintable(m_server->errorString()));

    // Garbage written over the view's file: SQLite cannot even open it.
    QFile view(QDir(m_server->dataDir()).filePath(kViewFile));
    QVERIFY(view.open(QIODevice::WriteOnly));
    QByteArray garbage(32 * 1024, 'G');
    view.write(garbage);
    view.close();

    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    QVERIFY(m_server->waitForLog([](const LogLine &l) { return isViewRebuiltLine(l, u"cannot be opened"_s); }));
    const QStringList aside = setAside(*m_server, u"corrupt"_s);
    QCOMPARE(aside.size(), 1);
    QFile kept(QDir(m_server->dataDir()).filePath(aside.first()));
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), garbage); // the operator's file, as it was
    // The view is whole again, from the log, and follows new events.
    QVERIFY(pollUntil([&] { return rowCount(*m_server) == 3; }));
    for (const QUuid &visit : visits)
        QVERIFY(visitRow(*m_server, visit));
    m_desk.connect(m_server->port());
    QVERIFY(m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST));
    QVERIFY(registerVisits(1));
    QVERIFY(pollUntil([&] { return rowCount(*m_server) == 4; }));
}

// The main database deleted (or restored from an older backup) while the view's file stayed: the view said it had
// projected the log up to a sequence the new log had not reached, served the old visits and showed no new ones.
void TestStartupAndData::anOldViewBesideAnEmptyDatabaseIsRebuilt()
{
    QVERIFY(registerVisits(3));
    QVERIFY(pollUntil([&] { return rowCount(*m_server) == 3; }));
    m_desk.disconnect();
    QVERIFY2(m_server->terminate(), qPrintable(m_server->errorString()));
    const QDir data(m_server->dataDir());
    for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
        QFile::remove(data.filePath(u"clinicflow.sqlite"_s + suffix));
    QVERIFY(m_server->enrolAgain(*m_server->enrol(u"A"_s, domain::Role::Receptionist)));

    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    QVERIFY(m_server->waitForLog([](const LogLine &l) {
        return isViewRebuiltLine(l, u"was projected from another event log"_s) ||
               isViewRebuiltLine(l, u"but the log ends at 0"_s);
    }));
    QCOMPARE(setAside(*m_server, u"mismatched"_s).size(), 1);
    QCOMPARE(rowCount(*m_server), 0); // no visit of the old log
    m_desk.connect(m_server->port());
    QVERIFY2(m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
    std::vector<QUuid> visits;
    QVERIFY(registerVisits(2, &visits));
    QVERIFY(pollUntil([&] { return rowCount(*m_server) == 2; }));
    QVERIFY(visitRow(*m_server, visits.back()));
}

void TestStartupAndData::timesOutsideTheWindowAreRejected()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    constexpr qint64 day = 24 * 60 * 60 * 1000;
    // A day after the epoch: the wait of 57 years the issue saw.
    const domain::RegisterVisit ancient = registerVisit();
    Outcome outcome = submitAt(ancient, day);
    QVERIFY2(outcome.answered && !outcome.applied, qPrintable(outcome.describe()));
    QCOMPARE(outcome.code, v1::ERROR_CODE_ACTED_AT_OUT_OF_RANGE);
    QVERIFY2(outcome.message.contains(u"clock"_s), qPrintable(outcome.message));
    // A day ahead of the server: a station's clock gone wrong.
    const domain::RegisterVisit ahead = registerVisit();
    outcome = submitAt(ahead, now + day);
    QCOMPARE(outcome.code, v1::ERROR_CODE_ACTED_AT_OUT_OF_RANGE);
    // A weekend offline: applied, and its wait counts from when the desk registered it.
    const domain::RegisterVisit offline = registerVisit();
    outcome = submitAt(offline, now - 3 * day);
    QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    const Polled row = pollVisitRow(*m_server, offline.receptionId, [](const QJsonObject &) { return true; });
    QVERIFY2(row.ok, qPrintable(row.describe()));
    const qint64 wait = row.last.value(u"waitingSeconds"_s).toInteger();
    QVERIFY2(wait >= 3 * 24 * 3600 && wait < 3 * 24 * 3600 + 600, qPrintable(QString::number(wait)));
    // Nothing of the refused ones was stored.
    QVERIFY(!visitRow(*m_server, ancient.receptionId));
    QVERIFY(!visitRow(*m_server, ahead.receptionId));
}

void TestStartupAndData::controlCharactersInANameAreRejected()
{
    for (const QString &name : {u"Kim\nMinjun"_s, u"Kim\u202EnujniM"_s, u"Kim\u001B[2J"_s}) {
        domain::RegisterVisit visit = registerVisit();
        visit.patient.name = name;
        const Outcome outcome = m_desk.submitAndWait(visit);
        QVERIFY2(outcome.answered && !outcome.applied, qPrintable(outcome.describe()));
        QCOMPARE(outcome.code, v1::ERROR_CODE_INVALID_CHARACTERS);
        QVERIFY(!visitRow(*m_server, visit.receptionId));
    }
    // A complaint may break lines.
    domain::RegisterVisit visit = registerVisit();
    visit.chiefComplaint = u"cough\n\tfever since Monday"_s;
    QVERIFY(m_desk.submitAndWait(visit).applied);
}

QTEST_GUILESS_MAIN(TestStartupAndData)
#include "TestStartupAndData.moc"
