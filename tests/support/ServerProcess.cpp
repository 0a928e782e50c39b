#include "ServerProcess.h"

#include "TestPostgres.h"
#include "TestStation.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>
#include <QTimer>
#include <csignal>
#include <memory>
#include <sys/prctl.h>
#include <vector>

using namespace Qt::StringLiterals;

#ifndef CLINICFLOW_SERVER_BINARY
#error "CLINICFLOW_SERVER_BINARY must name the clinicflow-server executable (see tests/integration/CMakeLists.txt)"
#endif

namespace clinicflow::testsupport {

namespace {

QString stdoutFile(const QTemporaryDir &logs)
{
    return logs.filePath(u"server.stdout.log"_s);
}

QString stderrFile(const QTemporaryDir &logs)
{
    return logs.filePath(u"server.stderr.log"_s);
}

QList<QByteArray> fileLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // a line still being written has no '\n' yet and is kept; the empty tail is not
    return lines;
}

} // namespace

QString LogLine::text() const
{
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

bool pollUntil(const std::function<bool()> &condition, int timeoutMs, int intervalMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (condition())
            return true;
        if (deadline.hasExpired())
            return false;
        QTest::qWait(intervalMs);
    }
}

ServerProcess::ServerProcess() = default;

void ServerProcess::shareDataWith(const ServerProcess &other)
{
    m_sharedData = other.dataDir();
    m_fixedDatabaseUrl = other.m_fixedDatabaseUrl;
    if (m_fixedDatabaseUrl.isEmpty() && testPostgresRequested()) {
        other.databaseUrl(); // made now if the other has not started yet
        m_postgres = other.m_postgres;
    }
}

QString ServerProcess::databaseUrl() const
{
    if (!m_fixedDatabaseUrl.isEmpty())
        return m_fixedDatabaseUrl;
    if (!testPostgresRequested())
        return {};
    if (!m_postgres)
        m_postgres = std::make_shared<ThrowawayPostgresDatabase>();
    if (!m_postgres->isValid())
        m_error = u"no PostgreSQL database for the server: %1"_s.arg(m_postgres->error());
    return m_postgres->url();
}

namespace {

// --database <the throwaway database> in a PostgreSQL run, unless the arguments name one already.
QStringList databaseArguments(const ServerProcess &server, const QStringList &arguments)
{
    if (arguments.contains(u"--database"_s))
        return {};
    const QString url = server.databaseUrl();
    return url.isEmpty() ? QStringList() : QStringList{u"--database"_s, url};
}

} // namespace

ServerProcess::~ServerProcess()
{
    if (isRunning())
        ::kill(pid_t(m_process->processId()), SIGCONT); // a paused server cannot act on SIGTERM
    if (isRunning() && !terminate(10000))
        kill9();
    if (m_port != 0)
        TestStation::setEnroller(m_port, {});
}

int ServerProcess::runAdmin(const QStringList &arguments, QString *output) const
{
    QProcess admin;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(u"CLINICFLOW_"_s))
            env.remove(key);
    }
    admin.setProcessEnvironment(env);
    admin.setProcessChannelMode(QProcess::MergedChannels);
    admin.start(binaryPath(), arguments + QStringList{u"--data"_s, dataDir()} + databaseArguments(*this, arguments));
    if (!admin.waitForFinished(30000)) {
        admin.kill();
        admin.waitForFinished();
    }
    if (output)
        *output = QString::fromUtf8(admin.readAll());
    return admin.exitStatus() == QProcess::NormalExit ? admin.exitCode() : -1;
}

bool ServerProcess::enrolAgain(const security::Enrolment &enrolment) const
{
    QStringList args{u"enrol"_s,
                     u"--station"_s,
                     enrolment.station,
                     u"--role"_s,
                     domain::toString(enrolment.role),
                     u"--public-key"_s,
                     QString::fromLatin1(enrolment.keys.station.publicKey)};
    if (!enrolment.doctor.isEmpty())
        args << u"--doctor"_s << enrolment.doctor;
    QString output;
    if (runAdmin(args, &output) != 0) {
        qWarning().noquote() << "enrol again" << enrolment.station << "failed:" << output;
        return false;
    }
    m_enrolments.insert(enrolment.station, enrolment);
    return true;
}

