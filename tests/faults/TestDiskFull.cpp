// The server's disk fills under load (its logs or someone's copies took the space) and is freed again: a desk keeps 50
// registrations in flight and, like a workstation's outbox, keeps every command until it has an outcome
// (ResendingDesk). Once 150 are applied, a file takes all the free space left on the server's data folder (a tmpfs of
// the test's own: root). The server must stay up, answering the stations that it cannot store their commands for
// now (SERVER_UNAVAILABLE) or that it stored them (Queued: what fits in its log's room), their outboxes keeping them
// either way; stop being ready within 30 s (SQLite writes into the room its
// write-ahead log already has until it must grow) and stay not ready while the disk is full; say so in a few lines,
// not one per try; and once the file is gone, be ready again within 10 s, say so, and apply everything that waited,
// with nobody restarting it. Then every command is Applied exactly once, the log is 1..head without holes, each
// visit's saga ran once, and the status view has caught up: nothing lost, nothing half-done.
#include "ResendingDesk.h"
#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

constexpr int kCommands = 1500;
constexpr int kFillAfterApplied = 150;
constexpr int kNotReadyWithinMs = 30000;
constexpr int kFullForMs = 12000; // not ready this long, with the desk still sending
constexpr int kReadyAgainWithinMs = 10000;
constexpr qsizetype kMostWarnings = 40;

