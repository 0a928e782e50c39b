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
#include "StationProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "WorkstationHarness.h"

#include <QHash>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

constexpr qint64 kOfflineDeadlineMs = 3000; // the bound: offline shown within 3 s
constexpr int kPartitionMs = 10000;         // past libzmq's heartbeat timeout and the engine's rebuild of its socket
constexpr int kResumeDeadlineMs = 20000;

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
    void partitionedStationGoesOfflineAndResumesByItself();

private:
    const QString m_isolation;
    ServerProcess m_server;
    StationNetwork m_network;
    QTemporaryDir m_stationData;
    StationProcess m_station;
    TestStation m_desk; // another desk, on the server's side of the partition
};

void TestNetworkPartition::initTestCase()
{
    QVERIFY2(m_isolation.isEmpty(), qPrintable(m_isolation));
    QVERIFY2(m_network.create(), qPrintable(m_network.errorString()));
    // Stations reach the gateway through the pair; the test's own desk and probes on loopback.
    QVERIFY2(m_server.start({u"--bind"_s, u"0.0.0.0"_s}), qPrintable(m_server.errorString()));
    m_desk.connect(m_server.port());
    QVERIFY2(m_desk.hello(u"B"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
    QVERIFY(m_server.enrol(u"A"_s, domain::Role::Receptionist));

    QVERIFY(m_station.start(m_network.inStation(), m_stationData.filePath(u"station.sqlite"_s),
                            m_server.enrolmentPath(u"A"_s), m_network.serverAddress(), m_server.port(),
                            m_server.pubPort()));
    QVERIFY2(m_station.waitForLine(u"state Online"_s, 0, 15000) >= 0, "the station never came online through the pair");
}

void TestNetworkPartition::partitionedStationGoesOfflineAndResumesByItself()
{
    StationProcess &station = m_station;
    // Online: three registrations go through and are answered.
    station.send(u"register 3"_s);
    QVERIFY(station.waitForLine(u"pending 0"_s, station.waitForLine(u"registered "_s, 0, 5000), 10000) >= 0);

    // The partition. Two registrations right away (their Submits vanish on the way), more once offline.
    const qsizetype before = station.lines().size();
    QVERIFY2(m_network.partition(), qPrintable(m_network.errorString()));
    const qint64 cut = station.elapsed();
    station.send(u"register 2"_s);
    const qsizetype offline = station.waitForLine(u"state Offline"_s, before, 10000);
    QVERIFY2(offline >= 0, "the station never showed Offline during the partition");
    const qint64 noticed = station.lines()[offline].at - cut;
    qInfo("partition: the station showed Offline after %lld ms (bound %lld ms)", noticed, kOfflineDeadlineMs);
    QVERIFY2(noticed <= kOfflineDeadlineMs, qPrintable(u"Offline after %1 ms"_s.arg(noticed)));
    station.send(u"register 8"_s);

    // Meanwhile another desk registers on the server's side: the station must learn of these after the healing.
    std::vector<QUuid> deskCommands;
    for (int i = 0; i < 3; ++i)
        deskCommands.push_back(m_desk.submit(registerVisit()));
    for (const QUuid &id : deskCommands) {
        const Outcome outcome = m_desk.waitOutcome(id);
        QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    }
    QTest::qWait(int(qMax<qint64>(0, cut + kPartitionMs - station.elapsed())));
    for (qsizetype i = offline; i < station.lines().size(); ++i)
        QVERIFY2(station.lines()[i].text != u"state Online"_s, "Online while no packet can pass");
    QCOMPARE(station.registered(before).size(), 10);
    const auto during = station.askStatus();
    QVERIFY(during);
    QCOMPARE(during->pending, 10); // every registration since the cut is unanswered, and kept

    // Healed: back online and everything delivered, with nothing done at the station.
    const qsizetype healedFrom = station.lines().size();
    QVERIFY2(m_network.heal(), qPrintable(m_network.errorString()));
    const qint64 healed = station.elapsed();
    const qsizetype online = station.waitForLine(u"state Online"_s, healedFrom, kResumeDeadlineMs);
    QVERIFY2(online >= 0, "the station did not come back online by itself");
    QVERIFY(station.waitForLine(u"pending 0"_s, healedFrom, kResumeDeadlineMs) >= 0);
    qInfo("healed: Online again after %lld ms", station.lines()[online].at - healed);

    const auto pong = m_desk.ping();
    QVERIFY(pong);
    QVERIFY2(station.waitForStatus(0, pong->head_sequence(), kResumeDeadlineMs), "the station did not catch up");

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
    const QStringList stationVisits = station.registered();
    QCOMPARE(stationVisits.size(), 13);
    for (const QString &ids : stationVisits) {
        const QString command = ids.section(u' ', 0, 0), visit = ids.section(u' ', 1, 1);
        QVERIFY2(byCommand.value(command) == 1,
                 qPrintable(u"command %1 applied %2 times"_s.arg(command).arg(byCommand.value(command))));
        QVERIFY2(treatments.value(visit) == 1,
                 qPrintable(u"visit %1 treated %2 times"_s.arg(visit).arg(treatments.value(visit))));
    }

    // What the station stored is the server's view, row for row (the desk's three visits included).
    const QString differences = station.quitAndCompareWithServer(m_server, m_desk);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

int main(int argc, char *argv[])
{
    if (argc > 1 && qstrcmp(argv[1], "--station-child") == 0)
        return runStationChild(argc, argv);
    // Before any thread exists: every thread and child process after this one shares the new namespace.
    const QString isolation = StationNetwork::isolateThisProcess();
    QCoreApplication app(argc, argv);
    TestNetworkPartition test(isolation);
    return QTest::qExec(&test, argc, argv);
}

#include "TestNetworkPartition.moc"
