// A station's own actions are on disk when the call returns (ARCHITECTURE §7, §10): the outbox commit syncs the
// write-ahead log (synchronous=FULL), so a power cut right after the screen said "done" cannot lose it, even right
// after the store committed what the server can send again (events, answers) without a sync. A kill -9 cannot show
// this (the page cache survives it); the syncs themselves can, counted by a VFS around SQLite's.
#include "SyncVfs.h"
#include "support/StoreHarness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using clinicflow::testsupport::SyncVfs;

class TestStoreDurability : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void registrationIsSyncedBeforeItReturns();
    void everyActionIsSyncedBeforeItReturns();
    void settingsAreSyncedBeforeTheyReturn();

private:
    static int walSyncs() { return SyncVfs::syncsOf("station.sqlite-wal"); }
};

void TestStoreDurability::initTestCase()
{
    SyncVfs::install(); // before any store opens a connection
}

void TestStoreDurability::registrationIsSyncedBeforeItReturns()
{
    StoreFixture f;
    FakeServer server;
    for (int i = 0; i < 3; ++i) {
        // The server's answers and events first: committed without a sync, as they can be fetched again.
        registerElsewhere(server, u"B"_s, i + 1, startTime());
        server.sync(f.store());
        const int before = walSyncs();
        auto registered = f->registerVisit(registration(u"Patient %1"_s.arg(i)));
        QVERIFY(registered.ok());
        QVERIFY2(walSyncs() > before, "a registration returned before its commit reached the disk");
    }
}

void TestStoreDurability::everyActionIsSyncedBeforeItReturns()
{
    StoreFixture f;
    FakeServer server;
    auto registered = f->registerVisit(registration(u"Patient"_s));
    QVERIFY(registered.ok());
    server.sync(f.store()); // applied, with the saga's events: replayable commits
    QVERIFY(f->pendingCount() == 0);
    const int before = walSyncs();
    auto cancelled = f->submit(domain::CancelVisit{registered->visitId, u"left"_s});
    QVERIFY(cancelled.ok());
    QVERIFY2(walSyncs() > before, "a cancellation returned before its commit reached the disk");
}

void TestStoreDurability::settingsAreSyncedBeforeTheyReturn()
{
    StoreFixture f;
    FakeServer server;
    registerElsewhere(server, u"B"_s, 1, startTime());
    server.sync(f.store());
    const int before = walSyncs();
    QVERIFY(f->setServerEndpoint(u"tcp://clinic-server:7470"_s).ok());
    QVERIFY2(walSyncs() > before, "the server address returned before it reached the disk");
}

QTEST_GUILESS_MAIN(TestStoreDurability)
#include "TestStoreDurability.moc"
