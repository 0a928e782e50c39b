// Backup and restore (issue #13), against the real binary: `clinicflow-server backup` taken while a desk keeps
// registering visits, and while a long reader keeps most commits in the write-ahead log only (so a copy of the file
// alone would miss them), is a whole SQLite file (integrity_check) holding the log of one instant: every command
// acknowledged before the backup started is in it at the sequence its station was told, and the log has no hole.
// `restore` puts it in a fresh data folder (with the keys backed up beside it) and in the original one after a crash:
// the server starts on it, the stations enrolled before the backup connect with their old keys, the log's prefix is
// the original's event for event, and the sagas the snapshot caught half-way finish exactly once. Restore refuses
// while a server runs on the folder or any process has the database open, and a file that is not whole or comes
// from a newer schema; backup refuses to overwrite without --force; both answer pg_dump / pg_restore for PostgreSQL.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "ViewReads.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <deque>
#include <mutex>
#include <sys/stat.h>
#include <thread>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

constexpr int kMaxRegistrations = 4000; // tickets stay below the desk's 9999 a day

struct Applied
{
    QUuid id;
    quint64 sequence = 0;
    qint64 answeredAtMs = 0;
};

// A desk registering visits continuously on a thread of its own (its TestStation lives there), 8 in flight.
class DeskLoad
{
public:
    void start(quint16 port, const security::ClientKeys &keys)
    {
        m_thread = std::thread([this, port, keys] {
            TestStation desk;
            desk.useKeys(keys, u"A"_s);
            desk.connect(port);
            if (!desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST)) {
                fail(u"hello: "_s + desk.lastError());
                return;
            }
            std::deque<QUuid> inFlight;
            int sent = 0;
            for (;;) {
                while (!m_stop && inFlight.size() < 8 && sent < kMaxRegistrations) {
                    inFlight.push_back(desk.submit(registerVisit(u"IM"_s)));
                    ++sent;
                }
                if (inFlight.empty())
                    break;
                const Outcome outcome = desk.waitOutcome(inFlight.front(), 10s);
                if (!outcome.applied || outcome.sequences.empty()) {
                    fail(u"registration %1: %2"_s.arg(inFlight.front().toString(), outcome.describe()));
                    return;
                }
                std::lock_guard lock(m_mutex);
                m_applied.push_back({inFlight.front(), outcome.sequences.front(), QDateTime::currentMSecsSinceEpoch()});
                inFlight.pop_front();
            }
        });
    }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    ~DeskLoad() { stop(); }

    std::vector<Applied> applied() const
    {
        std::lock_guard lock(m_mutex);
        return m_applied;
    }
    std::size_t count() const
    {
        std::lock_guard lock(m_mutex);
        return m_applied.size();
    }
    QString problem() const
    {
        std::lock_guard lock(m_mutex);
        return m_problem;
    }

private:
    void fail(const QString &why)
    {
        std::lock_guard lock(m_mutex);
        m_problem = why;
    }

    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::vector<Applied> m_applied;
    QString m_problem;
};

