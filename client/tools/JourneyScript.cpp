// One patient's journey through four headless stations (see JourneyScript.h).
#include "JourneyScript.h"

#include "HeadlessStation.h"
#include "domain/Diagnosis.h"
#include "store/LocalStore.h"

#include <QDateTime>
#include <QDir>
#include <QTimer>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

namespace {

template<typename T>
Result<bool> done(const Result<T> &result)
{
    return result ? Result<bool>(true) : Result<bool>(result.error());
}

void say(const QString &line)
{
    std::printf("%s %s\n", qPrintable(QDateTime::currentDateTime().toString(u"HH:mm:ss"_s)), qPrintable(line));
    std::fflush(stdout);
}

} // namespace

JourneyScript::JourneyScript(QString server, QString pub, QString dataDir, int stepTimeoutSeconds, QObject *parent)
    : QObject(parent)
    , m_server(std::move(server))
    , m_pub(std::move(pub))
    , m_dataDir(std::move(dataDir))
    , m_timeoutMs(stepTimeoutSeconds * 1000)
{
}

JourneyScript::~JourneyScript() = default;

std::unique_ptr<Workstation> JourneyScript::open(const QString &code, Role role)
{
    auto opened = HeadlessStations{m_server, m_pub, m_dataDir, m_enrolmentDir}.open(code, role);
    if (!opened) {
        fail(u"station %1 cannot open: %2"_s.arg(code, opened.error().message()));
        return nullptr;
    }
    return std::move(opened).value();
}

void JourneyScript::start()
{
    QDir().mkpath(m_dataDir);
    say(u"[journey] four stations against %1 (stores in %2)"_s.arg(m_server, m_dataDir));
    m_desk = open(u"JD"_s, Role::Receptionist);
    m_doctor = open(u"JK"_s, Role::Doctor);
    m_examiner = open(u"JL"_s, Role::Examiner);
    m_board = open(u"JB"_s, Role::Board);
    if (!m_desk || !m_doctor || !m_examiner || !m_board)
        return;
    for (Workstation *s : {m_desk.get(), m_doctor.get(), m_examiner.get(), m_board.get()})
        s->start();
    connect(&m_board->store(), &LocalStore::visitChanged, this, &JourneyScript::printVisit);

    const auto diagnosisId = [this] { return diagnosis::idForVisit(m_visit); };
    const auto status = [this](Workstation &s) { return s.store().visit(m_visit); };
    m_steps = {
        {u"the desk registers a patient for internal medicine"_s,
         [this] {
             RegisterVisit r;
             r.patient.name = u"Journey Patient"_s;
             r.patient.birthDate = QDate(1980, 5, 17);
             r.department = u"IM"_s;
             r.requestedDoctor = u"dr.kim"_s; // JK's doctor: a doctor acts on their own patients only
             r.chiefComplaint = u"persistent cough"_s;
             auto visit = m_desk->store().registerVisit(r);
             if (visit)
                 m_visit = visit->visitId;
             return done(visit);
         },
         [this, status] { return status(*m_doctor) && status(*m_doctor)->diagnosisStatus.has_value(); }},
        {u"the doctor prescribes a blood test and an X-ray"_s,
         [this, diagnosisId] {
             m_exams = {newId(), newId()};
             auto blood = m_doctor->store().submit(PrescribeExamination{diagnosisId(), m_exams[0], u"BLOOD"_s, {}});
             if (!blood)
                 return done(blood);
             return done(m_doctor->store().submit(PrescribeExamination{diagnosisId(), m_exams[1], u"XRAY"_s, {}}));
         },
         [this] {
             return m_examiner->store().examination(m_exams.value(1)).has_value() &&
                    m_examiner->store().examination(m_exams.value(0)).has_value();
         }},
        {u"the examiner performs the blood test and cancels the X-ray"_s,
         [this] {
             auto performed = m_examiner->store().submit(PerformExamination{m_exams[0], u"within normal limits"_s});
             if (!performed)
                 return done(performed);
             return done(m_examiner->store().submit(CancelExamination{m_exams[1], u"machine out of order"_s}));
         },
         [this, status] {
             const auto row = status(*m_doctor);
             return row && row->diagnosisStatus == DiagnosisStatus::ResultsReady;
         }},
        {u"the doctor reviews the results"_s,
         [this, diagnosisId] {
             return done(m_doctor->store().submit(ReviewResults{diagnosisId(), u"normal"_s}));
         },
         [this] { return m_doctor->store().pendingCount() == 0; }},
        {u"the doctor completes the treatment"_s,
         [this, diagnosisId] {
             return done(m_doctor->store().submit(CompleteTreatment{diagnosisId(), u"rest and fluids"_s}));
         },
         [this, status] {
             const auto row = status(*m_desk);
             return row && row->receptionStatus == ReceptionStatus::TreatmentCompleted;
         }},
        {u"the desk confirms the outcome"_s, [this] { return done(m_desk->store().submit(ConfirmOutcome{m_visit})); },
         [this, status] {
             const auto row = status(*m_board);
             return row && row->receptionStatus == ReceptionStatus::Closed && m_desk->store().pendingCount() == 0;
         }},
    };
    next();
}

void JourneyScript::printVisit(const QUuid &visitId)
{
    if (visitId != m_visit)
        return;
    const auto row = m_board->store().visit(visitId);
    if (!row)
        return;
    const QString line = u"[board] %1  visit %2, consultation %3, examinations %4/%5, doctor %6"_s
                             .arg(row->ticket, toString(row->receptionStatus),
                                  row->diagnosisStatus ? toString(*row->diagnosisStatus) : u"-"_s)
                             .arg(row->examsPerformed + row->examsCancelled)
                             .arg(row->examsPrescribed - row->examsWithdrawn)
                             .arg(row->doctor.isEmpty() ? u"-"_s : row->doctor);
    if (line != m_lastLine)
        say(line);
    m_lastLine = line;
}

void JourneyScript::next()
{
    if (m_step >= 0) {
        const Step &step = m_steps[m_step];
        if (!step.done()) {
            if (QDateTime::currentMSecsSinceEpoch() - m_stepStarted > m_timeoutMs) {
                fail(u"no answer within %1 s after: %2 (is the server running at %3?)"_s.arg(m_timeoutMs / 1000)
                         .arg(step.what, m_server));
                return;
            }
            QTimer::singleShot(100, this, &JourneyScript::next);
            return;
        }
    }
    if (++m_step >= m_steps.size()) {
        say(u"[journey] done: the visit went from the desk to the doctor, the lab and back, and is closed"_s);
        Q_EMIT finished(0);
        return;
    }
    say(u"[step %1/%2] %3"_s.arg(m_step + 1).arg(m_steps.size()).arg(m_steps[m_step].what));
    m_stepStarted = QDateTime::currentMSecsSinceEpoch();
    if (auto acted = m_steps[m_step].act(); !acted) {
        fail(u"refused: %1"_s.arg(acted.error().message()));
        return;
    }
    QTimer::singleShot(100, this, &JourneyScript::next);
}

void JourneyScript::fail(const QString &why)
{
    say(u"[journey] failed: %1"_s.arg(why));
    Q_EMIT finished(1);
}

} // namespace clinicflow::client
