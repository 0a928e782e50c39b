// A network partition between a workstation and the server, then healed (issue #14, fault test 7). The desk's
// workstation (the real store and sync engine, in a process of its own) sits in a network namespace of its own,
// joined to the server's by a veth pair (StationNetwork). The partition drops every packet both ways, silently:
// no reset, no closed connection, only silence. The station must show Offline within 3 s, go on registering
// patients into its outbox, and after the network heals go back online and deliver everything by itself: no
// restart, no button. In the end the server applied each of the station's commands exactly once (with its saga
// reaction once), the station's replica holds what another desk registered meanwhile, and the station's stored
// rows equal the server's status view.
#include "ServerProcess.h"
#include "StationNetwork.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "WorkstationHarness.h"
#include "security/Enrolment.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>
#include <optional>
#include <unistd.h>
#include <utility>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;
using client::ConnectionState;

namespace {

constexpr qint64 kOfflineDeadlineMs = 3000; // the bound: offline shown within 3 s
constexpr int kPartitionMs = 10000;         // past libzmq's heartbeat timeout and the engine's rebuild of its socket
constexpr int kResumeDeadlineMs = 20000;

QString stateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Offline:
        return u"Offline"_s;
    case ConnectionState::Connecting:
        return u"Connecting"_s;
    case ConnectionState::Syncing:
        return u"Syncing"_s;
    case ConnectionState::Online:
        return u"Online"_s;
    }
    return u"?"_s;
}

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// The child: a receptionist's workstation, run inside the station's namespace. It prints "state <name>" on every
// change of its link, "pending <n>" whenever its outbox changes, and "registered <command id> <visit id>" once a
// registration's local commit returned. Commands on stdin: "register <n>", "status" (answers "status <pending>
// <last sequence>"), "quit".
int runStation(int argc, char *argv[])
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
            const QStringList words = QString::fromUtf8(input.left(end)).split(u' ', Qt::SkipEmptyParts);
            input.remove(0, end + 1);
            if (words.value(0) == u"register"_s) {
                for (int i = 0; i < words.value(1).toInt(); ++i) {
                    auto visit = station.store().registerVisit(registerVisit());
                    say(visit ? u"registered %1 %2"_s.arg(visit->commandId.toString(QUuid::WithoutBraces),
                                                          visit->visitId.toString(QUuid::WithoutBraces))
                              : u"refused "_s + visit.error().message());
                }
            } else if (words.value(0) == u"status"_s) {
                say(u"status %1 %2"_s.arg(station.store().pendingCount()).arg(station.store().lastSequence()));
            } else if (words.value(0) == u"quit"_s) {
                QCoreApplication::quit();
            }
        }
    });
    station.start();
    return app.exec();
}

struct Line
{
    qint64 at = 0; // ms on the test's clock
    QString text;
};

} // namespace

class TestNetworkPartition : public QObject
{
    Q_OBJECT

public:
    explicit TestNetworkPartition(QString isolation)
        : m_isolation(std::move(isolation))
    {
    }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void partitionedStationGoesOfflineAndResumesByItself();

private:
    void send(const QString &command) { m_station.write((command + u'\n').toUtf8()); }
    // The index of the first line from `from` on that starts with `prefix`, waiting up to timeoutMs; -1 if none.
    qsizetype waitForLine(const QString &prefix, qsizetype from, int timeoutMs);
    // The station's unanswered outbox entries and last applied sequence; nullopt when it does not answer.
    std::optional<std::pair<int, quint64>> askStatus();
    // Asks until both are as given; false at the deadline.
    bool waitForStatus(int pending, quint64 lastSequence, int timeoutMs);
    QStringList registered(qsizetype from) const; // "<command id> <visit id>" of each registration since `from`

    const QString m_isolation;
    QElapsedTimer m_clock;
    ServerProcess m_server;
    StationNetwork m_network;
    QTemporaryDir m_stationData;
    QProcess m_station;
    QList<Line> m_lines;
    QByteArray m_partial;
    TestStation m_desk; // another desk, on the server's side of the partition
};