qint64 printed(const QString &output, const QString &what)
{
    const auto match = QRegularExpression(what + u" (\\d+)"_s).match(output);
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

// One value read from an SQLite file by this process (an independent look at what the commands wrote).
QVariant sqliteValue(const QString &path, const QString &sql, QString *error = nullptr)
{
    QVariant value;
    const QString name = u"probe-%1"_s.arg(path);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (!db.open()) {
            if (error)
                *error = db.lastError().text();
        } else if (QSqlQuery q(db); q.exec(sql) && q.next()) {
            value = q.value(0);
        } else if (error) {
            *error = q.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

// The file's permission bits (0600 expected), or -1.
int mode(const QString &path)
{
    struct stat info = {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? int(info.st_mode & 07777) : -1;
}

// A read transaction on the live database, held open: no checkpoint copies a commit after it into the database
// file, so every later commit lives in the write-ahead log only (as beside any long reader). A backup that copied
// the file alone would miss them.
class LogPin
{
public:
    explicit LogPin(const QString &path)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"pin"_s);
        db.setDatabaseName(path);
        m_pinned = db.open() && db.transaction();
        QSqlQuery read(db);
        m_pinned = m_pinned && read.exec(u"SELECT COUNT(*) FROM event_log"_s) && read.next();
    }
    ~LogPin() { release(); }
    bool pinned() const { return m_pinned; }
    void release()
    {
        if (!QSqlDatabase::contains(u"pin"_s))
            return;
        QSqlDatabase::database(u"pin"_s).rollback();
        QSqlDatabase::database(u"pin"_s).close();
        QSqlDatabase::removeDatabase(u"pin"_s);
    }

private:
    bool m_pinned = false;
};

bool settled(const EventLogRead &log)
{
    const int visits = countEvents(log.events, "ReceptionRegistered");
    return log.ok && countEvents(log.events, "DiagnosisRegistered") == visits &&
           countEvents(log.events, "TreatmentStarted") == visits;
}

// Polls the server's log through `station` until every registration's saga has finished.
EventLogRead settledLog(TestStation &station)
{
    EventLogRead log;
    pollUntil(
        [&] {
            log = station.fetchAllEvents();
            return settled(log);
        },
        15000, 100);
    return log;
}

QStringList setAside(const QString &dataDir)
{
    return QDir(dataDir).entryList({u"clinicflow.sqlite.before-restore-*"_s}, QDir::Files);
}

} // namespace

class TestBackupRestore : public QObject
{
    Q_OBJECT

private slots:
    void backupUnderLoadRestoresAConsistentLog();
    void restoreRefusesABadFile();
    void postgresqlIsBackedUpWithItsOwnTools();

private:
    // Checks `restored` (a settled log) against the original log and the backup's head.
    void checkRestored(const EventLogRead &restored, const EventLogRead &original, quint64 backupHead,
                       const std::vector<Applied> &applied, qint64 backupStartedMs);
};

void TestBackupRestore::checkRestored(const EventLogRead &restored, const EventLogRead &original, quint64 backupHead,
                                      const std::vector<Applied> &applied, qint64 backupStartedMs)
{
    QVERIFY2(settled(restored), "the sagas the backup caught half-way did not finish on the restored log");
    QVERIFY2(checkLogShape(restored.events, restored.head).isEmpty(),
             qPrintable(checkLogShape(restored.events, restored.head)));
    QVERIFY2(checkEventMetadata(restored.events).isEmpty(), qPrintable(checkEventMetadata(restored.events)));
    QVERIFY2(restored.head >= backupHead,
             qPrintable(u"head %1 < the backup's %2"_s.arg(restored.head).arg(backupHead)));
    // The prefix is the original log, event for event.
    for (quint64 s = 1; s <= backupHead; ++s) {
        const v1::Event &was = original.events[s - 1];
        const v1::Event &is = restored.events[s - 1];
        QVERIFY2(was.id() == is.id() && was.type() == is.type(),
                 qPrintable(u"sequence %1: %2 %3 before, %4 %5 restored"_s.arg(s).arg(
                     QString::fromStdString(was.type()), QString::fromStdString(was.id()),
                     QString::fromStdString(is.type()), QString::fromStdString(is.id()))));
    }
    // Every command acknowledged before the backup started is in it; every one in it is where its desk was told.
    int inBackup = 0;
    for (const Applied &a : applied) {
        if (a.answeredAtMs < backupStartedMs)
            QVERIFY2(
                a.sequence <= backupHead,
                qPrintable(
                    u"acknowledged before the backup at %1, beyond its head %2"_s.arg(a.sequence).arg(backupHead)));
        if (a.sequence <= backupHead) {
            ++inBackup;
            QCOMPARE(restored.events[a.sequence - 1].causation_id(), idText(a.id).toStdString());
        }
        QVERIFY(countCausedBy(restored.events, a.id) <= 1); // pending ones in the backup applied once, the rest never
    }
    QVERIFY(inBackup > 0);
    // Each visit's saga, once: a reaction the snapshot had not made yet was made by the restored server.
    for (const v1::Event &e : restored.events) {
        if (e.type() == "ReceptionRegistered") {
            QCOMPARE(countEvents(restored.events, "DiagnosisRegistered", idOf(e.visit_id())), 1);
            QCOMPARE(countEvents(restored.events, "TreatmentStarted", idOf(e.visit_id())), 1);
        }
    }
}

void TestBackupRestore::backupUnderLoadRestoresAConsistentLog()
{
    QElapsedTimer total;
    total.start();
    QTemporaryDir backups;
    QVERIFY(backups.isValid());
    const QString copy = backups.filePath(u"clinicflow-backup.sqlite"_s);
    const QString keys = backups.filePath(u"keys"_s);

    ServerProcess server;
    QVERIFY2(server.start({u"--station-rate"_s, u"5000"_s}), qPrintable(server.errorString()));
    const auto deskEnrolment = server.enrol(u"A"_s, domain::Role::Receptionist);
    QVERIFY(deskEnrolment);

    // The backup while the desk registers, after several hundred visits, most of them in the write-ahead log only.
    const QString live = QDir(server.dataDir()).filePath(u"clinicflow.sqlite"_s);
    DeskLoad load;
    load.start(server.port(), deskEnrolment->keys);
    QVERIFY2(pollUntil([&] { return load.count() >= 100 || !load.problem().isEmpty(); }, 15000),
             qPrintable(load.problem()));
    LogPin pin(live);
    QVERIFY(pin.pinned());
    QVERIFY2(pollUntil([&] { return load.count() >= 800 || !load.problem().isEmpty(); }, 15000),
             qPrintable(load.problem()));
    QVERIFY2(load.problem().isEmpty(), qPrintable(load.problem()));
    const qint64 walBytes = QFileInfo(live + u"-wal"_s).size();
    const qint64 fileBytes = QFileInfo(live).size();
    const qint64 backupStartedMs = QDateTime::currentMSecsSinceEpoch();
    const std::size_t appliedBefore = load.count();
    QString output;
    QElapsedTimer took;
    took.start();
    const int backupCode = server.runAdmin({u"backup"_s, u"--to"_s, copy, u"--with-keys"_s, keys}, &output);
    const qint64 backupMs = took.elapsed();
    pin.release();
    const std::size_t appliedDuring = load.count() - appliedBefore;
    QVERIFY2(pollUntil([&] { return load.count() >= appliedBefore + appliedDuring + 100; }, 10000),
             qPrintable(load.problem()));
    load.stop();
    QVERIFY2(load.problem().isEmpty(), qPrintable(load.problem()));
    qInfo().noquote() << "backup took" << backupMs << "ms (the command, start to end), while the desk had"
                      << appliedDuring << "registrations applied; the database file had" << fileBytes
                      << "bytes and its write-ahead log" << walBytes << "when it started:\n"
                      << output;
    QVERIFY2(backupCode == 0, qPrintable(output));
    // (How many were applied while the command ran is printed, not required: the command may take 40 ms, and the
    // pinned log makes the server's own checkpointer hold its writer off for a part of each 50 ms. The head's place
    // below, and the 100 registrations after it, show the server went on.)
    const std::vector<Applied> applied = load.applied();

    // What the command says it copied, and an independent look at the copy.
    const qint64 backupHead = printed(output, u"event log head"_s);
    const qint64 schema = printed(output, u"schema version"_s);
    QVERIFY2(backupHead > 0 && schema > 0, qPrintable(output));
    QVERIFY(output.contains(u"integrity_check ok"_s));
    QVERIFY(output.contains(u"keys: copied server.key, http.token"_s));
    QString error;
    QCOMPARE(sqliteValue(copy, u"PRAGMA integrity_check"_s, &error).toString(), u"ok"_s);
    QCOMPARE(sqliteValue(copy, u"SELECT MAX(version) FROM schema_version"_s).toLongLong(), schema);
    QCOMPARE(sqliteValue(copy, u"SELECT MAX(sequence) FROM event_log"_s).toLongLong(), backupHead);
    qInfo().noquote() << "the backup's log:"
                      << sqliteValue(copy, u"SELECT group_concat(type || ' ' || n, ', ') FROM (SELECT type, COUNT(*) "
                                           "AS n FROM event_log GROUP BY type)"_s)
                             .toString();
    for (const QString &file : {copy, keys + u"/server.key"_s, keys + u"/http.token"_s})
        QCOMPARE(mode(file), 0600);
    QVERIFY(QDir(backups.path()).entryList({u".*partial*"_s}, QDir::Files | QDir::Hidden).isEmpty());
    // Taken during the load: after what was acknowledged before it started, before what came after it.
    quint64 ackedBefore = 0;
    quint64 last = 0;
    for (const Applied &a : applied) {
        if (a.answeredAtMs < backupStartedMs)
            ackedBefore = std::max(ackedBefore, a.sequence);
        last = std::max(last, a.sequence);
    }
    QVERIFY2(
        quint64(backupHead) >= ackedBefore && quint64(backupHead) < last,
        qPrintable(u"backup head %1; acknowledged before it %2, last %3"_s.arg(backupHead).arg(ackedBefore).arg(last)));

    // A second backup to the same name is refused and leaves the first alone; --force replaces it.
    const QByteArray first = [&] {
        QFile f(copy);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QString again;
    QCOMPARE(server.runAdmin({u"backup"_s, u"--to"_s, copy}, &again), 1);
    QVERIFY2(again.contains(u"exists already"_s) && again.contains(u"--force"_s), qPrintable(again));
    QFile unchanged(copy);
    QVERIFY(unchanged.open(QIODevice::ReadOnly));
    QVERIFY(unchanged.readAll() == first);
    QCOMPARE(server.runAdmin({u"backup"_s, u"--to"_s, copy, u"--with-keys"_s, keys}, &again), 1);
    QVERIFY2(again.contains(u"exists already"_s), qPrintable(again));
    const QString forced = backups.filePath(u"forced.sqlite"_s);
    QVERIFY(QFile::copy(copy, forced));
    QCOMPARE(server.runAdmin({u"backup"_s, u"--to"_s, forced, u"--force"_s}, &again), 0);
    QVERIFY2(again.contains(u"keys: NOT copied"_s), qPrintable(again));

    // The original log, settled, for comparison.
    TestStation board;
    board.connect(server.port());
    QVERIFY2(board.hello(u"BRD"_s, v1::ROLE_BOARD), qPrintable(board.lastError()));
    const EventLogRead original = settledLog(board);
    QVERIFY2(settled(original), "the original log did not settle");
    QVERIFY(original.head > quint64(backupHead));

    // Restore refuses while the server runs on the folder, naming it, and changes nothing.
    QCOMPARE(server.runAdmin({u"restore"_s, u"--from"_s, copy}, &again), 1);
    QVERIFY2(again.contains(u"a server runs on the data folder"_s) && again.contains(u"process %1"_s.arg(server.pid())),
             qPrintable(again));
    QVERIFY(setAside(server.dataDir()).isEmpty());

    // Into a fresh folder, with the keys: the server starts, the desk connects with its old keys.
    {
        ServerProcess restoredServer;
        QCOMPARE(restoredServer.runAdmin({u"restore"_s, u"--from"_s, copy, u"--with-keys"_s, keys}, &again), 0);
        qInfo().noquote() << again;
        QVERIFY2(again.contains(u"there was no database there before"_s), qPrintable(again));
        QCOMPARE(printed(again, u"event log head"_s), backupHead);
        QVERIFY2(restoredServer.start(), qPrintable(restoredServer.errorString()));
        TestStation desk;
        desk.useKeys(deskEnrolment->keys, u"A"_s);
        desk.connect(restoredServer.port());
        QVERIFY2(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(desk.lastError()));
        TestStation probe;
        probe.connect(restoredServer.port());
        QVERIFY2(probe.hello(u"BRB"_s, v1::ROLE_BOARD), qPrintable(probe.lastError()));
        checkRestored(settledLog(probe), original, quint64(backupHead), applied, backupStartedMs);
        if (QTest::currentTestFailed())
            qWarning().noquote() << restoredServer.logTail(30);
        QVERIFY(restoredServer.terminate());
    }
    if (QTest::currentTestFailed())
        return;

    // Into the original folder after a crash (its write-ahead log still there).
    board.disconnect();
    QVERIFY(server.kill9());
    // A process with the database open (this one) stops the restore too.
    {
        const QString db = QDir(server.dataDir()).filePath(u"clinicflow.sqlite"_s);
        // Read-only, so that closing it does not checkpoint the crashed server's log away.
        QSqlDatabase open = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"holder"_s);
        open.setDatabaseName(db);
        open.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        QVERIFY(open.open());
        QSqlQuery read(open);
        QVERIFY(read.exec(u"SELECT COUNT(*) FROM event_log"_s) && read.next());
        QCOMPARE(server.runAdmin({u"restore"_s, u"--from"_s, copy}, &again), 1);
        QVERIFY2(again.contains(u"has the database"_s) &&
                     again.contains(u"process %1"_s.arg(QCoreApplication::applicationPid())),
                 qPrintable(again));
        read.finish();
    }
    QSqlDatabase::removeDatabase(u"holder"_s);
    QVERIFY(setAside(server.dataDir()).isEmpty());
    QCOMPARE(server.runAdmin({u"restore"_s, u"--from"_s, copy}, &again), 0);
    qInfo().noquote() << again;
    QVERIFY2(again.contains(u"server.key is kept"_s), qPrintable(again));
    const QStringList aside = setAside(server.dataDir());
    QVERIFY2(aside.size() >= 2, qPrintable(aside.join(u", "_s))); // the database and its write-ahead log
    QCOMPARE(mode(QDir(server.dataDir()).filePath(u"clinicflow.sqlite"_s)), 0600);
    // The database set aside, with its log, is itself a whole backup of where the server was: restoring it elsewhere
    // gives the original head.
    {
        ServerProcess elsewhere;
        const QString asideDb = QDir(server.dataDir()).filePath(aside.filter(QRegularExpression(u"Z$"_s)).value(0));
        QCOMPARE(elsewhere.runAdmin({u"restore"_s, u"--from"_s, asideDb}, &again), 0);
        QVERIFY2(printed(again, u"event log head"_s) == qint64(original.head),
                 qPrintable(u"%1\n(original head %2)"_s.arg(again).arg(original.head)));
    }
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    TestStation afterCrash;
    afterCrash.connect(server.port());
    QVERIFY2(afterCrash.hello(u"BR3"_s, v1::ROLE_BOARD), qPrintable(afterCrash.lastError()));
    const EventLogRead restored = settledLog(afterCrash);
    checkRestored(restored, original, quint64(backupHead), applied, backupStartedMs);
    // The view was ahead of the restored log: it is rebuilt from it.
    const int visits = countEvents(restored.events, "ReceptionRegistered");
    QVERIFY2(pollUntil(
                 [&] {
                     const auto rows = visitRows(server);
                     return rows && int(rows->size()) == visits;
                 },
                 15000, 200),
             qPrintable(server.logTail(20)));
    if (QTest::currentTestFailed())
        qWarning().noquote() << server.logTail(30);
    QVERIFY(server.terminate());
    qInfo() << "backupUnderLoadRestoresAConsistentLog:" << applied.size() << "registrations, backup head" << backupHead
            << "of" << original.head << "in" << total.elapsed() << "ms";
}

void TestBackupRestore::restoreRefusesABadFile()
{
    // A database made by an admin command (it migrates), backed up without a server running.
    ServerProcess folder;
    QString output;
    QCOMPARE(folder.runAdmin({u"stations"_s}, &output), 0);
    QTemporaryDir files;
    const QString good = files.filePath(u"good.sqlite"_s);
    QCOMPARE(folder.runAdmin({u"backup"_s, u"--to"_s, good}, &output), 0);
    QVERIFY2(output.contains(u"event log head 0"_s), qPrintable(output));

    ServerProcess target;
    // From a newer server.
    const QString newer = files.filePath(u"newer.sqlite"_s);
    QVERIFY(QFile::copy(good, newer));
    QFile::setPermissions(newer, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QString error;
    sqliteValue(newer, u"INSERT INTO schema_version (version) VALUES (999) RETURNING version"_s, &error);
    QCOMPARE(target.runAdmin({u"restore"_s, u"--from"_s, newer}, &output), 1);
    QVERIFY2(output.contains(u"schema version 999, newer than this server's"_s), qPrintable(output));
    // Not a database; a database torn in the middle.
    const QString garbage = files.filePath(u"garbage.sqlite"_s);
    QFile g(garbage);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write(QByteArray(64 * 1024, 'x'));
    g.close();
    QCOMPARE(target.runAdmin({u"restore"_s, u"--from"_s, garbage}, &output), 1);
    QVERIFY2(output.contains(u"not a database"_s), qPrintable(output));
    const QString torn = files.filePath(u"torn.sqlite"_s);
    QFile source(good);
    QVERIFY(source.open(QIODevice::ReadOnly));
    QByteArray bytes = source.readAll();
    QVERIFY(bytes.size() > 8192);
    for (qsizetype i = 4096; i < bytes.size(); i += 97)
        bytes[i] = char(bytes[i] ^ 0x5a); // every page but the first scribbled on
    QFile t(torn);
    QVERIFY(t.open(QIODevice::WriteOnly));
    t.write(bytes);
    t.close();
    QCOMPARE(target.runAdmin({u"restore"_s, u"--from"_s, torn}, &output), 1);
    QVERIFY2(output.contains(u"restore:"_s), qPrintable(output));
    qInfo().noquote() << "torn file:" << output.trimmed();
    QVERIFY(!QFileInfo::exists(QDir(target.dataDir()).filePath(u"clinicflow.sqlite"_s)));
    QVERIFY(QDir(target.dataDir()).entryList({u".*restoring*"_s}, QDir::Files | QDir::Hidden).isEmpty());
    QCOMPARE(target.runAdmin({u"restore"_s, u"--from"_s, files.filePath(u"missing.sqlite"_s)}, &output), 1);
    QCOMPARE(target.runAdmin({u"backup"_s}, &output), 1); // --to is required
    QVERIFY2(output.contains(u"--to"_s), qPrintable(output));
}

void TestBackupRestore::postgresqlIsBackedUpWithItsOwnTools()
{
    ServerProcess folder;
    QString output;
    const QString url = u"postgresql://clinicflow@db.example/clinicflow"_s;
    QCOMPARE(folder.runAdmin({u"backup"_s, u"--to"_s, u"x.sqlite"_s, u"--database"_s, url}, &output), 2);
    QVERIFY2(output.contains(u"pg_dump"_s) && output.contains(u"db.example/clinicflow"_s), qPrintable(output));
    // A password on the command line is refused before anything else, and never echoed.
    QCOMPARE(folder.runAdmin({u"backup"_s, u"--to"_s, u"x.sqlite"_s, u"--database"_s,
                              u"postgresql://clinicflow:secret@db.example/clinicflow"_s},
                             &output),
             2);
    QVERIFY2(output.contains(u"--database-password-file"_s) && !output.contains(u"secret"_s), qPrintable(output));
    QCOMPARE(folder.runAdmin({u"restore"_s, u"--from"_s, u"x.dump"_s, u"--database"_s, url}, &output), 2);
    QVERIFY2(output.contains(u"pg_restore"_s), qPrintable(output));
    QVERIFY(!QFileInfo::exists(u"x.sqlite"_s));
}

QTEST_GUILESS_MAIN(TestBackupRestore)
#include "TestBackupRestore.moc"
