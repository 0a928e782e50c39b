// A clinic morning played through headless stations (see MorningScript.h).
#include "MorningScript.h"

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

const QStringList kNames{u"김민준"_s, u"이서연"_s, u"박지호"_s, u"최하윤"_s, u"정도현"_s, u"강유나"_s,
                         u"조서준"_s, u"윤지우"_s, u"장하은"_s, u"임예준"_s, u"한수아"_s, u"오시우"_s,
                         u"서지민"_s, u"신은우"_s, u"권하린"_s, u"황지안"_s, u"안도윤"_s, u"송채원"_s,
                         u"전건우"_s, u"홍다은"_s, u"유준서"_s, u"고서윤"_s, u"문태윤"_s, u"양소율"_s,
                         u"손민재"_s, u"배나은"_s, u"백현우"_s, u"허지아"_s, u"남궁민"_s, u"노윤서"_s};
const QStringList kComplaints{u"기침이 2주째 계속됨"_s, u"복통"_s,      u"발목 염좌"_s, u"고열과 오한"_s,
                              u"두통, 어지러움"_s,      u"허리 통증"_s, u"피부 발진"_s, u"가슴 답답함"_s};
const QStringList kDepartments{u"IM"_s, u"IM"_s, u"GS"_s, u"ORTH"_s, u"PED"_s};
const QStringList kExams{u"BLOOD"_s, u"XRAY"_s, u"URINE"_s, u"CT"_s, u"ECG"_s, u"US"_s};
// A room per doctor of the roster (a doctor acts on their own patients only), each enrolled for its doctor.
const std::vector<std::pair<QString, QString>> kDoctorRooms{{u"MD"_s, u"dr.kim"_s},   {u"MD2"_s, u"dr.lee"_s},
                                                            {u"MD3"_s, u"dr.park"_s}, {u"MD4"_s, u"dr.choi"_s},
                                                            {u"MD5"_s, u"dr.jung"_s}, {u"MD6"_s, u"dr.kang"_s}};

} // namespace

MorningScript::MorningScript(QString server, QString pub, QString dataDir, int patients, QObject *parent)
    : QObject(parent)
    , m_server(std::move(server))
    , m_pub(std::move(pub))
    , m_dataDir(std::move(dataDir))
    , m_count(patients)
{
}

MorningScript::~MorningScript() = default;

std::unique_ptr<Workstation> MorningScript::open(const QString &code, Role role)
{
    auto opened = HeadlessStations{m_server, m_pub, m_dataDir, m_enrolmentDir}.open(code, role);
    if (!opened) {
        fail(u"station %1 cannot open: %2"_s.arg(code, opened.error().message()));
        return nullptr;
    }
    return std::move(opened).value();
}

void MorningScript::start()
{
    QDir().mkpath(m_dataDir);
    // Two desks, one examination room, and a room per doctor.
    std::vector<std::pair<QString, Role>> stations{
        {u"MA"_s, Role::Receptionist}, {u"MB"_s, Role::Receptionist}, {u"ML"_s, Role::Examiner}};
    for (const auto &room : kDoctorRooms)
        stations.emplace_back(room.first, Role::Doctor);
    for (const auto &[code, role] : stations) {
        auto station = open(code, role);
        if (!station)
            return;
        station->start();
        m_stations.push_back(std::move(station));
    }
    for (std::size_t i = 0; i < kDoctorRooms.size(); ++i)
        m_doctorRooms.insert(kDoctorRooms[i].second, m_stations[3 + i].get());
    const QList<Fate> fates{Fate::Waiting,          Fate::Waiting,  Fate::AtExaminations,
                            Fate::ResultsReady,     Fate::Reviewed, Fate::ToConfirmCompleted,
                            Fate::ToConfirmRefused, Fate::Closed,   Fate::Cancelled,
                            Fate::AtExaminations};
    for (int i = 0; i < m_count; ++i) {
        Workstation &desk = *m_stations[std::size_t(i % 2)];
        RegisterVisit r;
        r.patient.name = kNames[i % kNames.size()];
        r.patient.birthDate = QDate(1950 + (i * 7) % 60, 1 + i % 12, 1 + (i * 3) % 28);
        r.patient.sex = i % 2 ? Sex::Female : Sex::Male;
        r.patient.phone = u"010-%1-%2"_s.arg(2000 + i * 37).arg(5000 + i * 91);
        // The first ten are dr.kim's, one in each state, so his room shows a whole morning; the rest go wherever
        // the saga sends them.
        r.department = i < 10 ? u"IM"_s : kDepartments[i % kDepartments.size()];
        if (i < 10)
            r.requestedDoctor = u"dr.kim"_s;
        r.chiefComplaint = kComplaints[i % kComplaints.size()];
        r.priority = i % 7 == 3 ? Priority::Urgent : Priority::Normal;
        auto visit = desk.store().registerVisit(r);
        if (!visit) {
            fail(u"registration refused: %1"_s.arg(visit.error().message()));
            return;
        }
        m_patients.append(Patient{visit->visitId, fates[i % fates.size()], {}, 0});
    }
    m_started = QDateTime::currentMSecsSinceEpoch();
    tick();
}

