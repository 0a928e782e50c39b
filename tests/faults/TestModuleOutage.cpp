// One module's process dies under load (issue #14, fault test 4): the server runs split over one PostgreSQL database
// (gateway and view, reception, diagnosis, examination: four processes). A desk registers visits, an examiner
// performs examinations prescribed before, and a doctor prescribes more, each at a modest fixed rate and each
// keeping every command until it has an outcome, resending it (same id, same Submit) like a workstation's outbox.
// After a baseline, the diagnosis process is killed with SIGKILL and stays away for 30 s under the same load. The
// other modules keep their latency: every registration and examination is still Applied, its submit -> Applied
// latency near the baseline's. The doctor's commands are still taken (Queued: durable in the diagnosis inbox) but
// nothing applies them. Started again, the diagnosis process catches up within a bound: each of those commands gets
// one outcome, and each visit registered meanwhile gets its DiagnosisRegistered and TreatmentStarted. In the end
// nothing is lost or applied twice: each command id has one outcome in one inbox row, whose events are in the log
// once; each visit's saga and each prescription's examination request ran once; the log is 1..head.
#include "LoadStation.h"
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestPostgres.h"
#include "TestStation.h"
#include "domain/Ids.h"
#include "proto/Convert.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

namespace {

// The warm-up: dr.kim's visits, each with examinations prescribed for the examiner to perform under load.
constexpr int kWarmVisits = 45;
constexpr int kExamsPerVisit = 8;
// The load, about 24 commands a second in all (the CI machine has 2 cores and runs other things).
constexpr int kDeskPerSecond = 10;
constexpr int kExaminerPerSecond = 8;
constexpr int kDoctorPerSecond = 6;
constexpr int kRampMs = 1000;     // load before the baseline is measured
constexpr int kBaselineMs = 5000; // latency measured with every module up
constexpr int kOutageMs = 30000;  // the diagnosis process is away this long (the issue's figure)
constexpr int kCatchUpWithinMs = 30000;
// The other modules keep their latency: p95 within kLatencyFactor x the baseline's (or kLatencyFloorMs, for a
// baseline too small to scale), and every command applied within kAppliedWithinMs.
constexpr int kLatencyFactor = 3;
constexpr qint64 kLatencyFloorMs = 300;
constexpr qint64 kAppliedWithinMs = 5000;
constexpr qint64 kQueuedWithinMs = 5000; // a doctor's command is taken this soon while its module is away

enum Phase
{
    Ramp,
    Baseline,
    Outage,  // the diagnosis process is dead
    CatchUp, // from its restart on
    PhaseCount
};
static_assert(PhaseCount <= LoadStation::kMaxPhases);
QString phaseName(int phase)
{
    static const std::array<QString, PhaseCount> names{u"ramp"_s, u"baseline"_s, u"outage"_s, u"catch-up"_s};
    return names[std::size_t(phase)];
}

struct Figures
{
    int count = 0;
    qint64 p50 = 0, p95 = 0, max = 0;
};

Figures figuresOf(std::vector<qint64> latencies)
{
    Figures f;
    f.count = int(latencies.size());
    if (latencies.empty())
        return f;
    std::sort(latencies.begin(), latencies.end());
    const auto at = [&](double q) {
        return latencies[std::min(latencies.size() - 1, std::size_t(q * latencies.size()))];
    };
    f.p50 = at(0.50);
    f.p95 = at(0.95);
    f.max = latencies.back();
    return f;
}

// One number from the database, or -1 (with the error in *error).
qint64 scalar(QSqlDatabase &db, const QString &sql, QString *error = nullptr)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next()) {
        if (error)
            *error = sql + u": "_s + q.lastError().text();
        return -1;
    }
    return q.value(0).toLongLong();
}

} // namespace

class TestModuleOutage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void othersKeepTheirLatencyAndDiagnosisCatchesUp();

private:
    std::unique_ptr<ThrowawayPostgresDatabase> m_database;
    QString m_connection = u"module-outage"_s;
};

void TestModuleOutage::initTestCase()
{
    QVERIFY2(testPostgresBaseUrl(), "no PostgreSQL cluster: CLINICFLOW_TEST_POSTGRES_DIR (the ctest fixture "
                                    "`postgresql`) is unset or its cluster did not start");
    m_database = std::make_unique<ThrowawayPostgresDatabase>();
    QVERIFY2(m_database->isValid(), qPrintable(m_database->error()));
}

