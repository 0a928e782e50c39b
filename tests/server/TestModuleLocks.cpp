// ModuleLocks: one process per module and data folder. A second holder of a module is refused with a message naming
// the module, the folder and the holder; disjoint modules share a folder; a lock ends with its holder. On PostgreSQL
// the database holds the locks too, so processes on other hosts (other folders) are refused as well
// (TestModuleLocks.postgresql).
#include "TempDatabase.h"
#include "Why.h"
#include "storage/ModuleLocks.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

class TestModuleLocks : public QObject
{
    Q_OBJECT

private slots:
    void secondHolderOfAModuleIsRefused();
    void disjointModulesShareTheFolder();
    void lockEndsWithItsHolder();
    void aModuleRunsOncePerDatabase();
};

void TestModuleLocks::secondHolderOfAModuleIsRefused()
{
    QTemporaryDir dir;
    auto first = ModuleLocks::acquire(dir.path(), {u"gateway"_s, u"reception"_s, u"view"_s});
    QVERIFY2(first, why(first).constData());
    auto second = ModuleLocks::acquire(dir.path(), {u"diagnosis"_s, u"gateway"_s});
    QVERIFY(!second);
    const QString message = second.error().message();
    QVERIFY2(message.contains(u"gateway"_s) && message.contains(dir.path()), qPrintable(message));
    QVERIFY2(message.contains(QString::number(QCoreApplication::applicationPid())), qPrintable(message));
    // All or none: the refused attempt left diagnosis free.
    auto diagnosis = ModuleLocks::acquire(dir.path(), {u"diagnosis"_s});
    QVERIFY2(diagnosis, why(diagnosis).constData());
}

void TestModuleLocks::disjointModulesShareTheFolder()
{
    QTemporaryDir dir;
    auto a = ModuleLocks::acquire(dir.path(), {u"gateway"_s, u"reception"_s, u"view"_s});
    auto b = ModuleLocks::acquire(dir.path(), {u"diagnosis"_s});
    auto c = ModuleLocks::acquire(dir.path(), {u"examination"_s});
    QVERIFY(a && b && c);
}

void TestModuleLocks::lockEndsWithItsHolder()
{
    QTemporaryDir dir;
    {
        auto held = ModuleLocks::acquire(dir.path(), {u"view"_s});
        QVERIFY(held);
    }
    auto again = ModuleLocks::acquire(dir.path(), {u"view"_s});
    QVERIFY2(again, why(again).constData());
}

// The same database from a second process: on SQLite that is the same folder, on PostgreSQL any host's folder.
void TestModuleLocks::aModuleRunsOncePerDatabase()
{
    TempDatabase data;
    QVERIFY2(data.open(), qPrintable(data.error()));
    QTemporaryDir otherHost;
    const QString first = data.folder();
    const QString second = data.isPostgres() ? otherHost.path() : data.folder();
    auto a = ModuleLocks::acquire(first, {u"reception"_s, u"view"_s}, &data.settings());
    QVERIFY2(a, why(a).constData());
    auto b = ModuleLocks::acquire(second, {u"diagnosis"_s, u"reception"_s}, &data.settings());
    QVERIFY(!b);
    QVERIFY2(b.error().message().contains(u"reception"_s), qPrintable(b.error().message()));
    // All or none, and the locks end with their holder: diagnosis was left free, reception is free once a is gone.
    auto c = ModuleLocks::acquire(second, {u"diagnosis"_s}, &data.settings());
    QVERIFY2(c, why(c).constData());
    a = ModuleLocks::acquire(first, {}, nullptr); // drops the first holder's locks
    auto d = ModuleLocks::acquire(second, {u"reception"_s, u"view"_s}, &data.settings());
    QVERIFY2(d, why(d).constData());
}

QTEST_GUILESS_MAIN(TestModuleLocks)
#include "TestModuleLocks.moc"
