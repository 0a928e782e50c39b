// The status view's store at start-up (view/ViewStoreRecovery.h), in process: a good store is kept; a store that is
// garbage, damaged, of an unknown schema or projected from another log (a main database deleted, replaced or restored
// from a backup beside the old view file) is moved aside with its bytes intact, replaced by an empty store at
// sequence 0, and said in one warning line; a process that does not run the view never moves anything.
#include "TempDatabase.h"
#include "domain/Ids.h"
#include "storage/Cursors.h"
#include "storage/EventLog.h"
#include "storage/Schema.h"
#include "view/ViewStoreRecovery.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

namespace {

const QString kLogId = u"6a0f3c1e-0000-4000-8000-000000000001"_s;

// A main database with `events` events in its log, and the path of its view's file.
struct Scene
{
    QTemporaryDir dir;
    DatabaseSettings settings;
    std::unique_ptr<Database> main;
    domain::Events events;

    bool open(int eventCount)
    {
        settings = DatabaseSettings::sqliteFile(dir.filePath(u"clinicflow.sqlite"_s), 5000);
        auto db = Database::open(settings, u"recovery-main"_s);
        if (!db || !migrate(*db.value()))
            return false;
        main = std::move(db).value();
        for (int i = 0; i < eventCount; ++i)
            events.push_back(eventOf(domain::VisitClosed{domain::newId()}));
        WriteTransaction tx(*main);
        EventLog log(*main);
        return log.append(events).ok() && tx.commit().ok();
    }
    QString viewPath() const { return settings.viewSettings().sqlitePath; }

    // A view store as the view worker leaves it: its cursor at `cursor`, its origin when `logId` is given.
    bool writeView(quint64 cursor, const QString &logId, const QString &lastEvent = {})
    {
        auto view = Database::open(settings.viewSettings(), u"recovery-setup"_s);
        if (!view || !migrateView(*view.value()))
            return false;
        Database &db = *view.value();
        WriteTransaction tx(db);
        Cursors cursors(db);
        if (!cursors.set(u"view"_s, cursor))
            return false;
        if (!logId.isEmpty()) {
            QSqlQuery q(db.connection());
            q.prepare(u"INSERT INTO view_origin (log_id, last_event_id) VALUES (?, ?)"_s);
            q.addBindValue(logId);
            q.addBindValue(lastEvent.isNull() ? u""_s : lastEvent);
            if (!q.exec())
                return false;
        }
        return tx.commit().ok();
    }

    domain::Result<std::unique_ptr<Database>> openView(bool mayRebuild = true)
    {
        return openViewStore(*main, {u"recovery-view"_s, kLogId, mayRebuild});
    }

    // The files set aside beside the view, by the kind in their name.
    QStringList setAside(const QString &kind) const
    {
        return QDir(dir.path()).entryList({u"clinicflow-view.sqlite.%1-*"_s.arg(kind)}, QDir::Files);
    }
};

quint64 cursorOf(Database &view)
{
    QSqlQuery q(view.connection());
    return q.exec(u"SELECT sequence FROM consumer_cursors WHERE consumer = 'view'"_s) && q.next()
               ? q.value(0).toULongLong()
               : 0;
}

QString originOf(Database &view)
{
    QSqlQuery q(view.connection());
    return q.exec(u"SELECT log_id FROM view_origin"_s) && q.next() ? q.value(0).toString() : QString();
}

void expectWarning(const char *why)
{
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"status view .*clinicflow-view\\.sqlite %1.*: moved aside to .*"
                                            "clinicflow-view\\.sqlite\\.[a-z]+-\\d{8}T\\d{6}Z, and a fresh view is "
                                            "rebuilt from the event log"_s.arg(QString::fromUtf8(why))));
}

} // namespace

class TestViewStoreRecovery : public QObject
{
    Q_OBJECT

private slots:
    void aFreshStoreIsMadeForThisLog();
    void aGoodStoreIsKept();
    void garbageIsSetAsideAndRebuilt();
    void damagedPagesAreSetAside();
    void aCursorBeyondTheLogIsSetAside();
    void anotherLogsViewIsSetAside();
    void anotherHistoryIsSetAside();
    void anUnknownSchemaIsSetAside();
    void onlyTheViewsProcessMovesIt();
};

void TestViewStoreRecovery::aFreshStoreIsMadeForThisLog()
{
    Scene s;
    QVERIFY(s.open(3));
    auto view = s.openView();
    QVERIFY2(view, qPrintable(view.ok() ? QString() : view.error().message()));
    QCOMPARE(cursorOf(*view.value()), 0u);
    QCOMPARE(originOf(*view.value()), kLogId);
    QVERIFY(s.setAside(u"*"_s).isEmpty());
}

void TestViewStoreRecovery::aGoodStoreIsKept()
{
    Scene s;
    QVERIFY(s.open(3));
    QVERIFY(s.writeView(2, kLogId, domain::idString(s.events[1].id)));
    auto view = s.openView();
    QVERIFY2(view, qPrintable(view.ok() ? QString() : view.error().message()));
    QCOMPARE(cursorOf(*view.value()), 2u);
    QVERIFY(s.setAside(u"*"_s).isEmpty());
    view = domain::Result<std::unique_ptr<Database>>(nullptr);
    // One from before view_origin existed, within the log: adopted, not rebuilt.
    QVERIFY(QFile::remove(s.viewPath()));
    QVERIFY(s.writeView(3, {}));
    view = s.openView();
    QVERIFY(view);
    QCOMPARE(cursorOf(*view.value()), 3u);
    QCOMPARE(originOf(*view.value()), kLogId);
    QVERIFY(s.setAside(u"*"_s).isEmpty());
}

