// The PostgreSQL failpoint of TestCrashAtEveryCommit.postgresql (tests/support/CommitShim.cpp) counts what it says:
// preloaded into a child process that runs statements through Qt's QPSQL driver, with
// CLINICFLOW_TEST_KILL_AFTER_COMMIT=n, the child dies by SIGKILL right after its n-th durable commit (the row it
// wrote is in the database), and not at a commit that waits for no disk: a transaction that only read or changed no
// row, one rolled back or failed, or one on a connection with synchronous_commit off. A write outside a transaction
// counts once it is done, and QSqlDatabase::commit() (PQexec) counts as a COMMIT sent as a query does. The server
// sends no such write today; the crash test would miss one if the shim did.
#include "TestPostgres.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace clinicflow::testsupport;

namespace {

constexpr char childVariable[] = "CLINICFLOW_TEST_COMMIT_SHIM_CHILD"; // the database URL the child runs on

struct Statement
{
    const char *sql; // "transaction" and "commit": QSqlDatabase::transaction() and commit()
    bool durable;    // the shim must count it
};

// What the child runs, in order. A row's value is its statement's index, so the parent can tell which were written.
const Statement kScript[] = {
    {"BEGIN", false},
    {"SELECT count(*) FROM t", false},
    {"COMMIT", false}, // read only
    {"BEGIN", false},
    {"UPDATE t SET x = x WHERE x < 0", false},
    {"COMMIT", false}, // no row changed
    {"BEGIN", false},
    {"INSERT INTO t VALUES (7)", false},
    {"COMMIT", true},
    {"INSERT INTO t VALUES (9)", true}, // autocommit
    {"BEGIN", false},
    {"INSERT INTO t VALUES (11)", false},
    {"ROLLBACK", false},
    {"BEGIN", false},
    {"INSERT INTO t VALUES (14)", false},
    {"SELECT 1 / 0", false}, // fails: the COMMIT below is answered ROLLBACK
    {"COMMIT", false},
    {"SET synchronous_commit = off", false},
    {"BEGIN", false},
    {"INSERT INTO t VALUES (19)", false},
    {"COMMIT", false}, // returns before the disk has it
    {"SET synchronous_commit TO 'on'", false},
    {"transaction", false},
    {"UPDATE t SET x = 23 WHERE x = 7", false},
    {"commit", true},
    {"SELECT 25", false},
};
constexpr int kStatements = int(std::size(kScript));

// The child: runs the script, printing each statement's index once it returned; "end" after the last.
int childMain(const QString &url)
{
    {
        auto db = openPostgres(url, u"child"_s);
        if (!db) {
            std::fprintf(stderr, "%s\n", qPrintable(db.error().message()));
            return 2;
        }
        for (int i = 0; i < kStatements; ++i) {
            const QString sql = QString::fromLatin1(kScript[i].sql);
            QSqlQuery query(db.value());
            if (sql == u"transaction"_s)
                db.value().transaction();
            else if (sql == u"commit"_s)
                db.value().commit();
            else
                query.exec(sql); // SELECT 1 / 0 fails, as meant
            std::printf("%d\n", i);
            std::fflush(stdout);
        }
        std::printf("end\n");
        db.value().close();
    }
    QSqlDatabase::removeDatabase(u"child"_s);
    return 0;
}

} // namespace

class TestCommitShim : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killsRightAfterTheNthDurableCommit_data();
    void killsRightAfterTheNthDurableCommit();
    void withoutTheVariableNothingDies();
    void cleanupTestCase();

private:
    struct Run
    {
        bool killed = false;
        int lastDone = -1; // the index of the last statement that returned
        bool ended = false;
        QString output;
    };
    Run runChild(const QString &killAfter);
    QList<int> rows();

    std::unique_ptr<ThrowawayPostgresDatabase> m_database;
};