void TestNetworkPartition::initTestCase()
{
    QVERIFY2(m_isolation.isEmpty(), qPrintable(m_isolation));
    m_clock.start();
    QVERIFY2(m_network.create(), qPrintable(m_network.errorString()));
    // Stations reach the gateway through the pair; the test's own desk and probes on loopback.
    QVERIFY2(m_server.start({u"--bind"_s, u"0.0.0.0"_s}), qPrintable(m_server.errorString()));
    m_desk.connect(m_server.port());
    QVERIFY2(m_desk.hello(u"B"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
    QVERIFY(m_server.enrol(u"A"_s, domain::Role::Receptionist));

    connect(&m_station, &QProcess::readyReadStandardOutput, this, [this] {
        m_partial += m_station.readAllStandardOutput();
        for (qsizetype end = m_partial.indexOf('\n'); end >= 0; end = m_partial.indexOf('\n')) {
            m_lines.append({m_clock.elapsed(), QString::fromUtf8(m_partial.left(end))});
            m_partial.remove(0, end + 1);
        }
    });
    m_station.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_station.start(u"ip"_s,
                    m_network.inStation(QCoreApplication::applicationFilePath(),
                                        {u"--station-child"_s, m_stationData.filePath(u"station.sqlite"_s),
                                         m_server.enrolmentPath(u"A"_s), m_network.serverAddress(),
                                         QString::number(m_server.port()), QString::number(m_server.pubPort())}));
    QVERIFY2(m_station.waitForStarted(), qPrintable(m_station.errorString()));
    QVERIFY2(waitForLine(u"state Online"_s, 0, 15000) >= 0, "the station never came online through the pair");
}

void TestNetworkPartition::cleanupTestCase()
{
    if (m_station.state() != QProcess::NotRunning) {
        m_station.kill();
        m_station.waitForFinished(5000);
    }
}

qsizetype TestNetworkPartition::waitForLine(const QString &prefix, qsizetype from, int timeoutMs)
{
    qsizetype found = -1;
    pollUntil(
        [&] {
            for (qsizetype i = from; i < m_lines.size() && found < 0; ++i) {
                if (m_lines[i].text.startsWith(prefix))
                    found = i;
            }
            return found >= 0 || m_station.state() == QProcess::NotRunning;
        },
        timeoutMs, 20);
    return found;
}

std::optional<std::pair<int, quint64>> TestNetworkPartition::askStatus()
{
    const qsizetype from = m_lines.size();
    send(u"status"_s);
    const qsizetype answer = waitForLine(u"status "_s, from, 2000);
    if (answer < 0)
        return std::nullopt;
    const QStringList words = m_lines[answer].text.split(u' ');
    return std::pair{words.value(1).toInt(), words.value(2).toULongLong()};
}

bool TestNetworkPartition::waitForStatus(int pending, quint64 lastSequence, int timeoutMs)
{
    return pollUntil([&] { return askStatus() == std::pair{pending, lastSequence}; }, timeoutMs, 250);
}

QStringList TestNetworkPartition::registered(qsizetype from) const
{
    QStringList ids;
    for (qsizetype i = from; i < m_lines.size(); ++i) {
        if (m_lines[i].text.startsWith(u"registered "_s))
            ids.append(m_lines[i].text.mid(11));
    }
    return ids;
}

void TestNetworkPartition::partitionedStationGoesOfflineAndResumesByItself()
{
    // Online: three registrations go through and are answered.
    send(u"register 3"_s);
    QVERIFY(waitForLine(u"pending 0"_s, waitForLine(u"registered "_s, 0, 5000), 10000) >= 0);

    // The partition. Two registrations right away (their Submits vanish on the way), more once offline.
    const qsizetype before = m_lines.size();
    QVERIFY2(m_network.partition(), qPrintable(m_network.errorString()));
    const qint64 cut = m_clock.elapsed();
    send(u"register 2"_s);
    const qsizetype offline = waitForLine(u"state Offline"_s, before, 10000);
    QVERIFY2(offline >= 0, "the station never showed Offline during the partition");
    const qint64 noticed = m_lines[offline].at - cut;
    qInfo("partition: the station showed Offline after %lld ms (bound %lld ms)", noticed, kOfflineDeadlineMs);
    QVERIFY2(noticed <= kOfflineDeadlineMs, qPrintable(u"Offline after %1 ms"_s.arg(noticed)));
    send(u"register 8"_s);

    // Meanwhile another desk registers on the server's side: the station must learn of these after the healing.
    std::vector<QUuid> deskCommands;
    for (int i = 0; i < 3; ++i)
        deskCommands.push_back(m_desk.submit(registerVisit()));
    for (const QUuid &id : deskCommands) {
        const Outcome outcome = m_desk.waitOutcome(id);
        QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    }
    QTest::qWait(int(qMax<qint64>(0, cut + kPartitionMs - m_clock.elapsed())));
    for (qsizetype i = offline; i < m_lines.size(); ++i)
        QVERIFY2(m_lines[i].text != u"state Online"_s, "Online while no packet can pass");
    QCOMPARE(registered(before).size(), 10);
    const auto during = askStatus();
    QVERIFY(during);
    QCOMPARE(during->first, 10); // every registration since the cut is unanswered, and kept

    // Healed: back online and everything delivered, with nothing done at the station.
    const qsizetype healedFrom = m_lines.size();
    QVERIFY2(m_network.heal(), qPrintable(m_network.errorString()));
    const qint64 healed = m_clock.elapsed();
    const qsizetype online = waitForLine(u"state Online"_s, healedFrom, kResumeDeadlineMs);
    QVERIFY2(online >= 0, "the station did not come back online by itself");
    QVERIFY(waitForLine(u"pending 0"_s, healedFrom, kResumeDeadlineMs) >= 0);
    qInfo("healed: Online again after %lld ms", m_lines[online].at - healed);

    const auto pong = m_desk.ping();
    QVERIFY(pong);
    QVERIFY2(waitForStatus(0, pong->head_sequence(), kResumeDeadlineMs), "the station did not catch up");

    // The server applied each of the station's 13 commands exactly once, and its saga reacted once to each.
    const EventLogRead log = m_desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(m_desk.lastError()));
    QCOMPARE(quint64(log.events.size()), log.head);
    QHash<QString, int> byCommand, treatments;
    for (const v1::Event &e : log.events) {
        if (e.type() == "ReceptionRegistered")
            ++byCommand[QString::fromStdString(e.causation_id())];
        if (e.type() == "TreatmentStarted")
            ++treatments[QString::fromStdString(e.visit_id())];
    }
    const QStringList stationVisits = registered(0);
    QCOMPARE(stationVisits.size(), 13);
    for (const QString &ids : stationVisits) {
        const QString command = ids.section(u' ', 0, 0), visit = ids.section(u' ', 1, 1);
        QVERIFY2(byCommand.value(command) == 1,
                 qPrintable(u"command %1 applied %2 times"_s.arg(command).arg(byCommand.value(command))));
        QVERIFY2(treatments.value(visit) == 1,
                 qPrintable(u"visit %1 treated %2 times"_s.arg(visit).arg(treatments.value(visit))));
    }

    // What the station stored is the server's view, row for row (the desk's three visits included).
    send(u"quit"_s);
    QVERIFY(m_station.waitForFinished(10000));
    QCOMPARE(m_station.exitCode(), 0);
    auto stored =
        openWorkstation(m_server, m_stationData.filePath(u"station.sqlite"_s), u"A"_s, domain::Role::Receptionist);
    QVERIFY(stored);
    const QString differences = compareWithServerView(m_desk, *stored);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

int main(int argc, char *argv[])
{
    if (argc > 1 && qstrcmp(argv[1], "--station-child") == 0)
        return runStation(argc, argv);
    // Before any thread exists: every thread and child process after this one shares the new namespace.
    const QString isolation = StationNetwork::isolateThisProcess();
    QCoreApplication app(argc, argv);
    TestNetworkPartition test(isolation);
    return QTest::qExec(&test, argc, argv);
}

#include "TestNetworkPartition.moc"
