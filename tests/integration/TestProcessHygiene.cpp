// How the server process behaves as a Unix daemon (issue #12, "Logging never hurts the server" and "Start-up"),
// against the real binary: a data folder made before, open to others, is tightened to 0700 at start; SIGHUP never
// kills it; and a stdout nobody reads any more (`clinicflow-server | head -n 1`) costs it nothing but the lines.
#include "ServerProcess.h"

#include <QFile>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace clinicflow::testsupport;

class TestProcessHygiene : public QObject
{
    Q_OBJECT

private slots:
    void anOpenDataFolderIsTightened();
    void sighupDoesNotStopIt();
    void aClosedStdoutDoesNotStopIt();
};

namespace {

// The status line of GET /health/live, by hand: this server's stdout is not ours to read.
int liveStatus(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(2000))
        return 0;
    socket.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    while (socket.waitForReadyRead(2000))
        answer += socket.readAll();
    return answer.startsWith("HTTP/1.1 ") ? answer.mid(9, 3).toInt() : 0;
}

} // namespace

void TestProcessHygiene::anOpenDataFolderIsTightened()
{
    ServerProcess server;
    const QFile::Permissions open = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                                    QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther; // 0755
    QVERIFY(QFile::setPermissions(server.dataDir(), open));
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QFile::Permissions others =
        QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    QCOMPARE(QFile::permissions(server.dataDir()) & others, QFile::Permissions());
    QVERIFY(server.waitForLog([](const LogLine &l) { return l.message.contains(u"was open to other accounts"_s); }));
}

void TestProcessHygiene::sighupDoesNotStopIt()
{
    ServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QVERIFY(server.pid() > 0);
    QCOMPARE(::kill(pid_t(server.pid()), SIGHUP), 0);
    QVERIFY(server.waitForLog([](const LogLine &l) { return l.message.contains(u"SIGHUP received"_s); }));
    QVERIFY(server.isRunning());
    QCOMPARE(server.httpGet(u"/health/live"_s).status, 200);
    QVERIFY2(server.terminate(), qPrintable(server.errorString())); // and SIGTERM still drains it
}

void TestProcessHygiene::aClosedStdoutDoesNotStopIt()
{
    QTemporaryDir data;
    QString noPorts;
    const QList<quint16> ports = freeLoopbackPorts(3, &noPorts);
    QVERIFY2(ports.size() == 3, qPrintable(noPorts));
    const quint16 port = ports.at(0);
    const quint16 pubPort = ports.at(1);
    const quint16 http = ports.at(2);
    // The operator's pipe: `head` reads the first line and goes, and every later log line meets a closed pipe.
    const QString pidFile = data.filePath(u"server.pid"_s);
    QProcess pipeline;
    const QString command = u"(echo $BASHPID > \"$2\"; exec \"$0\" --bind 127.0.0.1 --port %1 --pub-port %2 "
                            "--http-port %3 --data \"$1/data\") | head -n 1 >/dev/null"_s.arg(port)
                                .arg(pubPort)
                                .arg(http);
    pipeline.start(u"bash"_s, {u"-c"_s, command, ServerProcess::binaryPath(), data.path(), pidFile});
    QVERIFY(pipeline.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(liveStatus(http), 200, 15000);
    QFile pidText(pidFile);
    QVERIFY(pidText.open(QIODevice::ReadOnly));
    const qint64 serverPid = pidText.readAll().trimmed().toLongLong();
    QVERIFY(serverPid > 0);
    // Log lines after head left: a SIGHUP says something, and the server must live through writing it.
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(::kill(pid_t(serverPid), SIGHUP), 0);
        QTest::qWait(200);
    }
    QCOMPARE(liveStatus(http), 200);
    QCOMPARE(::kill(pid_t(serverPid), 0), 0); // still there
    QCOMPARE(::kill(pid_t(serverPid), SIGTERM), 0);
    QVERIFY(pipeline.waitForFinished(20000));
}

QTEST_GUILESS_MAIN(TestProcessHygiene)
#include "TestProcessHygiene.moc"