void TestCommitShim::initTestCase()
{
    QVERIFY(QFile::exists(QStringLiteral(CLINICFLOW_COMMIT_SHIM)));
    m_database = std::make_unique<ThrowawayPostgresDatabase>();
    QVERIFY2(m_database->isValid(), qPrintable(m_database->error()));
    auto db = openPostgres(m_database->url(), u"setup"_s);
    QVERIFY2(db, qPrintable(db ? QString() : db.error().message()));
    QSqlQuery query(db.value());
    QVERIFY2(query.exec(u"CREATE TABLE t (x INTEGER NOT NULL)"_s), qPrintable(query.lastError().text()));
}

void TestCommitShim::cleanupTestCase()
{
    QSqlDatabase::database(u"setup"_s, false).close();
    QSqlDatabase::removeDatabase(u"setup"_s);
    m_database.reset();
}

TestCommitShim::Run TestCommitShim::runChild(const QString &killAfter)
{
    {
        QSqlDatabase db = QSqlDatabase::database(u"setup"_s);
        QSqlQuery query(db);
        if (!query.exec(u"DELETE FROM t"_s))
            qWarning().noquote() << query.lastError().text();
    }
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QLatin1StringView(childVariable), m_database->url());
    env.insert(u"LD_PRELOAD"_s, QStringLiteral(CLINICFLOW_COMMIT_SHIM));
    if (!killAfter.isEmpty())
        env.insert(u"CLINICFLOW_TEST_KILL_AFTER_COMMIT"_s, killAfter);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    Run run;
    if (!child.waitForFinished(30000)) {
        child.kill();
        child.waitForFinished();
    }
    run.killed = child.exitStatus() == QProcess::CrashExit && child.error() == QProcess::Crashed;
    run.output = QString::fromUtf8(child.readAllStandardOutput() + child.readAllStandardError());
    const QStringList lines = run.output.split(u'\n', Qt::SkipEmptyParts);
    run.ended = lines.contains(u"end"_s) && child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0;
    for (const QString &line : lines) {
        bool ok = false;
        if (const int index = line.toInt(&ok); ok)
            run.lastDone = index;
    }
    return run;
}

QList<int> TestCommitShim::rows()
{
    QList<int> values;
    QSqlQuery query(QSqlDatabase::database(u"setup"_s));
    if (!query.exec(u"SELECT x FROM t ORDER BY x"_s))
        qWarning().noquote() << query.lastError().text();
    while (query.next())
        values.append(query.value(0).toInt());
    return values;
}

void TestCommitShim::killsRightAfterTheNthDurableCommit_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("statement"); // the index of the statement it dies in
    QTest::addColumn<QList<int>>("rows");
    QTest::newRow("a transaction's COMMIT") << 1 << 8 << QList<int>{7};
    QTest::newRow("a write outside a transaction") << 2 << 9 << QList<int>{7, 9};
    QTest::newRow("QSqlDatabase::commit()") << 3 << 24 << QList<int>{9, 19, 23};
}

void TestCommitShim::killsRightAfterTheNthDurableCommit()
{
    QFETCH(int, n);
    QFETCH(int, statement);
    QFETCH(QList<int>, rows);
    QVERIFY(kScript[statement].durable);
    const Run run = runChild(QString::number(n));
    QVERIFY2(run.killed, qPrintable(run.output));
    // It died in that statement, after the database had committed it.
    QCOMPARE(run.lastDone, statement - 1);
    QCOMPARE(this->rows(), rows);
}

void TestCommitShim::withoutTheVariableNothingDies()
{
    for (const QString &killAfter : {QString(), u"0"_s, u"4"_s}) {
        const Run run = runChild(killAfter);
        QVERIFY2(run.ended, qPrintable(u"CLINICFLOW_TEST_KILL_AFTER_COMMIT=%1: %2"_s.arg(killAfter, run.output)));
        QCOMPARE(run.lastDone, kStatements - 1);
        QCOMPARE(rows(), (QList<int>{9, 19, 23}));
    }
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (const QString url = qEnvironmentVariable(childVariable); !url.isEmpty())
        return childMain(url);
    TestCommitShim test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestCommitShim.moc"
