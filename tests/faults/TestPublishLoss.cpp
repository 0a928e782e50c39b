// Status messages lost on their way to stations (issue #14, fault test 6), against the real server. Three stations
// (a desk, a doctor's room, a laboratory: the real sync engine, each with its role's topics) read the server's PUB
// through a relay that drops 1 % of its messages at random (LossyProxy, seeded). A fourth, a whole workstation in
// a process of its own, hangs (SIGSTOP, its ZeroMQ threads too) while a burst of registrations goes out, so the
// server's PUB passes that subscriber's high-water mark (--pub-queue, lowered here) and drops what no longer fits,
// as ZeroMQ does; it wakes up before the server would give up on it. The test runs in a network namespace of its
// own with small TCP buffers (root), so that the queue, not the kernel, decides what a stalled reader loses. Every
// station must notice what it missed (it fetches events: FeedCounts), and end with exactly the server's log, in order,
// nothing twice; the workstation's stored rows equal the server's status view.
#include "ServerProcess.h"
#include "StationNetwork.h"
#include "StationProcess.h"
#include "SyncRecorder.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "WorkstationHarness.h"
#include "support/LossyProxy.h"

#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace clinicflow;
using namespace clinicflow::testsupport;
using client::ConnectionState;
using client::SyncEngine;

namespace {

constexpr double kPublishedLoss = 0.01;
constexpr int kSocketBuffer = 65536; // bytes each way in the kernel, per TCP socket
constexpr int kPubQueue = 500;       // events the server holds for a subscriber that does not read
constexpr int kBefore = 200;         // registrations while every station reads
constexpr int kBurst = 1500;         // registrations while the workstation hangs: about 4,500 events
constexpr int kConvergeMs = 60000;
constexpr qint64 kHangLimitMs = 5000; // the gateway drops a connection silent for 6 s

struct LossyStation
{
    LossyStation(const ServerProcess &server, const QString &code, domain::Role role, quint32 seed)
    {
        client::SyncSettings settings = syncSettings(server, code, role);
        proxy = std::make_unique<LossyProxy>(server.port(), server.pubPort(), settings.keys,
                                             LossyProxy::Losses{false, kPublishedLoss, seed});
        settings.keys = proxy->keysForStation();
        settings.requestEndpoint = u"tcp://127.0.0.1:%1"_s.arg(proxy->port());
        settings.publishEndpoint = u"tcp://127.0.0.1:%1"_s.arg(proxy->pubPort());
        engine = std::make_unique<SyncEngine>(settings);
        recorder = std::make_unique<SyncRecorder>(*engine);
        recorder->role = role;
    }
    std::unique_ptr<LossyProxy> proxy;
    std::unique_ptr<SyncEngine> engine;
    std::unique_ptr<SyncRecorder> recorder;
};

} // namespace

class TestPublishLoss : public QObject
{
    Q_OBJECT

public:
    explicit TestPublishLoss(QString isolation)
        : m_isolation(std::move(isolation))
    {
    }

private slots:
    void initTestCase();
    void everyStationRepairsWhatItMissed();

private:
    void registerVisits(int count);

    const QString m_isolation;
    ServerProcess m_server;
    TestStation m_desk; // the load: another desk on loopback, nothing lost
    QTemporaryDir m_stationData;
};

