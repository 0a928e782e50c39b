// A receptionist's workstation (the real store and sync engine, as the app assembles them) in a process of its own,
// for fault tests that cut its network or freeze it. The test's binary runs itself as the station: main() hands
// "--station-child" arguments to runStationChild(). The child prints one line per thing a test waits for:
//   state <Offline|Connecting|Syncing|Online>     its link changed (what the status bar shows)
//   pending <n>                                    its outbox changed: n unanswered
//   registered <command id> <visit id>             a registration's local commit returned
//   status <pending> <last sequence> <live> <fetched>   answer to "status": the outbox, the replica's position,
//                                                  and how many new events came live on PUB and by fetching
// and reads commands on stdin: "register <n>", "status", "quit".
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <optional>

namespace clinicflow::testsupport {

class ServerProcess;
class TestStation;

// The child's side: a QCoreApplication of its own; returns the exit code.
int runStationChild(int argc, char *argv[]);

class StationProcess : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StationProcess)
public:
    StationProcess();
    ~StationProcess() override; // kills the child if it still runs

    struct Line
    {
        qint64 at = 0; // elapsed() when the test read it
        QString text;
    };
    struct Status
    {
        int pending = 0;
        quint64 lastSequence = 0;
        quint64 live = 0;
        quint64 fetched = 0;
    };

    // Runs this binary as the station `launcher` + [binary, --station-child, ...] (launcher: e.g. "ip netns exec
    // <name>", or nothing), connecting to tcp://host:port and :pubPort with the keys of the enrolment file.
    bool start(const QStringList &launcher, const QString &storePath, const QString &enrolmentPath, const QString &host,
               quint16 port, quint16 pubPort);
    void send(const QString &command);
    // The index of the first line from `from` on that starts with `prefix`, waiting up to timeoutMs; -1 if none.
    qsizetype waitForLine(const QString &prefix, qsizetype from, int timeoutMs);
    std::optional<Status> askStatus();
    // Asks until the outbox and the position are as given; false at the deadline.
    bool waitForStatus(int pending, quint64 lastSequence, int timeoutMs);
    // "<command id> <visit id>" of every registration from line `from` on.
    QStringList registered(qsizetype from = 0) const;
    // "quit", and the child exits 0 within the timeout.
    bool quit(int timeoutMs = 10000);
    // quit(), then the rows the station stored against the server's status view: empty when they are the same,
    // else what differs (or why they could not be compared).
    QString quitAndCompareWithServer(const ServerProcess &server, TestStation &probe);
    bool freeze(); // SIGSTOP: the whole process, its ZeroMQ threads too, as a workstation that hangs
    bool thaw();   // SIGCONT
    // SIGKILL, frozen or not, as a workstation that dies: nothing closed or flushed. The whole lines it printed
    // before are kept (a line cut short is not).
    bool kill(int timeoutMs = 10000);

    const QList<Line> &lines() const { return m_lines; }
    qint64 elapsed() const { return m_clock.elapsed(); } // the clock of Line::at
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

private:
    void readLines();

    QElapsedTimer m_clock;
    QProcess m_process;
    QString m_storePath;
    QString m_enrolmentPath;
    QList<Line> m_lines;
    QByteArray m_partial;
};

} // namespace clinicflow::testsupport
