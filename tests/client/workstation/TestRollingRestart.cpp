// A rolling restart under load (issue #13): 16 front desks and 4 doctors' rooms keep working while the server is
// stopped with SIGTERM and started again on the same data, as an orchestrator or systemd does on an upgrade. The
// server drains (readiness 503 first, then no new commands, what it took applied and answered, exit 0). The stations
// go on storing their actions locally, resume by themselves when it is back, and nothing is lost or applied twice.
// Prints the longest time a station waited between two answers from the server.
#include "TestCommands.h"
#include "WorkstationHarness.h"
#include "store/LocalStore.h"
#include "sync/SyncEngine.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::testsupport;
using client::ConnectionState;
using client::OutboxState;

class TestRollingRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Twenty stations log every reconnection: only their warnings are shown, so that the figures stand out.
    void initTestCase() { QLoggingCategory::setFilterRules(u"clinicflow.*.debug=false\nclinicflow.*.info=false"_s); }
    void stationsRideThroughARestart();
};

namespace {

constexpr int kDesks = 16;
const QStringList kDoctors{u"dr.kim"_s, u"dr.lee"_s, u"dr.park"_s, u"dr.choi"_s};
const QStringList kDepartments{u"IM"_s, u"IM"_s, u"GS"_s, u"PED"_s}; // each doctor's, from the built-in roster

// One station of the test: its workstation, the actions it took, and when the server answered it.
struct Station
{
    QString code;
    std::unique_ptr<client::Workstation> workstation;
    QSet<QUuid> submitted;      // command ids whose local commit returned
    QSet<QUuid> treated;        // a doctor's diagnoses already acted on
    QList<qint64> answeredAtMs; // when each answer arrived, on the test's clock
    int offlineSpells = 0;      // times it left Online
    QString failure;            // the first local action that failed
};

RegisterVisit newPatient(int desk, int n)
{
    RegisterVisit r;
    r.patient.name = u"Patient %1-%2"_s.arg(desk).arg(n);
    r.patient.birthDate = QDate(1970, 1, 1).addDays(desk * 1000 + n);
    r.patient.sex = n % 2 ? Sex::Female : Sex::Male;
    r.department = kDepartments.at(desk % kDoctors.size());
    r.requestedDoctor = kDoctors.at(desk % kDoctors.size());
    r.chiefComplaint = u"fever"_s;
    return r;
}

// Every outbox entry of the station answered Applied: what it submitted, each once.
QString checkAllApplied(const Station &station)
{
    QSet<QUuid> inOutbox;
    for (const auto &entry : station.workstation->store().outbox()) {
        if (entry.state != OutboxState::Applied)
            return u"%1: %2 %3 is %4 (%5)"_s.arg(station.code, entry.commandName, idString(entry.commandId),
                                                 client::outboxStateName(entry.state), entry.error.message());
        inOutbox.insert(entry.commandId);
    }
    if (inOutbox != station.submitted)
        return u"%1: %2 actions taken, %3 in the outbox"_s.arg(station.code)
            .arg(station.submitted.size())
            .arg(inOutbox.size());
    return {};
}

qint64 longestGapMs(const QList<qint64> &answers)
{
    qint64 longest = 0;
    for (qsizetype i = 1; i < answers.size(); ++i)
        longest = std::max(longest, answers.at(i) - answers.at(i - 1));
    return longest;
}

} // namespace