QString ServerProcess::enrolmentPath(const QString &station) const
{
    return QDir(m_logs.path()).filePath(station + u".enrolment.json"_s);
}

std::optional<security::Enrolment> ServerProcess::enrol(const QString &station, domain::Role role,
                                                        const QString &doctor) const
{
    if (auto known = m_enrolments.constFind(station); known != m_enrolments.cend())
        return *known;
    const QString file = enrolmentPath(station);
    QStringList args{u"enrol"_s,
                     u"--station"_s,
                     station,
                     u"--role"_s,
                     domain::toString(role),
                     u"--address"_s,
                     u"127.0.0.1"_s,
                     u"--port"_s,
                     QString::number(m_port),
                     u"--pub-port"_s,
                     QString::number(m_pubPort),
                     u"--out"_s,
                     file};
    if (role == domain::Role::Doctor)
        args << u"--doctor"_s << (doctor.isEmpty() ? u"dr.kim"_s : doctor);
    args += m_args.contains(u"--roster"_s) ? m_args.mid(m_args.indexOf(u"--roster"_s), 2) : QStringList();
    QString output;
    if (runAdmin(args, &output) != 0) {
        qWarning().noquote() << "enrol" << station << "failed:" << output;
        return std::nullopt;
    }
    auto enrolment = security::Enrolment::load(file);
    if (!enrolment) {
        qWarning().noquote() << enrolment.error().message();
        return std::nullopt;
    }
    m_enrolments.insert(station, enrolment.value());
    return enrolment.value();
}

QString ServerProcess::binaryPath()
{
    // CLINICFLOW_TEST_SERVER_BINARY runs another build instead, e.g. to compare two versions with the benchmark.
    const QString other = qEnvironmentVariable("CLINICFLOW_TEST_SERVER_BINARY");
    return other.isEmpty() ? QString::fromUtf8(CLINICFLOW_SERVER_BINARY) : other;
}

bool ServerProcess::fail(const QString &what)
{
    m_error = what + u"\n--- server output (tail) ---\n"_s + logTail();
    return false;
}

namespace {
// The lowest port the kernel hands out as a connection's own (its ephemeral range).
int ephemeralLow()
{
    QFile range(u"/proc/sys/net/ipv4/ip_local_port_range"_s);
    const int low = range.open(QIODevice::ReadOnly) ? range.readLine().split('\t').value(0).trimmed().toInt() : 0;
    return low > 10100 ? low : 32768;
}
} // namespace

QList<quint16> freeLoopbackPorts(int count, QString *error)
{
    // Below the ephemeral range, where pg-cluster.sh picks too: a server killed and started again on the same ports
    // (ServerProcess::restart()) would otherwise find one of them taken meanwhile as the source port of some other
    // test's connection ("HTTP port already in use"). Held all at once so they differ, then released for the server.
    const int low = 10000;
    const int high = ephemeralLow() - 1;
    std::vector<std::unique_ptr<QTcpServer>> servers;
    QString why;
    for (int tries = 0; int(servers.size()) < count && tries < 500; ++tries) {
        const auto port = quint16(low + int(QRandomGenerator::global()->bounded(high - low + 1)));
        auto server = std::make_unique<QTcpServer>();
        if (server->listen(QHostAddress::LocalHost, port))
            servers.push_back(std::move(server));
        else
            why = server->errorString();
    }
    if (int(servers.size()) < count) {
        if (error)
            *error = u"cannot find a free loopback port between %1 and %2: %3"_s.arg(low).arg(high).arg(why);
        return {};
    }
    QList<quint16> ports;
    for (const auto &server : servers)
        ports.append(server->serverPort());
    return ports;
}

bool ServerProcess::pickPorts()
{
    const QList<quint16> ports = freeLoopbackPorts(3, &m_error);
    if (ports.isEmpty())
        return false;
    m_port = ports.at(0);
    m_pubPort = ports.at(1);
    m_httpPort = ports.at(2);
    return true;
}

qint64 ServerProcess::logBytes() const
{
    return QFileInfo(stdoutFile(m_logs)).size();
}

qint64 ServerProcess::processId() const
{
    return m_process ? m_process->processId() : 0;
}