void TestPublishLoss::initTestCase()
{
    QVERIFY2(m_isolation.isEmpty(), qPrintable(m_isolation));
    QVERIFY2(m_server.start({u"--pub-queue"_s, QString::number(kPubQueue)}), qPrintable(m_server.errorString()));
    m_desk.connect(m_server.port());
    QVERIFY2(m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
}

void TestPublishLoss::registerVisits(int count)
{
    std::vector<QUuid> ids;
    for (int i = 0; i < count; ++i)
        ids.push_back(m_desk.submit(registerVisit()));
    for (const QUuid &id : ids) {
        const Outcome outcome = m_desk.waitOutcome(id, 30s);
        QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
    }
}

void TestPublishLoss::everyStationRepairsWhatItMissed()
{
    std::vector<std::unique_ptr<LossyStation>> lossy;
    lossy.push_back(std::make_unique<LossyStation>(m_server, u"B"_s, domain::Role::Receptionist, 1));
    lossy.push_back(std::make_unique<LossyStation>(m_server, u"DOC1"_s, domain::Role::Doctor, 2));
    lossy.push_back(std::make_unique<LossyStation>(m_server, u"LAB1"_s, domain::Role::Examiner, 3));
    for (auto &s : lossy) {
        s->engine->start(0, {});
        QTRY_COMPARE_WITH_TIMEOUT(s->recorder->state, ConnectionState::Online, 10000);
    }
    QVERIFY(m_server.enrol(u"C"_s, domain::Role::Receptionist));
    StationProcess hanging;
    QVERIFY(hanging.start({}, m_stationData.filePath(u"station.sqlite"_s), m_server.enrolmentPath(u"C"_s),
                          u"127.0.0.1"_s, m_server.port(), m_server.pubPort()));
    QVERIFY2(hanging.waitForLine(u"state Online"_s, 0, 15000) >= 0, "the workstation never came online");

    registerVisits(kBefore);
    const quint64 headBefore = waitForQuietHead(m_desk);
    QVERIFY2(hanging.waitForStatus(0, headBefore, 15000), "the workstation did not follow the server");
    const auto awake = hanging.askStatus();
    QVERIFY(awake);

    // The workstation hangs through a burst: the server's queue for it fills, and the rest is dropped.
    QVERIFY(hanging.freeze());
    QElapsedTimer hung;
    hung.start();
    registerVisits(kBurst);
    waitForQuietHead(m_desk, 300); // the saga's reactions published too
    const qint64 hungMs = hung.elapsed();
    QVERIFY(hanging.thaw());
    qInfo("the workstation hung for %lld ms while %d visits were registered", hungMs, kBurst);
    // Longer, and the server would drop the connection for silence (heartbeats): not what this test is after.
    QVERIFY2(hungMs < kHangLimitMs, "the burst took too long");

    // Everyone ends with the whole log, 1..head, in the server's order.
    const quint64 head = waitForQuietHead(m_desk);
    const EventLogRead log = m_desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(m_desk.lastError()));
    QCOMPARE(quint64(log.events.size()), head);
    for (auto &s : lossy) {
        SyncRecorder &recorder = *s->recorder;
        QTRY_VERIFY2_WITH_TIMEOUT(recorder.lastSequence == head, qPrintable(recorder.describe()), kConvergeMs);
        QVERIFY2(recorder.violations.isEmpty(), qPrintable(recorder.describe()));
        QCOMPARE(recorder.events.size(), qsizetype(head));
        QCOMPARE(recorder.streamHash(), logHash(log.events));
        const LossyProxy::Counts lost = s->proxy->counts();
        const SyncEngine::FeedCounts feed = s->engine->feedCounts();
        qInfo("%s: %d of %d published messages dropped; %llu events came live, %llu were fetched",
              qPrintable(s->engine->settings().station), lost.droppedPublished, lost.published, feed.live,
              feed.fetched);
        QVERIFY2(lost.droppedPublished > 0, "the relay dropped nothing");
        QVERIFY2(feed.fetched > 0, "nothing was fetched: the losses went unnoticed");
        QCOMPARE(feed.live + feed.fetched, head); // started at 0: each event came once, one way or the other
    }

    QVERIFY2(hanging.waitForStatus(0, head, kConvergeMs), "the workstation did not catch up");
    const auto after = hanging.askStatus();
    QVERIFY(after);
    const quint64 liveWhileHung = after->live - awake->live, fetchedWhileHung = after->fetched - awake->fetched;
    qInfo("workstation: %llu of the %llu events since it hung came live, %llu were fetched", liveWhileHung,
          head - headBefore, fetchedWhileHung);
    QVERIFY2(liveWhileHung < head - headBefore, "the server's queue for the hung station never overflowed");
    QVERIFY(fetchedWhileHung > 0);

    // The workstation stored exactly the server's view.
    const QString differences = hanging.quitAndCompareWithServer(m_server, m_desk);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

int main(int argc, char *argv[])
{
    if (argc > 1 && qstrcmp(argv[1], "--station-child") == 0)
        return runStationChild(argc, argv);
    // A network of the test's own, where the kernel holds little for a reader that stalls: whatever overflows, the
    // server's queue (--pub-queue) decides, not how large the host's TCP buffers happen to be.
    QString isolation = StationNetwork::isolateThisProcess();
    if (isolation.isEmpty())
        isolation = StationNetwork::limitSocketBuffers(kSocketBuffer);
    QCoreApplication app(argc, argv);
    TestPublishLoss test(isolation);
    return QTest::qExec(&test, argc, argv);
}

#include "TestPublishLoss.moc"
