// A workstation in a process of its own (see StationProcess.h).
#include "StationProcess.h"

#include "ServerProcess.h"
#include "TestCommands.h"
#include "WorkstationHarness.h"
#include "security/Enrolment.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"
#include "sync/SyncEngine.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;
using clinicflow::client::ConnectionState;

namespace clinicflow::testsupport {

namespace {

QString stateName(ConnectionState state)
{
    static const char *const names[] = {"Offline", "Connecting", "Syncing", "Online"}; // in the enum's order
    return QString::fromLatin1(names[int(state)]);
}

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

void obey(client::Workstation &station, const QStringList &words)
{
    if (words.value(0) == u"register"_s) {
        for (int i = 0; i < words.value(1).toInt(); ++i) {
            auto visit = station.store().registerVisit(registerVisit());
            say(visit ? u"registered %1 %2"_s.arg(visit->commandId.toString(QUuid::WithoutBraces),
                                                  visit->visitId.toString(QUuid::WithoutBraces))
                      : u"refused "_s + visit.error().message());
        }
    } else if (words.value(0) == u"status"_s) {
        const auto feed = station.engine().feedCounts();
        say(u"status %1 %2 %3 %4"_s.arg(station.store().pendingCount())
                .arg(station.store().lastSequence())
                .arg(feed.live)
                .arg(feed.fetched));
    } else if (words.value(0) == u"quit"_s) {
        QCoreApplication::quit();
    }
}

} // namespace

int runStationChild(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments(); // program --station-child store enrolment host port pub-port
    if (args.size() != 7)
        return 2;
    auto enrolment = security::Enrolment::load(args[3]);
    if (!enrolment) {
        std::fprintf(stderr, "station: %s\n", qPrintable(enrolment.error().message()));
        return 2;
    }
    client::WorkstationSettings settings;
    settings.storePath = args[2];
    settings.station = enrolment->station;
    settings.role = domain::Role::Receptionist;
    settings.requestEndpoint = u"tcp://%1:%2"_s.arg(args[4], args[5]);
    settings.publishEndpoint = u"tcp://%1:%2"_s.arg(args[4], args[6]);
    settings.keys = enrolment->keys;
    auto opened = client::Workstation::open(settings);
    if (!opened) {
        std::fprintf(stderr, "station: %s\n", qPrintable(opened.error().message()));
        return 2;
    }
    client::Workstation &station = **opened;
    QObject::connect(&station, &client::Station::stateChanged,
                     [](ConnectionState state) { say(u"state "_s + stateName(state)); });
    QObject::connect(&station.store(), &client::LocalStore::pendingCountChanged,
                     [](int count) { say(u"pending %1"_s.arg(count)); });

    QByteArray input;
    QSocketNotifier commands(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&commands, &QSocketNotifier::activated, [&] {
        char buffer[256];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) { // the test is gone
            QCoreApplication::exit(3);
            return;
        }
        input.append(buffer, n);
        for (qsizetype end = input.indexOf('\n'); end >= 0; end = input.indexOf('\n')) {
            obey(station, QString::fromUtf8(input.left(end)).split(u' ', Qt::SkipEmptyParts));
            input.remove(0, end + 1);
        }
    });
    station.start();
    return app.exec();
}

StationProcess::StationProcess()
{
    m_clock.start();
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &StationProcess::readLines);
}

void StationProcess::readLines()
{
    m_partial += m_process.readAllStandardOutput();
    for (qsizetype end = m_partial.indexOf('\n'); end >= 0; end = m_partial.indexOf('\n')) {
        m_lines.append({m_clock.elapsed(), QString::fromUtf8(m_partial.left(end))});
        m_partial.remove(0, end + 1);
    }
}

StationProcess::~StationProcess()
{
    if (isRunning()) {
        thaw();
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool StationProcess::start(const QStringList &launcher, const QString &storePath, const QString &enrolmentPath,
                           const QString &host, quint16 port, quint16 pubPort)
{
    m_storePath = storePath;
    m_enrolmentPath = enrolmentPath;
    QStringList command = launcher;
    command << QCoreApplication::applicationFilePath() << u"--station-child"_s << storePath << enrolmentPath << host
            << QString::number(port) << QString::number(pubPort);
    m_process.start(command.takeFirst(), command);
    return m_process.waitForStarted();
}

void StationProcess::send(const QString &command)
{
    m_process.write((command + u'\n').toUtf8());
}

qsizetype StationProcess::waitForLine(const QString &prefix, qsizetype from, int timeoutMs)
{
    qsizetype found = -1;
    pollUntil(
        [&] {
            for (qsizetype i = std::max<qsizetype>(from, 0); i < m_lines.size() && found < 0; ++i) {
                if (m_lines[i].text.startsWith(prefix))
                    found = i;
            }
            return found >= 0 || !isRunning();
        },
        timeoutMs, 20);
    return found;
}

std::optional<StationProcess::Status> StationProcess::askStatus()
{
    const qsizetype from = m_lines.size();
    send(u"status"_s);
    const qsizetype answer = waitForLine(u"status "_s, from, 2000);
    if (answer < 0)
        return std::nullopt;
    const QStringList words = m_lines[answer].text.split(u' ');
    return Status{words.value(1).toInt(), words.value(2).toULongLong(), words.value(3).toULongLong(),
                  words.value(4).toULongLong()};
}

bool StationProcess::waitForStatus(int pending, quint64 lastSequence, int timeoutMs)
{
    return pollUntil(
        [&] {
            const auto status = askStatus();
            return status && status->pending == pending && status->lastSequence == lastSequence;
        },
        timeoutMs, 250);
}

QStringList StationProcess::registered(qsizetype from) const
{
    QStringList ids;
    for (qsizetype i = from; i < m_lines.size(); ++i) {
        if (m_lines[i].text.startsWith(u"registered "_s))
            ids.append(m_lines[i].text.mid(11));
    }
    return ids;
}

bool StationProcess::quit(int timeoutMs)
{
    send(u"quit"_s);
    return m_process.waitForFinished(timeoutMs) && m_process.exitStatus() == QProcess::NormalExit &&
           m_process.exitCode() == 0;
}

QString StationProcess::quitAndCompareWithServer(const ServerProcess &server, TestStation &probe)
{
    if (!quit())
        return u"the station did not quit cleanly"_s;
    auto enrolment = security::Enrolment::load(m_enrolmentPath);
    if (!enrolment)
        return enrolment.error().message();
    auto stored = openWorkstation(server, m_storePath, enrolment->station, domain::Role::Receptionist);
    return stored ? compareWithServerView(probe, *stored) : u"the station's store cannot be opened"_s;
}

bool StationProcess::freeze()
{
    return isRunning() && ::kill(pid_t(m_process.processId()), SIGSTOP) == 0;
}

bool StationProcess::thaw()
{
    return isRunning() && ::kill(pid_t(m_process.processId()), SIGCONT) == 0;
}

bool StationProcess::kill(int timeoutMs)
{
    if (!isRunning())
        return false;
    m_process.kill();
    const bool dead = m_process.waitForFinished(timeoutMs);
    readLines();
    m_partial.clear();
    return dead;
}

} // namespace clinicflow::testsupport