void TestRollingRestart::stationsRideThroughARestart()
{
    ServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QTemporaryDir dir;
    QElapsedTimer clock;
    clock.start();

    std::vector<std::unique_ptr<Station>> stations;
    for (int i = 0; i < kDesks + int(kDoctors.size()); ++i) {
        auto station = std::make_unique<Station>();
        const bool desk = i < kDesks;
        station->code = desk ? u"R%1"_s.arg(i + 1, 2, 10, QChar(u'0')) : u"D%1"_s.arg(i - kDesks + 1);
        if (!desk) // each room for its own doctor (openWorkstation then reuses this enrolment)
            QVERIFY(server.enrol(station->code, Role::Doctor, kDoctors.at(i - kDesks)));
        station->workstation = openWorkstation(server, dir.filePath(station->code + u".sqlite"_s), station->code,
                                               desk ? Role::Receptionist : Role::Doctor);
        QVERIFY(station->workstation);
        Station *s = station.get();
        connect(&s->workstation->engine(), &client::SyncEngine::commandAnswered, this,
                [s, &clock](const client::CommandOutcome &) { s->answeredAtMs.append(clock.elapsed()); });
        connect(s->workstation.get(), &client::Workstation::stateChanged, this, [s](ConnectionState state) {
            if (state != ConnectionState::Online)
                ++s->offlineSpells;
        });
        s->workstation->start();
        stations.push_back(std::move(station));
    }
    for (const auto &station : stations)
        QTRY_COMPARE_WITH_TIMEOUT(station->workstation->state(), ConnectionState::Online, 15000);
    for (auto &station : stations)
        station->offlineSpells = 0;

    // The load: each desk registers a patient every 150 ms for its doctor (about 107 a second in all); each doctor
    // completes the treatment of every patient of theirs the station has seen, every 200 ms.
    QTimer work;
    int tick = 0;
    connect(&work, &QTimer::timeout, this, [&] {
        ++tick;
        for (int i = 0; i < int(stations.size()); ++i) {
            Station &s = *stations[size_t(i)];
            if (!s.failure.isEmpty())
                continue;
            if (i < kDesks) {
                if (tick % 3 != i % 3)
                    continue;
                auto registered = s.workstation->store().registerVisit(newPatient(i, tick));
                if (registered)
                    s.submitted.insert(registered->commandId);
                else
                    s.failure = registered.error().message();
                continue;
            }
            if (tick % 4 != i % 4)
                continue;
            const QString doctor = kDoctors.at(i - kDesks);
            for (const Diagnosis &diagnosis : s.workstation->store().openDiagnoses(doctor)) {
                if (diagnosis.status != DiagnosisStatus::Waiting || s.treated.contains(diagnosis.id))
                    continue;
                auto done = s.workstation->store().submit(CompleteTreatment{diagnosis.id, u"rest and fluids"_s});
                if (!done) {
                    s.failure = done.error().message();
                    break;
                }
                s.treated.insert(diagnosis.id);
                s.submitted.insert(done.value());
            }
        }
    });
    work.start(50);
    QTest::qWait(4000);

    // The restart: SIGTERM, a clean exit, a new process on the same data folder and ports. The stations keep
    // working throughout.
    const int logBefore = int(server.logLines().size());
    QVERIFY2(server.sendSigterm(), qPrintable(server.errorString()));
    QVERIFY2(pollUntil([&] { return server.hasExited(); }, 30000), "the server did not stop within 30 s of SIGTERM");
    QCOMPARE(server.waitForExitCode(1000), 0);
    const auto logged = [&](const QString &text) {
        return server.waitForLog([&](const LogLine &line) { return line.message.contains(text); }, 1000, logBefore);
    };
    QVERIFY2(logged(u"draining"_s), qPrintable(server.logTail()));
    QVERIFY2(logged(u"drained in"_s), qPrintable(server.logTail())); // every command taken was applied before exit
    QTest::qWait(1500); // an upgrade's pause: the new process is not there at once
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTest::qWait(4000);
    work.stop();

    // Everyone settles: every action each station took is applied, exactly once.
    TestStation probe;
    probe.connect(server.port());
    QVERIFY2(probe.hello(u"OPS"_s, v1::ROLE_BOARD), qPrintable(probe.lastError()));
    QList<client::Workstation *> all;
    for (const auto &station : stations)
        all.append(station->workstation.get());
    const QString settled = waitConverged(probe, all, 90000);
    QVERIFY2(settled.isEmpty(), qPrintable(settled));

    const EventLogRead log = probe.fetchAllEvents();
    QVERIFY(log.ok);
    int registrations = 0;
    int treatments = 0;
    qint64 longestGap = 0;
    QString longestAt;
    int wentOffline = 0;
    for (const auto &station : stations) {
        QVERIFY2(station->failure.isEmpty(), qPrintable(station->code + u": "_s + station->failure));
        const QString applied = checkAllApplied(*station);
        QVERIFY2(applied.isEmpty(), qPrintable(applied));
        for (const QUuid &command : station->submitted)
            QCOMPARE(countCausedBy(log.events, command), 1);
        (station->code.startsWith(u'R') ? registrations : treatments) += int(station->submitted.size());
        QCOMPARE(station->workstation->state(), ConnectionState::Online); // back by itself, nobody clicked
        wentOffline += station->offlineSpells > 0 ? 1 : 0;
        const qint64 gap = longestGapMs(station->answeredAtMs);
        if (gap > longestGap) {
            longestGap = gap;
            longestAt = station->code;
        }
    }
    QCOMPARE(countEvents(log.events, "ReceptionRegistered"), registrations);
    QCOMPARE(countEvents(log.events, "TreatmentCompleted"), treatments);
    QVERIFY2(treatments > 0, "no doctor completed a treatment: the saga was not exercised");
    const QString shape = checkLogShape(log.events, log.head);
    QVERIFY2(shape.isEmpty(), qPrintable(shape));
    for (const auto &station : stations) {
        const QString same = compareWithServerView(probe, *station->workstation);
        QVERIFY2(same.isEmpty(), qPrintable(station->code + u": "_s + same));
    }
    qInfo().noquote() << u"%1 registrations and %2 treatments from %3 stations across the restart; longest gap "
                         "between two answers at one station: %4 ms (%5); %6 stations showed offline meanwhile"_s
                             .arg(registrations)
                             .arg(treatments)
                             .arg(stations.size())
                             .arg(longestGap)
                             .arg(longestAt)
                             .arg(wentOffline);
    // An offline spell is short: the 1.5 s pause, the new process's start and the stations' reconnection.
    QVERIFY2(longestGap < 20000, qPrintable(u"a station waited %1 ms"_s.arg(longestGap)));
    QVERIFY2(wentOffline > 0, "no station noticed the restart: nothing was tested");
    QVERIFY(server.terminate());
}

QTEST_GUILESS_MAIN(TestRollingRestart)
#include "TestRollingRestart.moc"
