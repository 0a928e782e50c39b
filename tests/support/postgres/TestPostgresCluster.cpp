// The ctest fixture `postgresql` and TestPostgres.h: the throwaway cluster answers on loopback as `clinicflow`, its
// commits wait for the disk, and a ThrowawayPostgresDatabase is a database of its own that is gone after it, even
// with a connection still open on it.
#include "TestPostgres.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>
#include <memory>

using namespace Qt::StringLiterals;
using namespace clinicflow::testsupport;

namespace {

// A connection to `url` that is closed and removed when it goes out of scope.
class Connection
{
    Q_DISABLE_COPY_MOVE(Connection)
public:
    explicit Connection(const QString &url)
        : m_name(u"TestPostgresCluster-%1"_s.arg(++s_count))
    {
        auto db = openPostgres(url, m_name);
        if (db)
            m_db = db.value();
        else
            m_error = db.error().message();
    }
    ~Connection()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool isOpen() const { return m_db.isOpen(); }
    QString error() const { return m_error; }
    // The first column of the first row of `sql`; a null QVariant (and a warning) on failure.
    QVariant value(const QString &sql)
    {
        QSqlQuery query(m_db);
        if (!query.exec(sql) || !query.next()) {
            qWarning().noquote() << sql << ":" << query.lastError().text();
            return {};
        }
        return query.value(0);
    }
    bool exec(const QString &sql)
    {
        QSqlQuery query(m_db);
        if (query.exec(sql))
            return true;
        qWarning().noquote() << sql << ":" << query.lastError().text();
        return false;
    }

private:
    static inline int s_count = 0;
    QString m_name;
    QSqlDatabase m_db;
    QString m_error;
};

} // namespace

class TestPostgresCluster : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (!testPostgresRequested())
            QSKIP("CLINICFLOW_TEST_POSTGRES_DIR is unset: run through ctest (fixture postgresql)");
        QVERIFY2(testPostgresBaseUrl(), "no url file in CLINICFLOW_TEST_POSTGRES_DIR: did PostgresClusterStart pass?");
    }

    void theBaseUrlIsLoopbackAsClinicflow()
    {
        const QUrl url(*testPostgresBaseUrl());
        QCOMPARE(url.scheme(), u"postgresql"_s);
        QCOMPARE(url.host(), u"127.0.0.1"_s);
        QCOMPARE(url.userName(), u"clinicflow"_s);
        QCOMPARE(url.path(), u"/postgres"_s);
        QVERIFY(url.port() > 0);
    }

    void aThrowawayDatabaseKeepsARow()
    {
        ThrowawayPostgresDatabase pg;
        QVERIFY2(pg.isValid(), qPrintable(pg.error()));
        QVERIFY(pg.name().startsWith(u"cf_"_s));
        QCOMPARE(QUrl(pg.url()).path(), u"/"_s + pg.name());
        Connection db(pg.url());
        QVERIFY2(db.isOpen(), qPrintable(db.error()));
        QCOMPARE(db.value(u"SELECT current_database()"_s).toString(), pg.name());
        QVERIFY(db.exec(u"CREATE TABLE visits (id BIGSERIAL PRIMARY KEY, ticket TEXT NOT NULL)"_s));
        QVERIFY(db.exec(u"INSERT INTO visits (ticket) VALUES ('A-017')"_s));
        QCOMPARE(db.value(u"SELECT ticket FROM visits WHERE id = 1"_s).toString(), u"A-017"_s);
        QCOMPARE(db.value(u"SELECT count(*) FROM visits"_s).toInt(), 1);
    }

    void commitsWaitForTheDisk()
    {
        ThrowawayPostgresDatabase pg;
        QVERIFY2(pg.isValid(), qPrintable(pg.error()));
        Connection db(pg.url());
        QVERIFY2(db.isOpen(), qPrintable(db.error()));
        QCOMPARE(db.value(u"SHOW synchronous_commit"_s).toString(), u"on"_s);
        QCOMPARE(db.value(u"SHOW fsync"_s).toString(), u"on"_s);
        QCOMPARE(db.value(u"SHOW listen_addresses"_s).toString(), u"127.0.0.1"_s);
        QCOMPARE(db.value(u"SHOW max_connections"_s).toInt(), 300);
        // DROP DATABASE … WITH (FORCE), which ThrowawayPostgresDatabase relies on, came in PostgreSQL 13.
        QVERIFY(db.value(u"SHOW server_version_num"_s).toInt() >= 130000);
    }

    void eachDatabaseIsItsOwn()
    {
        ThrowawayPostgresDatabase first;
        ThrowawayPostgresDatabase second;
        QVERIFY2(first.isValid() && second.isValid(), qPrintable(first.error() + second.error()));
        QVERIFY(first.name() != second.name());
        Connection a(first.url());
        QVERIFY2(a.isOpen(), qPrintable(a.error()));
        QVERIFY(a.exec(u"CREATE TABLE only_in_first (x INT)"_s));
        Connection b(second.url());
        QVERIFY2(b.isOpen(), qPrintable(b.error()));
        QCOMPARE(b.value(u"SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'"_s).toInt(), 0);
    }

    void theDatabaseIsGoneAfterwardsEvenWhileConnected()
    {
        const QString base = *testPostgresBaseUrl();
        QString name;
        {
            auto pg = std::make_unique<ThrowawayPostgresDatabase>();
            QVERIFY2(pg->isValid(), qPrintable(pg->error()));
            name = pg->name();
            auto exists = postgresDatabaseExists(base, name);
            QVERIFY2(exists.ok(), qPrintable(exists.ok() ? QString() : exists.error().message()));
            QVERIFY(exists.value());
            // A server under test that did not close its connections: the drop ends them.
            Connection leftOpen(pg->url());
            QVERIFY2(leftOpen.isOpen(), qPrintable(leftOpen.error()));
            pg.reset();
        }
        auto exists = postgresDatabaseExists(base, name);
        QVERIFY2(exists.ok(), qPrintable(exists.ok() ? QString() : exists.error().message()));
        QVERIFY2(!exists.value(), qPrintable(name + u" is still there"_s));
    }

    void noClusterIsAnErrorNotACrash()
    {
        ThrowawayPostgresDatabase pg{QString()};
        QVERIFY(!pg.isValid());
        QVERIFY(pg.url().isEmpty());
        QVERIFY(!pg.error().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPostgresCluster)
#include "TestPostgresCluster.moc"
