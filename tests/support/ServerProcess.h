// The real clinicflow-server as a child process for integration tests: free loopback ports, a temporary data folder
// that survives restarts, readiness through GET /health/ready, SIGTERM or SIGKILL, the JSON log lines it wrote, and
// blocking HTTP reads. The server's stdout goes to a file, never a pipe: a pipe nobody drains while a test blocks on
// a socket would stall the server's logging. In a PostgreSQL run (CLINICFLOW_TEST_POSTGRES_DIR set), the server and
// its admin commands also get --database, a throwaway database of this process's own (TestPostgres.h); the data
// folder still holds the keys.
#pragma once

#include "domain/Types.h"
#include "security/Enrolment.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
QT_END_NAMESPACE

namespace clinicflow::testsupport {

class ThrowawayPostgresDatabase;

struct HttpResult
{
    int status = 0; // 0: no answer (connection refused, timeout)
    QByteArray body;
    QJsonDocument json;
    QString error;
    QJsonObject object() const { return json.object(); }
};

struct LogLine
{
    QString level; // "debug", "info", "warning", "error"
    QString module;
    QString message;
    QJsonObject json;     // the whole line
    QString text() const; // the line as written, for contains()-style checks and failure messages
};

// `count` different loopback ports free now, below the kernel's ephemeral range: a port in that range can be taken
// meanwhile as the source port of some other test's connection (a server started on it then fails to bind). Empty,
// with `error` set, when none are found.
QList<quint16> freeLoopbackPorts(int count, QString *error = nullptr);

class ServerProcess
{
    Q_DISABLE_COPY_MOVE(ServerProcess)
public:
    ServerProcess();
    ~ServerProcess(); // SIGTERM, then SIGKILL if it does not stop

    static QString binaryPath();
    qint64 processId() const; // 0 when not running

    // Starts the binary with the ports, data folder and log level, plus extraArgs (e.g. {"--only", "gateway,view"}),
    // and waits until /health/ready answers 200. False with errorString() (including the server's output) otherwise.
    bool start(const QStringList &extraArgs = {}, int readyTimeoutMs = 15000);
    // The same data folder and ports, with these arguments (the previous ones when none are given).
    bool restart(const QStringList &extraArgs, int readyTimeoutMs = 15000);
    bool restart() { return restart(m_args); }
    // SIGTERM; true when the server exits by itself with code 0 within the timeout.
    bool terminate(int timeoutMs = 20000) { return sendSigterm() && waitForCleanExit(timeoutMs); }
    // The two halves, for tests that keep talking to a draining server.
    bool sendSigterm();
    bool waitForCleanExit(int timeoutMs = 20000);
    // SIGKILL: no draining, no chance to finish anything.
    bool kill9();
    // SIGSTOP and SIGCONT: the server holds its sockets but answers nothing, as a hung host would.
    bool pause();
    bool resume();
    bool isRunning() const;
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    // Whether the process has ended, waiting up to waitMs for it. Unlike isRunning(), it sees a death that Qt's event
    // loop has not handled yet (a test blocked on a socket runs no event loop).
    bool hasExited(int waitMs = 0);
    // Waits for the process to end by itself; its exit code, or -1 when it is still running or crashed.
    int waitForExitCode(int timeoutMs = 20000);
    QString errorString() const { return m_error; }

    quint16 port() const { return m_port; }
    quint16 pubPort() const { return m_pubPort; }
    quint16 httpPort() const { return m_httpPort; }
    QString dataDir() const { return m_sharedData.isEmpty() ? m_data.path() : m_sharedData; }
    // Before start(): use another server's data folder (the split deployment, or a second server on one folder), and
    // in a PostgreSQL run its database too.
    void shareDataWith(const ServerProcess &other);
    // In a PostgreSQL run, the URL the server gets in --database (made at the first call, or at start()); empty on
    // SQLite, or when the database could not be made (errorString() says why).
    QString databaseUrl() const;
    // Before start(): run on this PostgreSQL database (a benchmark's), with its enrolments, instead of SQLite or a
    // throwaway one. Servers that shareDataWith() this one use it too.
    void setDatabaseUrl(const QString &url) { m_fixedDatabaseUrl = url; }
    // Before start(): variables added to the server's environment (e.g. LD_PRELOAD for a test library).
    void setExtraEnvironment(const QProcessEnvironment &env) { m_extraEnv = env; }
    // Before start(): the server's stdout goes to this path (a FIFO the test reads, or stops reading) instead of the
    // log file; logLines() then sees only what the server wrote to the log file before.
    void setStandardOutputPath(const QString &path) { m_stdoutPath = path; }

    // Runs `clinicflow-server enrol` on this server's data folder (once per station code; later calls give the same
    // enrolment) and reads the file it wrote. While the server runs, TestStations on its port enrol through it.
    // A doctor's room acts for `doctor`, by default the roster's first doctor.
    std::optional<security::Enrolment> enrol(const QString &station, domain::Role role,
                                             const QString &doctor = {}) const;
    // Enrols an earlier enrolment's key again (`enrol --public-key`): a database replaced behind the same keys.
    bool enrolAgain(const security::Enrolment &enrolment) const;
    // Where enrol() wrote the station's enrolment file (for a station in a process of its own).
    QString enrolmentPath(const QString &station) const;
    // Runs `clinicflow-server <arguments> --data <data folder>`: its exit code and everything it printed.
    int runAdmin(const QStringList &arguments, QString *output = nullptr) const;

    // GET http://127.0.0.1:<http port><path> with the operators' token (<data>/keys/http.token), or with the given
    // Authorization header (empty: none); JSON bodies are parsed into json.
    HttpResult httpGet(const QString &path, int timeoutMs = 5000);
    HttpResult httpGetAs(const QString &path, const QByteArray &authorization, int timeoutMs = 5000);
    QByteArray httpToken() const;

    // Every JSON line the server wrote to stdout, over all runs; non-JSON lines come with level "raw".
    QList<LogLine> logLines() const;
    int countLog(const std::function<bool(const LogLine &)> &match) const;
    // Polls the log until a line matches (lines before `fromLine` are ignored); false at the deadline.
    bool waitForLog(const std::function<bool(const LogLine &)> &match, int timeoutMs = 5000, int fromLine = 0) const;
    // The last lines of stdout and stderr, for failure messages.
    QString logTail(int lines = 40) const;
    // How many bytes the server has written to its stdout log file so far, over all runs.
    qint64 logBytes() const;

private:
    bool pickPorts();
    bool launch(int readyTimeoutMs);
    bool fail(const QString &what);

    QTemporaryDir m_data;
    QString m_sharedData;
    // Shared with the servers that share this one's data folder; dropped after the last of them has stopped.
    mutable std::shared_ptr<ThrowawayPostgresDatabase> m_postgres;
    QString m_fixedDatabaseUrl;
    QProcessEnvironment m_extraEnv;
    QString m_stdoutPath;
    QTemporaryDir m_logs;
    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<QNetworkAccessManager> m_http;
    QStringList m_args;
    mutable QString m_error;
    quint16 m_port = 0;
    quint16 m_pubPort = 0;
    quint16 m_httpPort = 0;
    mutable QHash<QString, security::Enrolment> m_enrolments; // by station code
};

// Polls `condition` (processing Qt events between tries) until it is true or the deadline passes.
bool pollUntil(const std::function<bool()> &condition, int timeoutMs = 15000, int intervalMs = 50);

} // namespace clinicflow::testsupport