void TestModuleOutage::cleanupTestCase()
{
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
    m_database.reset();
}

void TestModuleOutage::othersKeepTheirLatencyAndDiagnosisCatchesUp()
{
    QElapsedTimer runClock;
    runClock.start();
    // The README's split, one module a process (the gateway with the view), on one database.
    ServerProcess front;
    front.setDatabaseUrl(m_database->url());
    QVERIFY2(front.start({u"--only"_s, u"gateway,view"_s}), qPrintable(front.errorString()));
    ServerProcess reception, diagnosis, examination;
    const std::array<std::pair<ServerProcess *, QString>, 3> modules{
        {{&reception, u"reception"_s}, {&diagnosis, u"diagnosis"_s}, {&examination, u"examination"_s}}};
    for (const auto &[process, module] : modules) {
        process->shareDataWith(front);
        QVERIFY2(process->start({u"--only"_s, module}), qPrintable(process->errorString()));
    }
    const auto logs = [&] {
        return u"\n--- gateway log ---\n"_s + front.logTail(15) + u"\n--- diagnosis log ---\n"_s +
               diagnosis.logTail(25) + u"\n--- reception log ---\n"_s + reception.logTail(10) +
               u"\n--- examination log ---\n"_s + examination.logTail(10);
    };
    auto opened = openPostgres(m_database->url(), m_connection);
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message()));
    QSqlDatabase db = opened.value();
    QString sqlError;
    const auto count = [&](const QString &sql) {
        const qint64 n = scalar(db, sql, &sqlError);
        return n;
    };
    const auto countOf = [&](const char *type) {
        return count(u"SELECT COUNT(*) FROM event_log WHERE type = '%1'"_s.arg(QLatin1StringView(type)));
    };

    const auto desk = front.enrol(u"A"_s, domain::Role::Receptionist);
    const auto doctor = front.enrol(u"DOC1"_s, domain::Role::Doctor); // dr.kim
    const auto examiner = front.enrol(u"LAB1"_s, domain::Role::Examiner);
    QVERIFY2(desk && doctor && examiner, "cannot enrol the stations");

    // Warm-up: dr.kim's visits in treatment, each with examinations requested.
    std::vector<QUuid> warmVisits;
    std::vector<QUuid> warmExams;
    std::set<QString> warmCommands; // command ids
    {
        TestStation warmDesk;
        TestStation warmDoctor;
        warmDesk.useKeys(desk->keys, u"A"_s);
        warmDoctor.useKeys(doctor->keys, u"DOC1"_s);
        warmDesk.connect(front.port());
        warmDoctor.connect(front.port());
        QVERIFY2(warmDesk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(warmDesk.lastError()));
        QVERIFY2(warmDoctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(warmDoctor.lastError()));
        std::vector<QUuid> ids;
        for (int i = 0; i < kWarmVisits; ++i) {
            const domain::RegisterVisit visit = registerVisit(u"IM"_s, u"dr.kim"_s);
            warmVisits.push_back(visit.receptionId);
            ids.push_back(warmDesk.submit(visit));
        }
        for (const QUuid &id : ids) {
            const Outcome o = warmDesk.waitOutcome(id, 15s);
            QVERIFY2(o.applied, qPrintable(u"warm-up registration: "_s + o.describe() + logs()));
            warmCommands.insert(idText(id));
        }
        QVERIFY2(pollUntil([&] { return countOf("TreatmentStarted") == kWarmVisits; }, 20000, 50),
                 qPrintable(u"the warm-up visits are not in treatment: %1 of %2 %3"_s.arg(countOf("TreatmentStarted"))
                                .arg(kWarmVisits)
                                .arg(sqlError) +
                            logs()));
        ids.clear();
        for (int e = 0; e < kExamsPerVisit; ++e) {
            for (const QUuid &visit : warmVisits) {
                const domain::PrescribeExamination p = prescribe(visit, u"BLOOD"_s, domain::newId());
                warmExams.push_back(p.examinationId);
                ids.push_back(warmDoctor.submit(p));
            }
        }
        for (const QUuid &id : ids) {
            const Outcome o = warmDoctor.waitOutcome(id, 15s);
            QVERIFY2(o.applied, qPrintable(u"warm-up prescription: "_s + o.describe() + logs()));
            warmCommands.insert(idText(id));
        }
        const int exams = kWarmVisits * kExamsPerVisit;
        QVERIFY2(pollUntil([&] { return countOf("ExaminationRequested") == exams; }, 20000, 50),
                 qPrintable(u"%1 of %2 warm-up examinations requested %3"_s.arg(countOf("ExaminationRequested"))
                                .arg(exams)
                                .arg(sqlError) +
                            logs()));
    }
    const double warmUpSeconds = runClock.elapsed() / 1000.0;

    // The load: each station's commands are made on its own thread.
    std::atomic<int> phase{Ramp};
    LoadStation deskLoad(
        u"A"_s, v1::ROLE_RECEPTIONIST, desk->keys, kDeskPerSecond,
        [] { return std::optional<domain::Command>(registerVisit(u"IM"_s)); }, phase);
    LoadStation examinerLoad(
        u"LAB1"_s, v1::ROLE_EXAMINER, examiner->keys, kExaminerPerSecond,
        [exams = warmExams, next = std::size_t(0)]() mutable {
            return next < exams.size() ? std::optional<domain::Command>(performExamination(exams[next++]))
                                       : std::nullopt;
        },
        phase);
    LoadStation doctorLoad(
        u"DOC1"_s, v1::ROLE_DOCTOR, doctor->keys, kDoctorPerSecond,
        [visits = warmVisits, next = std::size_t(0)]() mutable {
            const QUuid visit = visits[next++ % visits.size()];
            return std::optional<domain::Command>(prescribe(visit, u"BLOOD"_s, domain::newId()));
        },
        phase);
    const std::array<LoadStation *, 3> stations{&deskLoad, &examinerLoad, &doctorLoad};
    for (LoadStation *s : stations)
        s->start(front.port(), front.pubPort());
    QTest::qWait(kRampMs);
    phase = Baseline;
    QTest::qWait(kBaselineMs);

    // The diagnosis process dies; the load goes on.
    QVERIFY2(diagnosis.kill9(), qPrintable(diagnosis.errorString()));
    phase = Outage;
    QElapsedTimer outageClock;
    outageClock.start();
    while (outageClock.elapsed() < kOutageMs) {
        QTest::qWait(200);
        for (ServerProcess *p : {&front, &reception, &examination})
            QVERIFY2(!p->hasExited(), qPrintable(u"another module's process exited during the outage"_s + logs()));
    }
    const int outageDoctorCommands = doctorLoad.sent[Outage];
    const int outageDoctorResolvedEarly = doctorLoad.resolved[Outage];

    // It comes back with the same arguments and catches up.
    phase = CatchUp;
    const qint64 restartedAtMs = msNow();
    const qint64 headAtRestart = count(u"SELECT COALESCE(MAX(sequence), 0) FROM event_log"_s);
    QVERIFY2(headAtRestart > 0, qPrintable(sqlError));
    QVERIFY2(diagnosis.restart(), qPrintable(diagnosis.errorString()));
    const qint64 readyAfterMs = msNow() - restartedAtMs;
    // Visits registered before the restart without their TreatmentStarted.
    const QString notInTreatment = uR"(SELECT COUNT(*) FROM event_log r WHERE r.type = 'ReceptionRegistered'
        AND r.sequence <= %1 AND NOT EXISTS (SELECT 1 FROM event_log t WHERE t.visit_id = r.visit_id
        AND t.type = 'TreatmentStarted'))"_s.arg(headAtRestart);
    qint64 waiting = -1;
    const bool caughtUp = pollUntil(
        [&] {
            if (doctorLoad.resolved[Outage] < doctorLoad.sent[Outage] ||
                deskLoad.resolved[Outage] < deskLoad.sent[Outage])
                return false;
            waiting = count(notInTreatment);
            return waiting == 0;
        },
        kCatchUpWithinMs - int(msNow() - restartedAtMs), 20);
    const qint64 catchUpMs = msNow() - restartedAtMs;
    for (LoadStation *s : stations)
        s->stopIssuing();
    QVERIFY2(caughtUp, qPrintable(u"not caught up %1 ms after the restart: %2 of %3 doctor's commands of the outage "
                                  u"resolved, %4 visits registered before it not in treatment %5"_s.arg(catchUpMs)
                                      .arg(int(doctorLoad.resolved[Outage]))
                                      .arg(int(doctorLoad.sent[Outage]))
                                      .arg(waiting)
                                      .arg(sqlError) +
                                  logs()));
    const bool drained = pollUntil(
        [&] {
            return std::all_of(stations.begin(), stations.end(), [](LoadStation *s) {
                int sent = 0, resolved = 0;
                for (int p = 0; p < PhaseCount; ++p) {
                    sent += s->sent[std::size_t(p)];
                    resolved += s->resolved[std::size_t(p)];
                }
                return resolved == sent;
            });
        },
        20000, 50);
    for (LoadStation *s : stations) {
        s->abort = !drained;
        s->join();
    }
    for (LoadStation *s : stations)
        QVERIFY2(s->problems.isEmpty(), qPrintable(s->problems.join(u'\n') + logs()));
    QVERIFY2(drained, "the stations' outboxes did not empty");

    // Every command: one outcome however often it was answered, and Applied (nothing here is refused).
    QStringList wrong;
    for (const LoadStation *s : stations) {
        for (const LoadCommand &c : s->commands) {
            if (!c.applied() || c.answers.count(c.answers[0]) != c.answers.size())
                wrong << u"%1 command %2 (%3): %4"_s.arg(s->code(), idText(c.id), phaseName(c.phase),
                                                         c.answers.join(u", then "_s));
        }
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(u"%1 commands not Applied exactly once:\n"_s.arg(wrong.size()) +
                                         wrong.mid(0, 20).join(u'\n') + logs()));

    // The other modules kept their latency.
    std::array<std::vector<qint64>, PhaseCount> latencies;
    for (const LoadStation *s : {&deskLoad, &examinerLoad}) {
        for (const LoadCommand &c : s->commands) {
            latencies[std::size_t(c.phase)].push_back(c.latencyMs());
            if (c.phase == Outage && c.latencyMs() > kAppliedWithinMs)
                wrong << u"%1 command %2 applied %3 ms after it was sent"_s.arg(s->code(), idText(c.id))
                             .arg(c.latencyMs());
        }
    }
    const Figures baseline = figuresOf(latencies[Baseline]);
    const Figures outage = figuresOf(latencies[Outage]);
    // The doctor's commands of the outage: taken at once, applied only once the process was back.
    std::vector<qint64> doctorWaits;
    for (const LoadCommand &c : doctorLoad.commands) {
        if (c.phase != Outage)
            continue;
        doctorWaits.push_back(c.outcomeMs - restartedAtMs);
        if (c.queuedMs == 0 || c.queuedMs - c.firstSentMs > kQueuedWithinMs)
            wrong << u"doctor's command %1 of the outage: no Queued within %2 ms"_s.arg(idText(c.id))
                         .arg(kQueuedWithinMs);
        if (c.outcomeMs < restartedAtMs)
            wrong << u"doctor's command %1 resolved while the diagnosis process was dead: %2"_s.arg(idText(c.id),
                                                                                                    c.answers[0]);
    }
    const Figures doctorCatchUp = figuresOf(doctorWaits);
    qInfo("warm-up: %d visits, %d examinations requested, %.1f s", kWarmVisits, int(warmExams.size()), warmUpSeconds);
    qInfo("reception + examination submit -> Applied: baseline %d commands p50 %lld ms p95 %lld ms max %lld ms; "
          "diagnosis down %d s: %d commands p50 %lld ms p95 %lld ms max %lld ms",
          baseline.count, baseline.p50, baseline.p95, baseline.max, kOutageMs / 1000, outage.count, outage.p50,
          outage.p95, outage.max);
    qInfo("%d doctor's commands Queued during the outage; diagnosis ready %lld ms after the restart began, caught up "
          "after %lld ms (their outcomes p50 %lld ms, last %lld ms after it)",
          outageDoctorCommands, readyAfterMs, catchUpMs, doctorCatchUp.p50, doctorCatchUp.max);
    for (const LoadStation *s : stations)
        qInfo("station %s: %d commands, %d resends, %d Hellos (%d unanswered), %d refused for a while",
              qPrintable(s->code()), int(s->commands.size()), s->resends, s->hellos, s->failedHellos, s->refusals);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 20).join(u'\n') + logs()));
    QCOMPARE(outageDoctorResolvedEarly, 0);
    // The load ran: at least half of what the rates promise in each window.
    QVERIFY2(baseline.count >= (kDeskPerSecond + kExaminerPerSecond) * kBaselineMs / 2000,
             qPrintable(u"only %1 commands in the baseline"_s.arg(baseline.count)));
    QVERIFY2(outage.count >= (kDeskPerSecond + kExaminerPerSecond) * kOutageMs / 2000,
             qPrintable(u"only %1 registrations and examinations during the outage"_s.arg(outage.count)));
    QVERIFY2(outageDoctorCommands >= kDoctorPerSecond * kOutageMs / 2000,
             qPrintable(u"only %1 doctor's commands during the outage"_s.arg(outageDoctorCommands)));
    const qint64 latencyBound = std::max<qint64>(kLatencyFactor * baseline.p95, kLatencyFloorMs);
    QVERIFY2(outage.p95 <= latencyBound,
             qPrintable(u"p95 latency %1 ms while the diagnosis process was down, against %2 ms before (bound %3 ms)"_s
                            .arg(outage.p95)
                            .arg(baseline.p95)
                            .arg(latencyBound)));

    // The database: every command in its context's inbox once, resolved once, at the sequences its station was
    // told; its events in the log, each caused by it; nothing else in the inboxes.
    std::map<QString, std::pair<QString, QString>> rows; // command id -> inbox, "Applied f..l" / "Rejected c"
    for (const QString &context : {u"reception"_s, u"diagnosis"_s, u"examination"_s}) {
        const QString table = context + u"_inbox"_s;
        QSqlQuery q(db);
        QVERIFY2(q.exec(u"SELECT command_id, status, result_code, first_sequence, last_sequence FROM %1"_s.arg(table)),
                 qPrintable(q.lastError().text()));
        while (q.next()) {
            const int status = q.value(1).toInt();
            QStringList seqs;
            for (qint64 s = q.value(3).toLongLong(); status == 1 && s > 0 && s <= q.value(4).toLongLong(); ++s)
                seqs << QString::number(s);
            const QString result = status == 1   ? u"Applied "_s + seqs.join(u',')
                                   : status == 2 ? u"Rejected %1"_s.arg(q.value(2).toInt())
                                                 : u"pending"_s;
            QVERIFY2(rows.emplace(q.value(0).toString(), std::make_pair(context, result)).second,
                     qPrintable(u"command %1 in two inboxes"_s.arg(q.value(0).toString())));
        }
        const qint64 resolutions = count(u"SELECT COUNT(DISTINCT resolution) FROM %1"_s.arg(table));
        const qint64 rowCount = count(u"SELECT COUNT(*) FROM %1"_s.arg(table));
        QVERIFY2(
            rowCount > 0 && resolutions == rowCount,
            qPrintable(
                u"%1: %2 rows, %3 distinct resolutions %4"_s.arg(table).arg(rowCount).arg(resolutions).arg(sqlError)));
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM refused_commands"_s), 0);
    std::size_t sentInAll = warmCommands.size();
    for (const QString &id : warmCommands) {
        const auto row = rows.find(id);
        if (row == rows.end() || !row->second.second.startsWith(u"Applied "_s))
            wrong << u"warm-up command %1: %2"_s.arg(id,
                                                     row == rows.end() ? u"not in any inbox"_s : row->second.second);
    }
    const std::map<QString, QString> inboxOf{
        {u"A"_s, u"reception"_s}, {u"DOC1"_s, u"diagnosis"_s}, {u"LAB1"_s, u"examination"_s}};
    for (const LoadStation *s : stations) {
        sentInAll += s->commands.size();
        for (const LoadCommand &c : s->commands) {
            const auto row = rows.find(idText(c.id));
            if (row == rows.end())
                wrong << u"%1 command %2 (%3): lost, in no inbox"_s.arg(s->code(), idText(c.id), phaseName(c.phase));
            else if (row->second.first != inboxOf.at(s->code()) || row->second.second != c.answers[0])
                wrong << u"%1 command %2 (%3): told %4, the %5 inbox holds %6"_s.arg(
                    s->code(), idText(c.id), phaseName(c.phase), c.answers[0], row->second.first, row->second.second);
        }
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 20).join(u'\n')));
    QCOMPARE(rows.size(), sentInAll);

    // The log, once the saga has settled: what each command and reaction caused, once.
    int visits = kWarmVisits, prescriptions = int(warmExams.size()), performed = 0;
    for (const LoadCommand &c : deskLoad.commands)
        visits += c.applied() ? 1 : 0;
    for (const LoadCommand &c : doctorLoad.commands)
        prescriptions += c.applied() ? 1 : 0;
    for (const LoadCommand &c : examinerLoad.commands)
        performed += c.applied() ? 1 : 0;
    const bool settled = pollUntil(
        [&] {
            return countOf("TreatmentStarted") >= visits && countOf("ExaminationRequested") >= prescriptions &&
                   count(u"SELECT COUNT(*) FROM prescriptions WHERE status = 'performed'"_s) >= performed;
        },
        20000, 100);
    QTest::qWait(1000); // a reaction run twice would show now
    TestStation reader;
    reader.connect(front.port());
    QVERIFY2(reader.hello(u"R"_s, v1::ROLE_RECEPTIONIST), qPrintable(reader.lastError()));
    const EventLogRead log = reader.fetchAllEvents(5000, 30s);
    QVERIFY2(log.ok, qPrintable(reader.lastError()));
    QVERIFY2(checkLogShape(log.events, log.head).isEmpty(), qPrintable(checkLogShape(log.events, log.head)));
    QVERIFY2(checkEventMetadata(log.events).isEmpty(), qPrintable(checkEventMetadata(log.events)));
    std::unordered_map<std::string, std::vector<quint64>> causedBy; // command or event id -> sequences
    for (const v1::Event &e : log.events)
        causedBy[e.causation_id()].push_back(e.sequence());
    for (const auto &[id, row] : rows) {
        QStringList seqs;
        for (quint64 s : causedBy[id.toStdString()])
            seqs << QString::number(s);
        if (row.second != u"Applied "_s + seqs.join(u','))
            wrong << u"command %1: the %2 inbox says %3, the log holds [%4] caused by it"_s.arg(
                id, row.first, row.second, seqs.join(u','));
    }
    // Each reaction once: a registration starts one diagnosis, which starts one treatment; a prescription, one
    // examination request.
    const std::map<std::string, std::string> reaction{{"ReceptionRegistered", "DiagnosisRegistered"},
                                                      {"DiagnosisRegistered", "TreatmentStarted"},
                                                      {"ExaminationPrescribed", "ExaminationRequested"}};
    for (const v1::Event &e : log.events) {
        const auto r = reaction.find(e.type());
        if (r == reaction.end())
            continue;
        const std::vector<quint64> &caused = causedBy[e.id()];
        if (caused.size() != 1 || log.events[caused[0] - 1].type() != r->second)
            wrong << u"%1 at %2 (visit %3) caused %4 events, not one %5"_s.arg(QString::fromStdString(e.type()))
                         .arg(e.sequence())
                         .arg(QString::fromStdString(e.visit_id()))
                         .arg(caused.size())
                         .arg(QString::fromStdString(r->second));
    }
    for (const LoadCommand &c : deskLoad.commands) {
        const QStringList types = typesOf(log.events, c.target);
        if (types.count(u"ReceptionRegistered"_s) != 1 || types.count(u"DiagnosisRegistered"_s) != 1 ||
            types.count(u"TreatmentStarted"_s) != 1)
            wrong << u"visit %1 (registered in the %2): %3"_s.arg(idText(c.target), phaseName(c.phase),
                                                                  types.join(u", "_s));
    }
    QVERIFY2(wrong.isEmpty(),
             qPrintable(u"%1 things wrong in the log:\n"_s.arg(wrong.size()) + wrong.mid(0, 20).join(u'\n') + logs()));
    QVERIFY2(settled, "the saga did not settle");
    QCOMPARE(countEvents(log.events, "ReceptionRegistered"), visits);
    QCOMPARE(countEvents(log.events, "TreatmentStarted"), visits);
    QCOMPARE(countEvents(log.events, "ExaminationRequested"), prescriptions);
    QCOMPARE(countEvents(log.events, "ExaminationPerformed"), performed);
    // The diagnosis module recorded every result performed while it was away.
    QCOMPARE(count(u"SELECT COUNT(*) FROM prescriptions WHERE status = 'performed'"_s), qint64(performed));
    QCOMPARE(count(u"SELECT COUNT(*) FROM prescriptions"_s), qint64(prescriptions));

    for (ServerProcess *p : {&diagnosis, &examination, &reception, &front})
        QVERIFY2(p->terminate(), qPrintable(p->errorString()));
    qInfo("%zu commands in all, each applied once; the log holds %llu events, 1..head; %.1f s in all", sentInAll,
          log.head, runClock.elapsed() / 1000.0);
}

QTEST_GUILESS_MAIN(TestModuleOutage)
#include "TestModuleOutage.moc"