// A tmpfs of its own over `path`, unmounted when it goes (lazily, should the server still hold files on it).
class OwnDisk
{
public:
    QString mount(const QString &path, const QString &size)
    {
        QProcess p;
        p.start(u"mount"_s, {u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=%1,mode=0700"_s.arg(size), u"tmpfs"_s, path});
        p.waitForFinished(10000);
        if (p.exitCode() != 0 || p.exitStatus() != QProcess::NormalExit)
            return u"mount -t tmpfs %1: %2 (this test mounts a small disk for the server's data: run it as root)"_s.arg(
                path, QString::fromLocal8Bit(p.readAllStandardError()).trimmed());
        m_path = path;
        return {};
    }
    ~OwnDisk()
    {
        if (!m_path.isEmpty())
            QProcess::execute(u"umount"_s, {u"-l"_s, m_path});
    }

private:
    QString m_path;
};

// Writes `path` until the disk has no room left: the bytes written, or -1 with errno's text in `error`.
qint64 fillDisk(const QString &path, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(strerror(errno));
        return -1;
    }
    const QByteArray chunk(1 << 20, 'x');
    qint64 written = 0;
    for (;;) {
        const ssize_t n = ::write(fd, chunk.constData(), std::size_t(chunk.size()));
        if (n <= 0)
            break;
        written += n;
    }
    const bool full = errno == ENOSPC;
    *error = full ? QString() : QString::fromLocal8Bit(strerror(errno));
    ::close(fd);
    return full ? written : -1;
}

// The status view's lag, from /metrics (clinicflow_worker_lag_events{worker="view"}), or -1.
qint64 viewLag(ServerProcess &server)
{
    const HttpResult metrics = server.httpGet(u"/metrics"_s, 2000);
    static const QRegularExpression line(uR"(clinicflow_worker_lag_events\{worker="view"\} (\d+))"_s);
    const auto match = line.match(QString::fromUtf8(metrics.body));
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

} // namespace

class TestDiskFull : public QObject
{
    Q_OBJECT

private slots:
    void aFullDiskRefusesWritesUntilFreedAndLosesNothing();
};

void TestDiskFull::aFullDiskRefusesWritesUntilFreedAndLosesNothing()
{
    ServerProcess server;
    OwnDisk disk;
    const QString mounted = disk.mount(server.dataDir(), u"64m"_s);
    QVERIFY2(mounted.isEmpty(), qPrintable(mounted));
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const qint64 pid = server.pid();
    const auto enrolment = server.enrol(u"A"_s, domain::Role::Receptionist);
    QVERIFY2(enrolment, "cannot enrol the desk");
    const auto serverLog = [&] { return u"\nserver log:\n"_s + server.logTail(30); };
    const auto mentions = [](const QString &text) {
        return [text](const LogLine &l) { return l.message.contains(text); };
    };

    ResendingDesk desk(kCommands);
    QElapsedTimer clock;
    clock.start();
    desk.start(server.port(), enrolment->keys);
    QVERIFY2(pollUntil([&] { return desk.applied >= kFillAfterApplied; }, 30000, 5),
             qPrintable(u"only %1 applied before the disk filled"_s.arg(int(desk.applied)) + serverLog()));

    // The disk fills.
    const int appliedAtFill = desk.applied;
    const qsizetype logBefore = server.logLines().size();
    const QString filler = server.dataDir() + u"/someone-elses-copy.bin"_s;
    QString error;
    const qint64 filled = fillDisk(filler, &error);
    QVERIFY2(filled >= 0, qPrintable(u"filling the disk: "_s + error));
    QElapsedTimer full;
    full.start();
    QVERIFY2(
        pollUntil([&] { return readiness(server, 500) == u"503"_s; }, kNotReadyWithinMs, 100),
        qPrintable(u"/health/ready still answers %1 %2 s after the disk filled (%3 applied)"_s.arg(readiness(server))
                       .arg(full.elapsed() / 1000.0)
                       .arg(int(desk.applied)) +
                   serverLog()));
    const double secondsToNotReady = full.elapsed() / 1000.0;
    // Not ready while it lasts, with the desk still sending: a probe that took a write it could not keep would say
    // ready (SQLite takes a rolled-back write with its disk full).
    QElapsedTimer held;
    held.start();
    const int appliedWhenNotReady = desk.applied;
    while (held.elapsed() < kFullForMs) {
        const QString answer = readiness(server, 500);
        QVERIFY2(answer == u"503"_s,
                 qPrintable(u"/health/ready answered %1 with the disk full"_s.arg(answer) + serverLog()));
        QTest::qWait(100);
    }
    QVERIFY2(!server.hasExited(), qPrintable(u"the server exited with its disk full"_s + serverLog()));
    QVERIFY2(desk.resolved < kCommands, "the desk drained with the disk full: the test filled nothing");
    const int appliedWhileFull = desk.applied - appliedWhenNotReady;

    // An operator reads why, once, and then a line a minute, not one for every try of every module.
    const QList<LogLine> fullLog = server.logLines().mid(logBefore);
    const qsizetype warnings = warningCount(fullLog);
    qInfo("%lld log lines while the disk was full, %lld of them warnings or errors:\n%s", qlonglong(fullLog.size()),
          qlonglong(warnings), qPrintable(warningKinds(fullLog)));
    QVERIFY2(warnings <= kMostWarnings,
             qPrintable(u"\nthe warnings and errors while the disk was full, by kind:\n"_s + warningKinds(fullLog)));
    QVERIFY2(server.waitForLog(mentions(u"database or disk is full"_s), 1000, int(logBefore)),
             qPrintable(u"no line says the disk is full"_s + serverLog()));

    // Space is freed: ready again, said, and the desk's outbox empties by itself.
    QVERIFY(QFile::remove(filler));
    QElapsedTimer freed;
    freed.start();
    QVERIFY2(pollUntil([&] { return readiness(server) == u"200"_s; }, kReadyAgainWithinMs, 100),
             qPrintable(u"not ready %1 s after the space was freed"_s.arg(freed.elapsed() / 1000.0) + serverLog()));
    const double secondsToReady = freed.elapsed() / 1000.0;
    QVERIFY2(server.waitForLog(mentions(u"the database takes writes again"_s), 5000, int(logBefore)),
             qPrintable(serverLog()));
    const bool drained = pollUntil([&] { return desk.resolved >= kCommands; }, 90000, 50);
    desk.abort = !drained;
    desk.join();
    QVERIFY2(desk.problems.isEmpty(), qPrintable(desk.problems.mid(0, 20).join(u'\n') + serverLog()));
    QCOMPARE(server.pid(), pid);
    const QString outcomes = checkDeskOutcomes(desk, server.port());
    QVERIFY2(outcomes.isEmpty(), qPrintable(outcomes + serverLog()));
    // The board's view caught up too (its store, on the same disk, failed with it).
    QVERIFY2(pollUntil([&] { return viewLag(server) == 0; }, 15000, 200),
             qPrintable(u"the status view is still %1 events behind"_s.arg(viewLag(server)) + serverLog()));

    qInfo("%d registrations applied once each (%d before the disk filled, %d while it was full and not ready), "
          "%d resends, %d Submits refused for a while; %.1f MiB filled the disk, not ready %.1f s later, ready "
          "%.1f s after it was freed, same process; %.1f s in all",
          kCommands, appliedAtFill, appliedWhileFull, desk.resends, int(desk.refusals), filled / 1048576.0,
          secondsToNotReady, secondsToReady, clock.elapsed() / 1000.0);
    QVERIFY2(server.terminate(), qPrintable(server.errorString()));
}

QTEST_GUILESS_MAIN(TestDiskFull)
#include "TestDiskFull.moc"