void TestViewStoreRecovery::garbageIsSetAsideAndRebuilt()
{
    Scene s;
    QVERIFY(s.open(3));
    QByteArray garbage(64 * 1024, '\0');
    for (qsizetype i = 0; i < garbage.size(); ++i)
        garbage[i] = char((i * 7919) % 251);
    QFile file(s.viewPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(garbage);
    file.close();

    expectWarning("cannot be opened");
    auto view = s.openView();
    QVERIFY2(view, qPrintable(view.ok() ? QString() : view.error().message()));
    QCOMPARE(cursorOf(*view.value()), 0u); // the view worker starts from the first event
    QCOMPARE(originOf(*view.value()), kLogId);
    const QStringList aside = s.setAside(u"corrupt"_s);
    QVERIFY2(!aside.isEmpty() && aside.first().endsWith(u"Z"_s),
             qPrintable(QDir(s.dir.path()).entryList(QDir::Files).join(u", "_s)));
    QFile kept(QDir(s.dir.path()).filePath(aside.first()));
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), garbage);
}

void TestViewStoreRecovery::damagedPagesAreSetAside()
{
    Scene s;
    QVERIFY(s.open(3));
    {
        auto view = Database::open(s.settings.viewSettings(), u"recovery-setup"_s);
        QVERIFY(view && migrateView(*view.value()));
        for (int i = 0; i < 2000; ++i) // a few dozen pages of rows and index
            QVERIFY(execSql(view.value()->connection(),
                            u"INSERT INTO consumer_cursors (consumer, sequence) VALUES ('c%1', %1)"_s.arg(i)));
        QVERIFY(execSql(view.value()->connection(), u"PRAGMA wal_checkpoint(TRUNCATE)"_s));
    }
    QFile file(s.viewPath());
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.size() > 8 * 4096);
    for (qint64 page = 1; page * 4096 < file.size(); page += 2) { // the header page stays: SQLite opens the file
        file.seek(page * 4096);
        file.write(QByteArray(4096, char(0xA5)));
    }
    file.close();

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"status view .* moved aside to .*corrupt-"_s));
    auto view = s.openView();
    QVERIFY2(view, qPrintable(view.ok() ? QString() : view.error().message()));
    QCOMPARE(s.setAside(u"corrupt"_s).size(), 1);
    QCOMPARE(cursorOf(*view.value()), 0u);
}

// The defect of issue #12: the main database deleted (or an older backup restored) beside the view file; the view
// said "up to event 5" of a log that has 2, and never advanced again.
void TestViewStoreRecovery::aCursorBeyondTheLogIsSetAside()
{
    Scene s;
    QVERIFY(s.open(2));
    QVERIFY(s.writeView(5, {})); // a view from before view_origin: only its cursor tells
    expectWarning("has projected the event log up to sequence 5, but the log ends at 2");
    auto view = s.openView();
    QVERIFY2(view, qPrintable(view.ok() ? QString() : view.error().message()));
    QCOMPARE(cursorOf(*view.value()), 0u);
    QCOMPARE(s.setAside(u"mismatched"_s).size(), 1);
}

void TestViewStoreRecovery::anotherLogsViewIsSetAside()
{
    Scene s;
    QVERIFY(s.open(3));
    QVERIFY(s.writeView(1, u"another-server-id"_s));
    expectWarning("was projected from another event log");
    auto view = s.openView();
    QVERIFY(view);
    QCOMPARE(originOf(*view.value()), kLogId);
    QCOMPARE(s.setAside(u"mismatched"_s).size(), 1);
}

// The same database restored from a backup, then written again: the head is past the view's cursor, but the event
// at the cursor is not the one the view projected.
void TestViewStoreRecovery::anotherHistoryIsSetAside()
{
    Scene s;
    QVERIFY(s.open(3));
    QVERIFY(s.writeView(2, kLogId, domain::idString(domain::newId())));
    expectWarning("projected event .* at sequence 2, which the event log holds no more");
    auto view = s.openView();
    QVERIFY(view);
    QCOMPARE(cursorOf(*view.value()), 0u);
    QCOMPARE(s.setAside(u"mismatched"_s).size(), 1);
}

void TestViewStoreRecovery::anUnknownSchemaIsSetAside()
{
    Scene s;
    QVERIFY(s.open(1));
    QVERIFY(s.writeView(1, kLogId, domain::idString(s.events[0].id)));
    {
        auto view = Database::open(s.settings.viewSettings(), u"recovery-setup"_s);
        QVERIFY(view && execSql(view.value()->connection(), u"INSERT INTO view_schema_version VALUES (99)"_s));
    }
    expectWarning("has view schema version 99");
    auto view = s.openView();
    QVERIFY(view);
    QCOMPARE(s.setAside(u"mismatched"_s).size(), 1);
}

// A process of a split deployment that reads the view but does not run it must not move the file under the view's
// own process: an unusable store stays an error there, and the file stays where it is.
void TestViewStoreRecovery::onlyTheViewsProcessMovesIt()
{
    Scene s;
    QVERIFY(s.open(1));
    QFile file(s.viewPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    auto view = s.openView(false);
    QVERIFY(!view);
    QVERIFY(QFile::exists(s.viewPath()));
    QVERIFY(s.setAside(u"*"_s).isEmpty());
}

QTEST_GUILESS_MAIN(TestViewStoreRecovery)
#include "TestViewStoreRecovery.moc"