bool ServerProcess::start(const QStringList &extraArgs, int readyTimeoutMs)
{
    if (!m_data.isValid() || !m_logs.isValid()) {
        m_error = u"cannot create a temporary folder"_s;
        return false;
    }
    m_args = extraArgs;
    // Another process may take a released port before the server binds it: pick again a few times.
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (!pickPorts())
            return false;
        if (launch(readyTimeoutMs))
            return true;
        static const QRegularExpression portTaken(u"cannot (bind|listen)|already in use"_s,
                                                  QRegularExpression::CaseInsensitiveOption);
        if (!portTaken.match(logTail(10)).hasMatch())
            return false;
    }
    return false;
}

bool ServerProcess::restart(const QStringList &extraArgs, int readyTimeoutMs)
{
    if (m_port == 0)
        return start(extraArgs, readyTimeoutMs);
    if (isRunning()) {
        m_error = u"restart() while the server still runs: terminate() or kill9() it first"_s;
        return false;
    }
    m_args = extraArgs;
    return launch(readyTimeoutMs);
}

bool ServerProcess::launch(int readyTimeoutMs)
{
    m_process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(u"CLINICFLOW_"_s)) // flags only: the environment of the test run must not leak in
            env.remove(key);
    }
    for (const QString &key : m_extraEnv.keys())
        env.insert(key, m_extraEnv.value(key));
    m_process->setProcessEnvironment(env);
    // A test that crashes or is killed by its watchdog must not leave a server behind holding ports and files.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->setStandardOutputFile(m_stdoutPath.isEmpty() ? stdoutFile(m_logs) : m_stdoutPath, QIODevice::Append);
    m_process->setStandardErrorFile(stderrFile(m_logs), QIODevice::Append);
    QStringList args{u"--bind"_s,      u"127.0.0.1"_s,
                     u"--http-bind"_s, u"127.0.0.1"_s,
                     u"--port"_s,      QString::number(m_port),
                     u"--pub-port"_s,  QString::number(m_pubPort),
                     u"--http-port"_s, QString::number(m_httpPort),
                     u"--data"_s,      dataDir(),
                     u"--log-level"_s, u"info"_s};
    args += m_args;
    const QStringList database = databaseArguments(*this, m_args);
    if (testPostgresRequested() && !m_args.contains(u"--database"_s) && database.isEmpty())
        return false; // databaseUrl() has said why in errorString()
    args += database;
    m_process->start(binaryPath(), args);
    TestStation::setEnroller(m_port,
                             [this](const QString &station, domain::Role role) { return enrol(station, role); });
    if (!m_process->waitForStarted(10000))
        return fail(u"cannot start %1: %2"_s.arg(binaryPath(), m_process->errorString()));

    QDeadlineTimer deadline(readyTimeoutMs);
    for (;;) {
        if (m_process->state() == QProcess::NotRunning) {
            return fail(u"the server exited during start-up (code %1, %2)"_s.arg(m_process->exitCode())
                            .arg(m_process->exitStatus() == QProcess::NormalExit ? u"normal exit"_s : u"crashed"_s));
        }
        const HttpResult ready = httpGet(u"/health/ready"_s, 1000);
        if (ready.status == 200)
            return true;
        if (deadline.hasExpired()) {
            m_process->kill();
            m_process->waitForFinished(5000);
            return fail(u"/health/ready did not answer 200 within %1 ms (last: %2 %3)"_s.arg(readyTimeoutMs)
                            .arg(ready.status)
                            .arg(QString::fromUtf8(ready.body.left(300))));
        }
        QTest::qWait(100);
    }
}

bool ServerProcess::pause()
{
    if (!isRunning())
        return fail(u"SIGSTOP: the server is not running"_s);
    return ::kill(pid_t(m_process->processId()), SIGSTOP) == 0 || fail(u"SIGSTOP failed"_s);
}

bool ServerProcess::resume()
{
    if (!isRunning())
        return fail(u"SIGCONT: the server is not running"_s);
    return ::kill(pid_t(m_process->processId()), SIGCONT) == 0 || fail(u"SIGCONT failed"_s);
}

bool ServerProcess::hasExited(int waitMs)
{
    if (!m_process)
        return true;
    if (m_process->state() != QProcess::NotRunning)
        m_process->waitForFinished(waitMs);
    return m_process->state() == QProcess::NotRunning;
}

