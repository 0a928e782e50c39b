// A host vanishes (issue #14: modules on separate hosts, the guarantees under faults); the other host is a network
// namespace joined to the database's by a veth pair, and the network between them dies, silently.
//
// A module's host lost: the diagnosis module runs on its own host when the network dies and the host with it. No reset
// ever reaches the database, which would keep the lost sessions, and the module's lock with them (ModuleLocks), for as
// long as its TCP keepalive allows: over two hours with the system's defaults, during which the module cannot start
// anywhere else. The server asks the database to probe its sessions (Dialect: tcp_keepalives_*), so the lock is free
// within about 25 s: a replacement started on another host is refused at first, naming the module, then starts, and
// applies the doctor's command that waited Queued meanwhile.
//
// The database lost to a running server: the server's writer waits for an acknowledgement that never comes. It gives
// up within about 30 s (libpq's tcp_user_timeout; the system would retransmit for some 15 minutes), stops its
// modules, and starts them again by itself once the database answers.
//
// Needs root (network namespaces) and PostgreSQL; on a cluster of the test's own, listening on the pair too.
#include "PgClusterScript.h"
#include "ServerProcess.h"
#include "StationNetwork.h"
#include "TestCommands.h"
#include "TestPostgres.h"
#include "TestStation.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

bool appendTo(const QString &path, const QByteArray &lines)
{
    QFile file(path);
    return file.open(QIODevice::Append) && file.write(lines) == lines.size();
}

} // namespace

class TestHostLost : public QObject
{
    Q_OBJECT

public:
    explicit TestHostLost(QString isolation)
        : m_isolation(std::move(isolation))
    {
    }

private slots:
    void initTestCase();
    void aLostHostsModuleStartsElsewhere();
    void aServerGivesUpOnASilentDatabase();

private:
    const QString m_isolation;
    StationNetwork m_net; // the module's host
    OwnPgCluster m_cluster;
};

void TestHostLost::initTestCase()
{
    QVERIFY2(m_isolation.isEmpty(), qPrintable(m_isolation));
    QVERIFY2(m_net.create(), qPrintable(m_net.errorString()));
    const QString problem = m_cluster.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // The database listens on the pair as well, and admits the module's host there (the last setting wins).
    QFile recorded(m_cluster.dir() + u"/cluster"_s);
    QVERIFY(recorded.open(QIODevice::ReadOnly));
    const QString data = QString::fromUtf8(recorded.readAll()).trimmed() + u"/data/"_s;
    QVERIFY(appendTo(data + u"postgresql.conf"_s,
                     u"listen_addresses = '127.0.0.1,%1'\n"_s.arg(m_net.serverAddress()).toUtf8()));
    QVERIFY(appendTo(data + u"pg_hba.conf"_s, u"host all all %1/32 trust\n"_s.arg(m_net.stationAddress()).toUtf8()));
    // listen_addresses takes a restart (pg-cluster.sh restarts a cluster that is down).
    QString output;
    QVERIFY2(m_cluster.run(u"crash"_s, &output) == 0, qPrintable(output));
    QVERIFY2(m_cluster.run(u"restart"_s, &output) == 0, qPrintable(output));
}