// One step of a patient's script when the saga has caught up with the last; true when it has nothing left to do.
bool MorningScript::advance(Patient &p)
{
    for (const auto &station : m_stations) {
        if (station->store().pendingCount() > 0)
            return false;
    }
    LocalStore &desk = m_stations[0]->store();
    LocalStore &lab = m_stations[2]->store();
    // The room of the doctor the saga assigned acts on the patient.
    const auto assigned = desk.visit(p.visit);
    if (!assigned || assigned->doctor.isEmpty())
        return false;
    Workstation *room = m_doctorRooms.value(assigned->doctor);
    if (!room) {
        fail(u"no room for %1, whom the saga assigned"_s.arg(assigned->doctor));
        return true;
    }
    LocalStore &doctor = room->store();
    const auto row = doctor.visit(p.visit);
    if (!row)
        return false;
    const QUuid dx = diagnosis::idForVisit(p.visit);
    const auto dStatus = row->diagnosisStatus;
    switch (p.stage) {
    case 0: // a doctor was assigned
        if (!dStatus)
            return false;
        if (p.fate == Fate::Waiting)
            return true;
        if (p.fate == Fate::Cancelled) {
            (void)m_stations[std::size_t(p.visit.data1 % 2)]->store().submit(CancelVisit{p.visit, u"귀가"_s});
            p.stage = 9;
            return false;
        }
        if (p.fate == Fate::ToConfirmCompleted || p.fate == Fate::Closed) {
            (void)doctor.submit(CompleteTreatment{dx, u"경과 관찰"_s});
            p.stage = 5;
            return false;
        }
        for (int n = 0; n < (p.fate == Fate::ToConfirmRefused ? 1 : 2); ++n) {
            const QUuid x = newId();
            if (doctor.submit(PrescribeExamination{dx, x, kExams[(p.visit.data2 + n) % kExams.size()], {}}))
                p.exams.append(x);
        }
        p.stage = 1;
        return false;
    case 1: // the examinations reached the lab
        for (const QUuid &x : p.exams) {
            if (!lab.examination(x))
                return false;
        }
        if (p.fate == Fate::AtExaminations)
            return true;
        if (p.fate == Fate::ToConfirmRefused) {
            (void)doctor.submit(RefuseTreatment{dx, u"환자가 치료를 거부함"_s});
            p.stage = 5;
            return false;
        }
        (void)lab.submit(PerformExamination{p.exams[0], u"정상 범위"_s});
        if (p.exams.size() > 1)
            (void)lab.submit(CancelExamination{p.exams[1], u"장비 점검 중"_s});
        p.stage = 2;
        return false;
    case 2: // results ready
        if (dStatus != DiagnosisStatus::ResultsReady)
            return false;
        if (p.fate == Fate::ResultsReady)
            return true;
        (void)doctor.submit(ReviewResults{dx, u"이상 소견 없음"_s});
        p.stage = 3;
        return false;
    case 3:
        return dStatus == DiagnosisStatus::Reviewed;
    case 5: // the outcome reached the desk
        if (row->receptionStatus != ReceptionStatus::TreatmentCompleted &&
            row->receptionStatus != ReceptionStatus::TreatmentRefused)
            return false;
        if (p.fate != Fate::Closed)
            return true;
        (void)desk.submit(ConfirmOutcome{p.visit});
        p.stage = 6;
        return false;
    case 6:
        return row->receptionStatus == ReceptionStatus::Closed;
    case 9:
        return row->receptionStatus == ReceptionStatus::Cancelled;
    default:
        return true;
    }
}

void MorningScript::tick()
{
    bool allDone = true;
    for (Patient &p : m_patients)
        allDone = advance(p) && allDone;
    if (allDone) {
        std::printf("[morning] %d patients in every state of the day\n", int(m_patients.size()));
        Q_EMIT finished(0);
        return;
    }
    if (QDateTime::currentMSecsSinceEpoch() - m_started > 120'000) {
        fail(u"the morning did not settle within two minutes (is the server running at %1?)"_s.arg(m_server));
        return;
    }
    QTimer::singleShot(100, this, &MorningScript::tick);
}

void MorningScript::fail(const QString &why)
{
    std::printf("[morning] failed: %s\n", qPrintable(why));
    Q_EMIT finished(1);
}

} // namespace clinicflow::client
