// The server's connection to PostgreSQL as an operator writes its --database URL. A database on the same host is
// reached through its Unix socket (postgresql:///clinicflow, ?host= for the socket's folder): no TCP on the way and,
// with peer authentication, no password at all. The log names where the connection goes, as libpq reads the URL.
// Runs against the fixture's throwaway cluster (TestPostgres.h), whose socket is in the folder it records.
#include "TestPostgres.h"
#include "Why.h"
#include "common/Config.h"
#include "storage/Database.h"
#include "storage/Dialect.h"
#include "storage/Schema.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

class TestDatabaseConnection : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void aDatabaseOnThisHostIsReachedThroughItsSocket();
    void theLogNamesWhereTheConnectionGoes_data();
    void theLogNamesWhereTheConnectionGoes();

private:
    QString m_socketFolder; // the cluster's, pg-cluster.sh's DIR/cluster
};

void TestDatabaseConnection::initTestCase()
{
    if (!testPostgresRequested())
        QSKIP("CLINICFLOW_TEST_POSTGRES_DIR is unset: run through ctest (fixture postgresql)");
    QFile cluster(QDir(qEnvironmentVariable("CLINICFLOW_TEST_POSTGRES_DIR")).filePath(u"cluster"_s));
    QVERIFY2(cluster.open(QIODevice::ReadOnly), "no cluster file: did PostgresClusterStart pass?");
    m_socketFolder = QString::fromLocal8Bit(cluster.readAll()).trimmed();
    QVERIFY(m_socketFolder.startsWith(u'/'));
}

void TestDatabaseConnection::aDatabaseOnThisHostIsReachedThroughItsSocket()
{
    ThrowawayPostgresDatabase pg;
    QVERIFY2(pg.isValid(), qPrintable(pg.error()));
    const QUrl base(pg.baseUrl());
    const QString url = u"postgresql:///%1?host=%2&port=%3&user=%4"_s.arg(pg.name(), m_socketFolder)
                            .arg(base.port())
                            .arg(base.userName());
    // As --database takes it.
    const auto parsed = clinicflow::common::serverOptions().parse({u"clinicflow-server"_s, u"--database"_s, url},
                                                                  QProcessEnvironment());
    QVERIFY2(parsed.status == clinicflow::common::ParseResult::Status::Ok, qPrintable(parsed.message));

    const DatabaseSettings settings = DatabaseSettings::fromConfig(u"/nonexistent"_s, url);
    QVERIFY(!settings.isSqlite());
    {
        auto db = Database::open(settings, u"through-the-socket"_s);
        QVERIFY2(db, why(db).constData());
        auto migrated = migrate(*db.value());
        QVERIFY2(migrated, why(migrated).constData());
        QSqlQuery q(db.value()->connection());
        // No client address: the connection came through the socket, not TCP.
        QVERIFY(
            q.exec(u"SELECT inet_client_addr() IS NULL, current_database(), current_setting('synchronous_commit')"_s));
        QVERIFY(q.next());
        QVERIFY(q.value(0).toBool());
        QCOMPARE(q.value(1).toString(), pg.name());
        QCOMPARE(q.value(2).toString(), u"on"_s);
    }
    // What it migrated is there for a connection over TCP: one database, whichever way it is reached.
    auto tcp = Database::open(DatabaseSettings::fromConfig(u"/nonexistent"_s, pg.url()), u"over-tcp"_s);
    QVERIFY2(tcp, why(tcp).constData());
    QSqlQuery q(tcp.value()->connection());
    QVERIFY(q.exec(u"SELECT count(*) FROM information_schema.tables WHERE table_name = 'event_log'"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 1);
}

void TestDatabaseConnection::theLogNamesWhereTheConnectionGoes_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("described");
    QTest::newRow("host") << u"postgresql://cf@db.example/clinicflow"_s << u"PostgreSQL db.example:5432/clinicflow"_s;
    QTest::newRow("host and port") << u"postgresql://cf@db.example:6432/clinicflow?sslmode=verify-full"_s
                                   << u"PostgreSQL db.example:6432/clinicflow"_s;
    QTest::newRow("no host") << u"postgresql:///clinicflow"_s
                             << u"PostgreSQL clinicflow through the Unix socket of port 5432 in libpq's default "
                                "folder"_s;
    QTest::newRow("socket folder and port") << u"postgresql:///clinicflow?host=/run/postgresql&port=5433"_s
                                            << u"PostgreSQL clinicflow through the Unix socket of port 5433 in "
                                               "/run/postgresql"_s;
    // libpq reads the query's items last: they win over the URL's host.
    QTest::newRow("query host wins") << u"postgresql://cf@localhost/clinicflow?host=/run/postgresql"_s
                                     << u"PostgreSQL clinicflow through the Unix socket of port 5432 in "
                                        "/run/postgresql"_s;
}

void TestDatabaseConnection::theLogNamesWhereTheConnectionGoes()
{
    QFETCH(QString, url);
    QFETCH(QString, described);
    const DatabaseSettings settings = DatabaseSettings::fromConfig(u"/nonexistent"_s, url);
    QCOMPARE(Dialect::of(settings).describe(settings), described);
}

QTEST_GUILESS_MAIN(TestDatabaseConnection)
#include "TestDatabaseConnection.moc"
