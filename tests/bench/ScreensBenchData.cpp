// The screens benchmark's data: visits played through the shared rules and saga, written to stores and to the log.
#include "ScreensBenchData.h"

#include "ScreensBenchSupport.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "domain/Diagnosis.h"
#include "store/LocalStore.h"
#include "support/SagaPlayer.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::domain;

namespace clinicflow::bench {

// ---- realistic visits ---------------------------------------------------------------------------------------------

const QStringList kDepartments{u"IM"_s, u"GS"_s, u"PED"_s, u"ORTH"_s};

namespace {

// Where a visit is in its journey when the board opens: every status the board can show.
enum class Stage
{
    WaitingForDoctor,
    AtExaminations,
    OneResultIn,
    ExaminationCancelled,
    ResultsReady,
    Reviewed,
    Completed, // the desk has not confirmed yet
    Refused,
    Closed,
    Cancelled,
    Count
};

const QStringList kNames{u"김민준"_s,      u"이서연"_s,      u"박지호"_s,      u"최하윤"_s,
                         u"정도현"_s,      u"강유나"_s,      u"Maria Lopez"_s, u"John Smith"_s,
                         u"Aiko Tanaka"_s, u"Omar Haddad"_s, u"Eva Novak"_s,   u"Liam Brown"_s};

// One visit's events, played with the shared rules and saga up to `stage`, its steps a few minutes apart from `at`.
Events journey(Stage stage, const RegisterVisit &registration, const QDateTime &at)
{
    fixtures::SagaPlayer player;
    const QUuid visit = registration.receptionId;
    const QUuid dx = diagnosis::idForVisit(visit);
    const QUuid blood = newId();
    const QUuid xray = newId();
    QList<std::pair<Command, QString>> steps{{registration, registration.ticket.station}};
    const auto add = [&](Command c, const QString &station) { steps.append({std::move(c), station}); };
    if (stage == Stage::Cancelled) {
        add(CancelVisit{visit, u"patient left"_s}, registration.ticket.station);
    } else if (stage != Stage::WaitingForDoctor) {
        add(PrescribeExamination{dx, blood, u"BLOOD"_s, {}}, u"DOC1"_s);
        add(PrescribeExamination{dx, xray, u"XRAY"_s, {}}, u"DOC1"_s);
        if (stage != Stage::AtExaminations)
            add(PerformExamination{blood, u"normal"_s}, u"LAB1"_s);
        if (stage == Stage::ExaminationCancelled)
            add(CancelExamination{xray, u"machine down"_s}, u"LAB2"_s);
        else if (stage >= Stage::ResultsReady)
            add(PerformExamination{xray, u"clear"_s}, u"LAB2"_s);
        if (stage >= Stage::Reviewed && stage != Stage::ExaminationCancelled)
            add(ReviewResults{dx, u"fine"_s}, u"DOC1"_s);
        if (stage == Stage::Completed || stage == Stage::Closed)
            add(CompleteTreatment{dx, u"discharged"_s}, u"DOC1"_s);
        if (stage == Stage::Refused)
            add(RefuseTreatment{dx, u"refers elsewhere"_s}, u"DOC1"_s);
        if (stage == Stage::Closed)
            add(ConfirmOutcome{visit}, registration.ticket.station);
    }
    QDateTime when = at;
    for (const auto &[command, station] : steps) {
        player.setNow(when.addSecs(5));
        if (auto done = player.submit(command, CommandMeta{newId(), station, when}); !done)
            qFatal("journey refused: %s", qPrintable(done.error().message()));
        when = when.addSecs(7 * 60);
    }
    return player.log();
}

RegisterVisit registrationFor(int n, const QString &station, int ticket)
{
    RegisterVisit r;
    r.receptionId = newId();
    r.ticket = Ticket{station, ticket};
    r.patient = Patient{{},
                        kNames[n % kNames.size()],
                        QDate(1950 + n % 60, 1 + n % 12, 1 + n % 28),
                        Sex(1 + n % 2),
                        u"010-%1-%2"_s.arg(1000 + n % 9000).arg(1000 + n / 9 % 9000),
                        u"%1 Hospital Road"_s.arg(1 + n % 300),
                        {}};
    r.department = kDepartments[n % kDepartments.size()];
    r.chiefComplaint = u"cough for two weeks"_s;
    r.priority = n % 11 == 0 ? Priority::Urgent : Priority::Normal;
    return r;
}

// Today, local: from midnight until an hour ago (a busy day so far), whatever the hour the bench runs.
std::pair<QDateTime, qint64> todaySpan()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime midnight = QDateTime(QDate::currentDate(), QTime(0, 0)).toUTC();
    return {midnight, std::max<qint64>(60'000, midnight.msecsTo(now) - 3'600'000)};
}

QDateTime shifted(const QDateTime &t, qint64 byMs)
{
    return t.isValid() ? t.addMSecs(byMs) : t;
}

// --visits status rows, as a board station holds them after its snapshot: each a copy of a row the shared
// projection made from a real journey (every stage, every department, urgent and not), with its own visit, ticket,
// patient and arrival time today.
QList<VisitStatus> boardRows(int visits)
{
    QList<VisitStatus> templates;
    const QDateTime t0 = QDateTime::currentDateTimeUtc();
    for (int stage = 0; stage < int(Stage::Count); ++stage) {
        for (int n = 0; n < kDepartments.size() * 2; ++n) {
            RegisterVisit r = registrationFor(n, u"A"_s, 1 + n);
            r.department = kDepartments[n / 2];
            r.priority = n % 2 ? Priority::Urgent : Priority::Normal;
            std::optional<VisitStatus> row;
            for (const Event &e : journey(Stage(stage), r, t0))
                project(row, e);
            templates.append(*row);
        }
    }
    const auto [midnight, span] = todaySpan();
    QList<VisitStatus> rows;
    rows.reserve(visits);
    for (int i = 0; i < visits; ++i) {
        VisitStatus v = templates[(i * 7919) % templates.size()]; // stages mixed along the day
        const qint64 by = t0.msecsTo(midnight.addMSecs(span * i / std::max(1, visits)));
        v.visitId = newId();
        if (!v.diagnosisId.isNull())
            v.diagnosisId = diagnosis::idForVisit(v.visitId);
        v.ticket = Ticket{QString(QChar(u'A' + i / 9999 % 26)), 1 + i % 9999}.toString();
        v.patientName = kNames[i % kNames.size()];
        v.receivedAt = shifted(v.receivedAt, by);
        v.seenAt = shifted(v.seenAt, by);
        v.finishedAt = shifted(v.finishedAt, by);
        v.updatedAt = shifted(v.updatedAt, by);
        v.lastSequence = quint64(i) + 1;
        rows.append(std::move(v));
    }
    return rows;
}

} // namespace

int makeBoardStore(const QString &path, int visits)
{
    QElapsedTimer clock;
    clock.start();
    auto store = LocalStore::open(path);
    if (!store) {
        std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(path), qPrintable(store.error().message()));
        return 1;
    }
    (void)store.value()->setStationCode(u"BRD"_s);
    (void)store.value()->setRole(Role::Board);
    const QList<VisitStatus> rows = boardRows(visits);
    if (auto done = store.value()->applySnapshot(rows, quint64(visits)); !done) {
        std::fprintf(stderr, "snapshot refused: %s\n", qPrintable(done.error().message()));
        return 1;
    }
    std::printf("  (board store written by a child process: %d visits in %.1f s)\n", visits, clock.elapsed() / 1e3);
    return 0;
}

bool fillDeskStore(LocalStore &store, int visits)
{
    const auto [midnight, span] = todaySpan();
    QList<Event> log;
    for (int i = 0; i < visits; ++i) {
        const RegisterVisit r = registrationFor(i, i % 2 ? u"C"_s : u"B"_s, 1 + i / 2);
        const QDateTime at = midnight.addMSecs(span * i / std::max(1, visits));
        for (Event &e : journey(Stage((i * 7) % int(Stage::Count)), r, at)) {
            e.sequence = quint64(log.size()) + 1;
            log.append(std::move(e));
        }
    }
    for (qsizetype i = 0; i < log.size(); i += 1000) {
        if (auto applied = store.applyEvents(log.mid(i, 1000)); !applied) {
            std::fprintf(stderr, "desk fill refused: %s\n", qPrintable(applied.error().message()));
            return false;
        }
    }
    return true;
}

bool fillLog(testsupport::TestStation &desk, quint64 events)
{
    int n = 0;
    while (true) {
        const auto pong = desk.ping(10s);
        if (!pong)
            return false;
        if (pong->head_sequence() >= events)
            return true;
        const quint64 wanted = std::min<quint64>(400, (events - pong->head_sequence() + 2) / 3 + 1);
        QList<QUuid> sent;
        for (quint64 i = 0; i < wanted; ++i)
            sent.append(desk.submit(testsupport::registerVisit(kDepartments[n++ % kDepartments.size()])));
        for (const QUuid &id : std::as_const(sent)) {
            if (!desk.waitOutcome(id, 30s).answered)
                return false;
        }
    }
}

// ---- stations and windows -----------------------------------------------------------------------------------------

// The endpoints of a server that is not there: the station runs offline, as the app does before the server answers.
const QString kNoServer = u"tcp://127.0.0.1:9"_s;

std::unique_ptr<Workstation> openStation(const QString &path, const QString &code, Role role, const QString &requests,
                                         const QString &publish, const security::ClientKeys &keys)
{
    WorkstationSettings settings;
    // An offline station still has keys of the right shape; it never uses them.
    settings.keys = keys.isValid()
                        ? keys
                        : security::ClientKeys{security::KeyPair::generate().publicKey, security::KeyPair::generate()};
    settings.storePath = path;
    settings.station = code;
    settings.role = role;
    settings.requestEndpoint = requests;
    settings.publishEndpoint = publish;
    auto opened = Workstation::open(settings);
    if (!opened) {
        std::fprintf(stderr, "cannot open station %s: %s\n", qPrintable(code), qPrintable(opened.error().message()));
        return nullptr;
    }
    return std::move(opened).value();
}

void activate(QWidget *window)
{
    QApplication::setActiveWindow(window);
    waitUntil([window] { return QApplication::activeWindow() == window; }, 2000);
}

} // namespace clinicflow::bench