int ServerProcess::waitForExitCode(int timeoutMs)
{
    if (!m_process)
        return -1;
    if (m_process->state() != QProcess::NotRunning && !m_process->waitForFinished(timeoutMs))
        return -1;
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

bool ServerProcess::sendSigterm()
{
    if (!isRunning())
        return fail(u"SIGTERM: the server is not running"_s);
    m_process->terminate(); // SIGTERM
    return true;
}

bool ServerProcess::waitForCleanExit(int timeoutMs)
{
    if (!m_process)
        return fail(u"the server was never started"_s);
    if (m_process->state() != QProcess::NotRunning && !m_process->waitForFinished(timeoutMs)) {
        m_process->kill();
        m_process->waitForFinished(5000);
        return fail(u"the server did not stop within %1 ms of SIGTERM (killed)"_s.arg(timeoutMs));
    }
    if (m_process->exitStatus() != QProcess::NormalExit || m_process->exitCode() != 0)
        return fail(u"after SIGTERM the server exited with code %1 (%2)"_s.arg(m_process->exitCode())
                        .arg(m_process->exitStatus() == QProcess::NormalExit ? u"normal exit"_s : u"crashed"_s));
    return true;
}

bool ServerProcess::kill9()
{
    if (!isRunning())
        return fail(u"kill9(): the server is not running"_s);
    m_process->kill(); // SIGKILL on Unix
    if (!m_process->waitForFinished(10000))
        return fail(u"the server did not die after SIGKILL"_s);
    return true;
}

bool ServerProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QByteArray ServerProcess::httpToken() const
{
    QFile file(QDir(dataDir()).filePath(u"keys/http.token"_s));
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

HttpResult ServerProcess::httpGet(const QString &path, int timeoutMs)
{
    return httpGetAs(path, "Bearer " + httpToken(), timeoutMs);
}

HttpResult ServerProcess::httpGetAs(const QString &path, const QByteArray &authorization, int timeoutMs)
{
    if (!m_http) {
        m_http = std::make_unique<QNetworkAccessManager>();
        m_http->setProxy(QNetworkProxy::NoProxy); // a proxy from the environment must not see loopback requests
    }
    HttpResult result;
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_httpPort).arg(path)));
    request.setTransferTimeout(timeoutMs);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    std::unique_ptr<QNetworkReply> reply(m_http->get(request));
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    if (!reply->isFinished())
        loop.exec();
    if (!reply->isFinished()) {
        reply->abort();
        result.error = u"timeout after %1 ms"_s.arg(timeoutMs);
        return result;
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    if (result.status == 0)
        result.error = reply->errorString();
    QJsonParseError parseError;
    result.json = QJsonDocument::fromJson(result.body, &parseError);
    return result;
}

QList<LogLine> ServerProcess::logLines() const
{
    QList<LogLine> lines;
    for (const QByteArray &raw : fileLines(stdoutFile(m_logs))) {
        LogLine line;
        const QJsonDocument doc = QJsonDocument::fromJson(raw);
        if (doc.isObject()) {
            line.json = doc.object();
            line.level = line.json.value(u"level"_s).toString();
            line.module = line.json.value(u"module"_s).toString();
            line.message = line.json.value(u"message"_s).toString();
        } else {
            line.level = u"raw"_s;
            line.message = QString::fromUtf8(raw);
            line.json = QJsonObject{{u"raw"_s, line.message}};
        }
        lines << line;
    }
    return lines;
}

int ServerProcess::countLog(const std::function<bool(const LogLine &)> &match) const
{
    int n = 0;
    for (const LogLine &line : logLines())
        n += match(line) ? 1 : 0;
    return n;
}

bool ServerProcess::waitForLog(const std::function<bool(const LogLine &)> &match, int timeoutMs, int fromLine) const
{
    return pollUntil(
        [&] {
            const QList<LogLine> lines = logLines();
            for (qsizetype i = fromLine; i < lines.size(); ++i) {
                if (match(lines[i]))
                    return true;
            }
            return false;
        },
        timeoutMs, 50);
}

QString ServerProcess::logTail(int lines) const
{
    QString text;
    for (const QString &path : {stdoutFile(m_logs), stderrFile(m_logs)}) {
        const QList<QByteArray> all = fileLines(path);
        for (qsizetype i = std::max<qsizetype>(0, all.size() - lines); i < all.size(); ++i)
            text += QString::fromUtf8(all[i]) + u'\n';
    }
    return text;
}

} // namespace clinicflow::testsupport
