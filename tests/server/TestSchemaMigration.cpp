// The server's schema migrations on SQLite: a database left by any earlier version comes up to the current one, and
// what an older version stored keeps its meaning. Schema 5 gives an examination one end time per way of ending: a
// cancellation's time, kept as the performance's until then, moves to cancelled_at_ms, and a withdrawal's time,
// never kept before, comes from its event in the log.
#include "TempDatabase.h"
#include "Why.h"
#include "storage/Schema.h"

#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

namespace {

QVariantList row(Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    QVariantList values;
    if (!q.exec(sql) || !q.next())
        return values;
    for (int i = 0; i < q.record().count(); ++i)
        values.append(q.value(i));
    return values;
}

int storedVersion(Database &db)
{
    return row(db, u"SELECT MAX(version) FROM schema_version"_s).value(0).toInt();
}

} // namespace

class TestSchemaMigration : public QObject
{
    Q_OBJECT

private slots:
    void everyEarlierVersionComesUpToDate_data();
    void everyEarlierVersionComesUpToDate();
    void examinationEndTimesKeepTheirMeaning();
    void newerDatabaseIsRefused();
};

void TestSchemaMigration::everyEarlierVersionComesUpToDate_data()
{
    QTest::addColumn<int>("from");
    for (int v = 0; v < currentSchemaVersion(); ++v)
        QTest::addRow("from %d", v) << v;
}

void TestSchemaMigration::everyEarlierVersionComesUpToDate()
{
    QFETCH(int, from);
    TempDatabase data;
    QVERIFY2(data.open(from), qPrintable(data.error()));
    QCOMPARE(storedVersion(data.db()), from);
    auto migrated = migrate(data.db());
    QVERIFY2(migrated, why(migrated).constData());
    QCOMPARE(migrated.value(), currentSchemaVersion());
    QCOMPARE(storedVersion(data.db()), currentSchemaVersion());
    // Migrating again changes nothing.
    QCOMPARE(migrate(data.db()).value(), currentSchemaVersion());
}

void TestSchemaMigration::examinationEndTimesKeepTheirMeaning()
{
    TempDatabase data;
    QVERIFY2(data.open(4), qPrintable(data.error()));
    const QString insert = u"INSERT INTO examinations (id, diagnosis_id, reception_id, code, note, requested_at_ms, "
                           "performed_at_ms, examiner, result, cancel_reason, status, withdraw_reason) VALUES "_s;
    QVERIFY(data.exec(insert + u"('x-performed', 'd', 'r', 'BLOOD', '', 1000, 2000, 'L1', 'ok', '', "
                               "'performed', '')"_s));
    QVERIFY(data.exec(insert + u"('x-cancelled', 'd', 'r', 'BLOOD', '', 1000, 3000, 'L1', '', 'unwell', "
                               "'cancelled', '')"_s));
    QVERIFY(data.exec(insert + u"('x-withdrawn', 'd', 'r', 'BLOOD', '', 1000, 0, '', '', '', 'withdrawn', "
                               "'visit_cancelled')"_s));
    QVERIFY(data.exec(u"INSERT INTO event_log (event_id, type, context, aggregate_id, visit_id, causation_id, "
                      "station, at_ms, payload) VALUES ('e1', 'ExaminationWithdrawn', 'examination', 'x-withdrawn', "
                      "'r', 'c', 'A', 4000, '')"_s));

    auto migrated = migrate(data.db());
    QVERIFY2(migrated, why(migrated).constData());
    // performed, cancelled, withdrawn
    const auto times = [&](const QString &id) {
        QList<qint64> ms;
        for (const QVariant &v :
             row(data.db(), u"SELECT COALESCE(performed_at_ms, 0), COALESCE(cancelled_at_ms, 0), "
                            "COALESCE(withdrawn_at_ms, 0) FROM examinations WHERE id = '%1'"_s.arg(id)))
            ms.append(v.toLongLong());
        return ms;
    };
    QCOMPARE(times(u"x-performed"_s), (QList<qint64>{2000, 0, 0}));
    QCOMPARE(times(u"x-cancelled"_s), (QList<qint64>{0, 3000, 0}));
    QCOMPARE(times(u"x-withdrawn"_s), (QList<qint64>{0, 0, 4000}));
}

void TestSchemaMigration::newerDatabaseIsRefused()
{
    TempDatabase data;
    QVERIFY2(data.open(), qPrintable(data.error()));
    QVERIFY(data.exec(u"INSERT INTO schema_version (version) VALUES (%1)"_s.arg(currentSchemaVersion() + 1)));
    auto migrated = migrate(data.db());
    QVERIFY(!migrated);
    QVERIFY2(migrated.error().message().contains(u"upgrade the server"_s), why(migrated).constData());
}

QTEST_GUILESS_MAIN(TestSchemaMigration)
#include "TestSchemaMigration.moc"