void TestHostLost::aLostHostsModuleStartsElsewhere()
{
    ThrowawayPostgresDatabase database(m_cluster.baseUrl());
    QVERIFY2(database.isValid(), qPrintable(database.error()));
    ServerProcess front;
    front.setDatabaseUrl(database.url());
    QVERIFY2(front.start({u"--only"_s, u"gateway,reception,examination,view"_s}), qPrintable(front.errorString()));

    // The diagnosis module on its host, reaching the database over the pair.
    QString hostUrl = database.url();
    hostUrl.replace(u"127.0.0.1"_s, m_net.serverAddress());
    QTemporaryDir hostData;
    QProcess host;
    host.setProcessChannelMode(QProcess::MergedChannels);
    const QStringList launcher = m_net.inStation();
    host.start(launcher.first(),
               launcher.mid(1) + QStringList{ServerProcess::binaryPath(), u"--only"_s, u"diagnosis"_s, u"--database"_s,
                                             hostUrl, u"--data"_s, hostData.path(), u"--http-port"_s, u"18570"_s});
    QVERIFY2(host.waitForStarted(), qPrintable(host.errorString()));
    const auto hostLog = [&host] { return u"\nthe host's log:\n"_s + QString::fromUtf8(host.readAll()); };

    TestStation desk;
    TestStation doctor;
    desk.connect(front.port());
    doctor.connect(front.port());
    QVERIFY(desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST));
    QVERIFY(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR));
    const domain::RegisterVisit registration = registerVisit();
    QVERIFY(desk.submitAndWait(registration).applied);
    QVERIFY2(pollUntil([&] {
                 return countEvents(desk.fetchAllEvents().events, "TreatmentStarted", registration.receptionId) == 1;
             }),
             qPrintable(u"the module's host never assigned the doctor"_s + hostLog()));

    // The host vanishes: the network cut both ways, then the process killed (its goodbye never arrives).
    QVERIFY2(m_net.partition(), qPrintable(m_net.errorString()));
    QElapsedTimer lost;
    lost.start();
    host.kill();
    QVERIFY(host.waitForFinished(10000));
    const domain::PrescribeExamination p = prescribe(registration.receptionId);
    const QUuid prescription = QUuid::createUuid();
    const auto queued = doctor.submitForReply(p, prescription, 5s);
    QVERIFY2(queued && queued->has_queued(), "the doctor's command was not taken while the module was away");

    // At first the database still holds the lost host's sessions, and the module's lock: refused, naming it.
    auto replacement = std::make_unique<ServerProcess>();
    replacement->shareDataWith(front);
    QVERIFY2(!replacement->start({u"--only"_s, u"diagnosis"_s}, 5000), "the module started twice");
    QVERIFY2(replacement->errorString().contains(u"diagnosis module"_s), qPrintable(replacement->errorString()));
    // Then the database gives up on the silent host, and the module starts on another one.
    bool started = false;
    while (!started && lost.elapsed() < 90'000) {
        QTest::qWait(2000);
        replacement = std::make_unique<ServerProcess>();
        replacement->shareDataWith(front);
        started = replacement->start({u"--only"_s, u"diagnosis"_s}, 10000);
    }
    QVERIFY2(started, qPrintable(u"the module could not start elsewhere within 90 s of its host's loss: "_s +
                                 replacement->errorString()));
    qInfo() << "the diagnosis module started elsewhere" << lost.elapsed() / 1000.0 << "s after its host was lost";
    QVERIFY2(lost.elapsed() < 60'000, "the database kept the lost host's sessions for over a minute");

    // What waited is applied once, and answered.
    const Outcome applied = doctor.waitOutcome(prescription, 15s);
    QVERIFY2(applied.applied, qPrintable(applied.describe()));
    QVERIFY(pollUntil(
        [&] { return countForAggregate(desk.fetchAllEvents().events, "ExaminationRequested", p.examinationId) == 1; }));
    QVERIFY2(m_net.heal(), qPrintable(m_net.errorString()));
}

void TestHostLost::aServerGivesUpOnASilentDatabase()
{
    ThrowawayPostgresDatabase database(m_cluster.baseUrl());
    QVERIFY2(database.isValid(), qPrintable(database.error()));
    QString hostUrl = database.url();
    hostUrl.replace(u"127.0.0.1"_s, m_net.serverAddress());
    QTemporaryDir hostData;
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    QByteArray log;
    const auto logged = [&](const QString &text) {
        log += server.readAll();
        return QString::fromUtf8(log).contains(text);
    };
    const QStringList launcher = m_net.inStation();
    server.start(launcher.first(),
                 launcher.mid(1) + QStringList{ServerProcess::binaryPath(), u"--database"_s, hostUrl, u"--data"_s,
                                               hostData.path(), u"--http-port"_s, u"18571"_s});
    QVERIFY2(server.waitForStarted(), qPrintable(server.errorString()));
    QVERIFY2(pollUntil([&] { return logged(u"HTTP on"_s); }, 30000), log.constData());

    QVERIFY2(m_net.partition(), qPrintable(m_net.errorString()));
    QElapsedTimer silent;
    silent.start();
    QVERIFY2(pollUntil([&] { return logged(u"the database went away"_s); }, 75000, 200),
             qPrintable(u"still waiting for the database after 75 s:\n"_s + QString::fromUtf8(log)));
    qInfo() << "the server gave up on the silent database after" << silent.elapsed() / 1000.0 << "s";
    QVERIFY2(silent.elapsed() < 50'000, "the server waited for the silent database for over 50 s");
    QVERIFY2(server.state() == QProcess::Running, log.constData());

    QVERIFY2(m_net.heal(), qPrintable(m_net.errorString()));
    QVERIFY2(pollUntil([&] { return logged(u"the database is back"_s); }, 30000, 200),
             qPrintable(u"not started again after the network healed:\n"_s + QString::fromUtf8(log)));
    server.terminate();
    QVERIFY(server.waitForFinished(20000));
}

int main(int argc, char *argv[])
{
    // Before any thread exists: every thread and child process after this one shares the new namespace.
    const QString isolation = StationNetwork::isolateThisProcess();
    QCoreApplication app(argc, argv);
    TestHostLost test(isolation);
    return QTest::qExec(&test, argc, argv);
}

#include "TestHostLost.moc"
