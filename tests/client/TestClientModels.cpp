// The workstation models of the desk, the doctor and the examiner (the board's: TestStatusBoardModel.cpp) over a
// real local store, each watched by QAbstractItemModelTester (Fatal) while the store changes under it: this station's
// actions (optimistic), the server's events (from the shared rules and saga), outcomes and rejections. Rows must
// appear, change in place, move and leave as a journey progresses; a full reset only on a snapshot or a replica reset.
#include "models/DoctorQueueModel.h"
#include "models/ExaminerQueueModel.h"
#include "models/ModelText.h"
#include "models/OutcomeConfirmationModel.h"
#include "models/StatusTone.h"
#include "models/TodayVisitsModel.h"
#include "models/VisitHistoryModel.h"
#include "support/ModelWatch.h"
#include "support/StoreHarness.h"

#include <QRandomGenerator>
#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

// A model whose sort keys the test sets, to drive SortedRowsModel's moves directly.
class KeyedModel final : public SortedRowsModel
{
public:
    explicit KeyedModel(LocalStore &store)
        : SortedRowsModel(store, {"Key"}, {}, nullptr)
    {
        reload();
    }
    QHash<QUuid, int> keys;

protected:
    QVariant text(int row, int) const override { return keys.value(idAt(row)); }
    QVariant value(int, int) const override { return {}; }

    QList<RowKey> rowsOf(const QUuid &visitId) const override
    {
        if (!keys.contains(visitId))
            return {};
        return {RowKey{0, keys.value(visitId), {}, 0, visitId}};
    }
};

} // namespace

class TestClientModels : public QObject
{
    Q_OBJECT

private slots:
    void sortedRowsMoveInPlace();
    void todayVisits();
    void outcomeConfirmation();
    void doctorQueue();
    void examinerQueue();
    void todayVisitsKeepLastNightsOpenVisits();
    void visitHistory();
    void agesNamesAndTones();
};

void TestClientModels::sortedRowsMoveInPlace()
{
    StoreFixture f;
    QList<QUuid> ids;
    for (int n = 0; n < 12; ++n)
        ids.append(f->registerVisit(registration(u"P%1"_s.arg(n)))->visitId);
    KeyedModel model(f.store());
    Watch w(&model);
    QCOMPARE(model.rowCount(), 0);
    auto *rng = QRandomGenerator::global();
    for (int step = 0; step < 300; ++step) {
        const QUuid id = ids[int(rng->bounded(ids.size()))];
        if (rng->bounded(6) == 0)
            model.keys.remove(id); // leaves
        else
            model.keys[id] = int(rng->bounded(20)); // enters, or moves (ties broken by id)
        emit f->visitChanged(id);
        QList<std::pair<int, QUuid>> expected;
        for (auto it = model.keys.cbegin(); it != model.keys.cend(); ++it)
            expected.append({it.value(), it.key()});
        std::sort(expected.begin(), expected.end());
        QCOMPARE(model.rowCount(), int(expected.size()));
        for (int r = 0; r < model.rowCount(); ++r) {
            QCOMPARE(model.idAt(r), expected[r].second);
            QCOMPARE(model.rowOf(expected[r].second), r);
        }
    }
    QVERIFY(w.moved.count() > 0);
    QCOMPARE(w.reset.count(), 0);
}

void TestClientModels::todayVisits()
{
    StoreFixture f;
    QVERIFY(f->setRole(Role::Receptionist).ok());
    FakeServer server;
    const QDate today = startTime().toLocalTime().date();
    TodayVisitsModel model(f.store(), today);
    Watch w(&model);
    verifyHeaders(model);
    QCOMPARE(model.columnCount(), int(TodayVisitsModel::ColumnCount));

    const auto kim = f->registerVisit(registration(u"Kim Jiwoo"_s));
    QCOMPARE(w.inserted.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex first = model.index(0, TodayVisitsModel::TicketColumn);
    QCOMPARE(first.data().toString(), u"A-001"_s);
    QCOMPARE(model.index(0, TodayVisitsModel::PatientColumn).data().toString(), u"Kim Jiwoo"_s);
    QCOMPARE(model.index(0, TodayVisitsModel::DepartmentColumn).data().toString(), u"Internal medicine"_s);
    QCOMPARE(model.index(0, TodayVisitsModel::StatusColumn).data().toString(), u"Received"_s);
    QCOMPARE(model.index(0, TodayVisitsModel::PendingColumn).data().toString(), u"Pending"_s);
    QCOMPARE(first.data(TodayVisitsModel::PendingRole).toBool(), true);
    QCOMPARE(first.data(TodayVisitsModel::IdRole).toUuid(), kim->visitId);

    f.advance(60);
    QVERIFY(f->registerVisit(registration(u"Lee Minho"_s, u"GS"_s)));
    registerElsewhere(server, u"B"_s, 1, startTime().addSecs(30));         // another desk, today
    registerElsewhere(server, u"B"_s, 2, startTime().addSecs(-48 * 3600)); // two days ago: not listed
    catchUp(f, server);
    QCOMPARE(column(model, TodayVisitsModel::TicketColumn), (QStringList{u"A-001"_s, u"A-002"_s, u"B-001"_s}));
    QCOMPARE(w.inserted.count(), 3);

    w.clear();
    server.sync(f.store()); // the desk's two registrations reach the server and come back as events
    QCOMPARE(w.inserted.count(), 0);
    QCOMPARE(w.removed.count(), 0);
    QCOMPARE(w.reset.count(), 0);
    QVERIFY(w.changed.count() >= 2);
    // In treatment, said as the desk needs it: where the patient is now.
    QCOMPARE(column(model, TodayVisitsModel::StatusColumn),
             (QStringList{u"Waiting for the doctor"_s, u"Waiting for the doctor"_s, u"Waiting for the doctor"_s}));
    QCOMPARE(column(model, TodayVisitsModel::DoctorColumn),
             (QStringList{u"Kim Minjun"_s, u"Park Jiho"_s, u"Kim Minjun"_s}));
    QCOMPARE(column(model, TodayVisitsModel::PendingColumn), (QStringList{{}, {}, {}}));

    w.clear();
    QVERIFY(f->submit(CancelVisit{kim->visitId, u"left"_s}));
    QCOMPARE(w.changed.count(), 1);
    QCOMPARE(model.index(0, TodayVisitsModel::StatusColumn).data().toString(), u"Cancelled"_s);
    QCOMPARE(model.index(0, 0).data(TodayVisitsModel::StatusRole).toString(), u"cancelled"_s);
    QCOMPARE(model.rowCount(), 3);

    // The only full reset: the replica is wiped, and the pending cancel has no visit left to show on.
    // A roster from the server renames the department: repainted in place.
    w.clear();
    const Catalogue builtIn = Catalogue::builtIn();
    QList<Department> departments = builtIn.departments();
    departments[0].name = u"General medicine"_s; // IM
    departments[1].name = u"Surgery"_s;          // GS
    QVERIFY(f->setCatalogue(Catalogue(departments, builtIn.doctors(), builtIn.examinations())).ok());
    QCOMPARE(column(model, TodayVisitsModel::DepartmentColumn),
             (QStringList{u"General medicine"_s, u"Surgery"_s, u"General medicine"_s}));
    QVERIFY(w.changed.count() >= 1);
    QCOMPARE(w.reset.count(), 0);

    QVERIFY(f->resetReplica().ok());
    QCOMPARE(w.reset.count(), 1);
    QCOMPARE(model.rowCount(), 0);
    server.sync(f.store());
    QCOMPARE(model.rowCount(), 3);
    // The next day lists the two patients still in the desk's care; the day after, none.
    model.setDay(today.addDays(1));
    QCOMPARE(column(model, TodayVisitsModel::TicketColumn), (QStringList{u"A-002"_s, u"B-001"_s}));
    model.setDay(today.addDays(2));
    QCOMPARE(model.rowCount(), 0);
}

// A desk left running overnight: after midnight it moves on to the new day by itself, and a patient registered
// before midnight and still there stays on its list, first, until the visit ends.
void TestClientModels::todayVisitsKeepLastNightsOpenVisits()
{
    StoreFixture f;
    QVERIFY(f->setRole(Role::Receptionist).ok());
    FakeServer server;
    const QDate today = startTime().toLocalTime().date();
    const auto [waiting, morning] = aroundMidnight(server);
    catchUp(f, server);

    TodayVisitsModel model(f.store()); // follows the clock's day
    QDateTime now = startTime();
    model.setClock([&now] { return now; });
    QCOMPARE(model.day(), today);
    Watch w(&model);
    QCOMPARE(column(model, TodayVisitsModel::TicketColumn), (QStringList{u"A-091"_s, u"A-001"_s}));
    QCOMPARE(model.idAt(0), waiting);

    server.act(CancelVisit{waiting, u"left"_s}, u"A"_s, startTime().addSecs(60));
    catchUp(f, server);
    QCOMPARE(column(model, TodayVisitsModel::TicketColumn), (QStringList{u"A-001"_s}));
    QCOMPARE(w.removed.count(), 1);
    QCOMPARE(w.reset.count(), 0);

    // Five past midnight: the next refresh moves it on; the morning's patient, still waiting, stays.
    now = QDateTime(today.addDays(1), QTime(0, 5)).toUTC();
    model.refreshWaiting();
    QCOMPARE(model.day(), today.addDays(1));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.idAt(0), morning);
    // A model given its day keeps it.
    TodayVisitsModel fixed(f.store(), today);
    fixed.setClock([&now] { return now; });
    QCOMPARE(fixed.day(), today);
}

void TestClientModels::outcomeConfirmation()
{
    StoreFixture f;
    QVERIFY(f->setRole(Role::Receptionist).ok());
    FakeServer server;
    OutcomeConfirmationModel model(f.store());
    Watch w(&model);
    verifyHeaders(model);
    const QUuid early = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid late = registerElsewhere(server, u"A"_s, 2, startTime().addSecs(600), u"dr.kim"_s);
    catchUp(f, server);
    QCOMPARE(model.rowCount(), 0);

    server.act(RefuseTreatment{diagnosis::idForVisit(late), u"declined"_s}, u"DOC1"_s, startTime().addSecs(900));
    catchUp(f, server);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, OutcomeConfirmationModel::OutcomeColumn).data().toString(), u"Treatment refused"_s);
    QCOMPARE(model.index(0, OutcomeConfirmationModel::NoteColumn).data().toString(), u"declined"_s);
    // The doctor's note goes with the outcome to the desk, which tells the patient (one line in the table).
    server.act(CompleteTreatment{diagnosis::idForVisit(early), u"tension headache\nback in two weeks"_s}, u"DOC1"_s,
               startTime().addSecs(960));
    catchUp(f, server);
    QCOMPARE(model.index(0, OutcomeConfirmationModel::NoteColumn).data().toString(),
             u"tension headache · back in two weeks"_s);
    QCOMPARE(column(model, OutcomeConfirmationModel::TicketColumn), (QStringList{u"A-001"_s, u"A-002"_s}));
    QCOMPARE(column(model, 0, OutcomeConfirmationModel::StatusRole),
             (QStringList{u"treatment_completed"_s, u"treatment_refused"_s}));
    QCOMPARE(model.index(0, OutcomeConfirmationModel::DoctorColumn).data().toString(), u"Kim Minjun"_s);

    w.clear();
    const auto confirm = f->submit(ConfirmOutcome{early});
    QVERIFY(confirm);
    QCOMPARE(w.removed.count(), 1); // gone from the desk's list at once
    QCOMPARE(column(model, OutcomeConfirmationModel::TicketColumn), QStringList{u"A-002"_s});
    QVERIFY(f->markOutcome({confirm.value(), false, {}, makeError(ErrorCode::InternalError)}).value());
    QCOMPARE(w.inserted.count(), 1); // rejected: back in its place
    QCOMPARE(column(model, OutcomeConfirmationModel::TicketColumn), (QStringList{u"A-001"_s, u"A-002"_s}));
    QVERIFY(f->submit(ConfirmOutcome{early}));
    QVERIFY(f->submit(ConfirmOutcome{late}));
    QCOMPARE(model.rowCount(), 0);
    server.sync(f.store());
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(f->pendingCount(), 0);
    QCOMPARE(w.reset.count(), 0);
}

void TestClientModels::doctorQueue()
{
    StoreFixture f(u"DOC1"_s);
    QVERIFY(f->setRole(Role::Doctor).ok());
    FakeServer server;
    const QUuid v1 = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    catchUp(f, server);
    DoctorQueueModel model(f.store(), u"dr.kim"_s);
    Watch w(&model);
    verifyHeaders(model);
    model.setClock([] { return startTime().addSecs(25 * 60); });
    QCOMPARE(model.rowCount(), 1); // built from what the store already had

    const QUuid v2 = registerElsewhere(server, u"A"_s, 2, startTime().addSecs(300), u"dr.kim"_s);
    const QUuid v3 = registerElsewhere(server, u"A"_s, 3, startTime().addSecs(600), u"dr.kim"_s, Priority::Urgent);
    registerElsewhere(server, u"A"_s, 4, startTime().addSecs(60), u"dr.lee"_s); // another doctor's patient
    catchUp(f, server);
    QCOMPARE(column(model, DoctorQueueModel::TicketColumn), (QStringList{u"A-003"_s, u"A-001"_s, u"A-002"_s}));
    QCOMPARE(column(model, DoctorQueueModel::PriorityColumn), (QStringList{u"Urgent"_s, u"Normal"_s, u"Normal"_s}));
    QCOMPARE(column(model, DoctorQueueModel::WaitingColumn), (QStringList{u"15 min"_s, u"25 min"_s, u"20 min"_s}));
    QCOMPARE(model.index(1, 0).data(DoctorQueueModel::IdRole).toUuid(), diagnosis::idForVisit(v1));
    QCOMPARE(model.index(1, 0).data(DoctorQueueModel::VisitIdRole).toUuid(), v1);

    // Prescribing sends the patient to the examinations: below the patients still waiting, moved, not rebuilt.
    w.clear();
    f.setNow(startTime().addSecs(20 * 60));
    QVERIFY(f->submit(PrescribeExamination{diagnosis::idForVisit(v1), newId(), u"BLOOD"_s, {}}));
    QCOMPARE(w.moved.count(), 1);
    QCOMPARE(w.inserted.count() + w.removed.count() + w.reset.count(), 0);
    QCOMPARE(column(model, DoctorQueueModel::TicketColumn), (QStringList{u"A-003"_s, u"A-002"_s, u"A-001"_s}));
    QCOMPARE(model.index(2, DoctorQueueModel::StatusColumn).data().toString(), u"Examinations pending"_s);
    QCOMPARE(model.index(2, DoctorQueueModel::ExaminationsColumn).data().toString(), u"0/1"_s);
    QCOMPARE(model.index(2, 0).data(DoctorQueueModel::PendingRole).toBool(), true);
    QCOMPARE(model.index(2, DoctorQueueModel::WaitingColumn).data().toString(), u"20 min"_s); // seen: wait ended

    server.act(CancelVisit{v2, u"left"_s}, u"A"_s, startTime().addSecs(21 * 60));
    catchUp(f, server);
    QCOMPARE(w.removed.count(), 1);
    QCOMPARE(column(model, DoctorQueueModel::TicketColumn), (QStringList{u"A-003"_s, u"A-001"_s}));

    QVERIFY(f->submit(RefuseTreatment{diagnosis::idForVisit(v3), u"declined"_s}));
    QCOMPARE(column(model, DoctorQueueModel::TicketColumn), QStringList{u"A-001"_s});
    server.sync(f.store());
    QCOMPARE(column(model, DoctorQueueModel::TicketColumn), QStringList{u"A-001"_s});
    QCOMPARE(model.index(0, 0).data(DoctorQueueModel::PendingRole).toBool(), false);
    QCOMPARE(model.index(0, 0).data(DoctorQueueModel::StatusRole).toString(), u"exams_pending"_s);
    QCOMPARE(w.reset.count(), 0);
}

void TestClientModels::examinerQueue()
{
    StoreFixture f(u"LAB1"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    ExaminerQueueModel all(f.store());
    ExaminerQueueModel xray(f.store(), {u"XRAY"_s});
    // Screens read a new row from inside rowsInserted: everything about it, its visit included, is there by then.
    QList<QUuid> visitsSeenOnInsert;
    connect(&all, &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex &, int first) {
        visitsSeenOnInsert.append(all.visitAt(first));
        visitsSeenOnInsert.append(all.index(first, 0).data(ExaminerQueueModel::VisitIdRole).toUuid());
    });
    Watch w(&all);
    Watch wx(&xray);
    verifyHeaders(all);
    const QUuid v1 = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid v2 = registerElsewhere(server, u"A"_s, 2, startTime().addSecs(60), u"dr.lee"_s, Priority::Urgent);
    const QUuid blood1 = prescribeElsewhere(server, v1, u"BLOOD"_s, startTime().addSecs(120));
    const QUuid xray1 = prescribeElsewhere(server, v1, u"XRAY"_s, startTime().addSecs(180));
    const QUuid blood2 = prescribeElsewhere(server, v2, u"BLOOD"_s, startTime().addSecs(240));
    catchUp(f, server);
    QCOMPARE(all.rowCount(), 3);
    QCOMPARE(visitsSeenOnInsert.size(), 6);
    QVERIFY(!visitsSeenOnInsert.contains(QUuid()));
    QCOMPARE(all.idAt(0), blood2); // urgent first, then by request time
    QCOMPARE(all.idAt(1), blood1);
    QCOMPARE(all.idAt(2), xray1);
    QCOMPARE(column(all, ExaminerQueueModel::TypeColumn), (QStringList{u"Blood test"_s, u"Blood test"_s, u"X-ray"_s}));
    QCOMPARE(column(all, ExaminerQueueModel::TicketColumn), (QStringList{u"A-002"_s, u"A-001"_s, u"A-001"_s}));
    QCOMPARE(column(xray, ExaminerQueueModel::TicketColumn), QStringList{u"A-001"_s});
    QCOMPARE(xray.index(0, 0).data(ExaminerQueueModel::CodeRole).toString(), u"XRAY"_s);
    // How long each has waited since the doctor asked, as the other queues count a wait.
    all.setClock([] { return startTime().addSecs(20 * 60 + 30); });
    QCOMPARE(column(all, ExaminerQueueModel::WaitingColumn), (QStringList{u"16 min"_s, u"18 min"_s, u"17 min"_s}));

    w.clear();
    const auto performed = f->submit(PerformExamination{blood1, u"normal"_s});
    QVERIFY(performed);
    QCOMPARE(w.removed.count(), 1);
    QCOMPARE(all.rowOf(blood1), -1);
    // The blood test awaits the server, the X-ray of the same patient does not: its row carries no pending mark.
    QVERIFY(f->isPending(v1) && f->isPending(v1, blood1) && !f->isPending(v1, xray1));
    QCOMPARE(all.idAt(1), xray1);
    QCOMPARE(all.index(1, 0).data(ExaminerQueueModel::PendingRole).toBool(), false);
    QCOMPARE(all.index(1, ExaminerQueueModel::PendingColumn).data().toString(), QString());
    QCOMPARE(xray.rowCount(), 1);
    QVERIFY(f->markOutcome({performed.value(), false, {}, makeError(ErrorCode::InternalError)}).value());
    QCOMPARE(all.rowOf(blood1), 1); // rejected: back in its place

    // The doctor refuses the treatment: the saga withdraws both of v1's examinations.
    server.act(RefuseTreatment{diagnosis::idForVisit(v1), u"declined"_s}, u"DOC1"_s, startTime().addSecs(300));
    catchUp(f, server);
    QCOMPARE(all.rowCount(), 1);
    QCOMPARE(all.idAt(0), blood2);
    QCOMPARE(xray.rowCount(), 0);
    QCOMPARE(wx.removed.count(), 1);
    QCOMPARE(f->submit(PerformExamination{xray1, u"late"_s}).code(), ErrorCode::ExaminationWithdrawnTreatmentRefused);
    xray.setCodes({u"BLOOD"_s});
    QCOMPARE(xray.rowCount(), 1);
    QCOMPARE(w.reset.count(), 0);
    QCOMPARE(wx.reset.count(), 1); // the filter changed: that, and only that, rebuilds
}

void TestClientModels::visitHistory()
{
    StoreFixture f;
    FakeServer server;
    const auto visit = f->registerVisit(registration(u"Han"_s));
    const QUuid other = f->registerVisit(registration(u"Yoon"_s))->visitId;
    VisitHistoryModel model(f.store(), visit->visitId);
    Watch w(&model);
    verifyHeaders(model);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, VisitHistoryModel::DescriptionColumn).data().toString(),
             u"Register as A-001 for Internal medicine (waiting for the server)"_s);
    QCOMPARE(model.index(0, 0).data(VisitHistoryModel::PendingRole).toBool(), true);

    server.sync(f.store());
    QCOMPARE(column(model, VisitHistoryModel::DescriptionColumn),
             (QStringList{u"Registered as A-001 for Internal medicine"_s, u"Assigned to Kim Minjun"_s,
                          u"Treatment started with Kim Minjun"_s}));
    QCOMPARE(column(model, 0, VisitHistoryModel::SequenceRole), (QStringList{u"1"_s, u"2"_s, u"3"_s}));
    QCOMPARE(column(model, VisitHistoryModel::StationColumn), (QStringList{u"A"_s, u"A"_s, u"A"_s}));
    QCOMPARE(column(model, 0, VisitHistoryModel::TypeRole),
             (QStringList{u"ReceptionRegistered"_s, u"DiagnosisRegistered"_s, u"TreatmentStarted"_s}));

    w.clear();
    const auto cancel = f->submit(CancelVisit{visit->visitId, u"left"_s});
    QCOMPARE(w.inserted.count(), 1);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(3, 0).data(VisitHistoryModel::TypeRole).toString(), u"CancelVisit"_s);
    QVERIFY(f->submit(CancelVisit{other, {}})); // another visit: this model does not move
    QCOMPARE(w.inserted.count(), 1);
    QCOMPARE(w.changed.count(), 0);

    server.sync(f.store());
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(3, VisitHistoryModel::DescriptionColumn).data().toString(), u"Visit cancelled: left"_s);
    QCOMPARE(model.index(4, VisitHistoryModel::DescriptionColumn).data().toString(), u"Consultation withdrawn"_s);
    QCOMPARE(column(model, 0, VisitHistoryModel::PendingRole),
             (QStringList{u"false"_s, u"false"_s, u"false"_s, u"false"_s, u"false"_s}));
    QCOMPARE(w.reset.count(), 0);
    Q_UNUSED(cancel);
}

// The words and tones the screens share: an age from a birth date or an estimate, a name others may read, and the
// one status language (SCREENS.md) for a visit, a consultation and an examination.
void TestClientModels::agesNamesAndTones()
{
    const QDate today(2024, 3, 4);
    Patient p;
    p.sex = Sex::Female;
    p.birthDate = QDate(1980, 3, 5); // the birthday is tomorrow
    QCOMPARE(ModelText::ageSex(p, today), u"43 F"_s);
    p.birthDate = QDate(1980, 3, 4);
    QCOMPARE(ModelText::ageSex(p, today), u"44 F"_s);
    p.birthDate = {};
    p.estimatedAgeYears = 40;
    p.sex = Sex::Male;
    QCOMPARE(ModelText::ageSex(p, today), u"~40 M"_s);
    p.estimatedAgeYears.reset();
    p.sex = Sex::Unknown;
    QCOMPARE(ModelText::ageSex(p, today), u"?"_s);
    p.birthDate = QDate(1980, 3, 4);
    QCOMPARE(ModelText::ageSex(p, today), u"44"_s);

    QCOMPARE(ModelText::maskedName(u"김민준"_s), u"김*준"_s);
    QCOMPARE(ModelText::maskedName(u"이수"_s), u"이*"_s);
    QCOMPARE(ModelText::maskedName(u"Jane Doe"_s), u"J******e"_s);
    QCOMPARE(ModelText::maskedName(u"A"_s), u"A"_s);

    using R = ReceptionStatus;
    using D = DiagnosisStatus;
    QCOMPARE(toneOf(R::Received, std::nullopt), StatusTone::Waiting);
    QCOMPARE(toneOf(R::InTreatment, D::Waiting), StatusTone::Waiting);
    QCOMPARE(toneOf(R::InTreatment, D::ExamsPending), StatusTone::InTreatment);
    QCOMPARE(toneOf(R::InTreatment, D::ResultsReady), StatusTone::ResultsReady);
    QCOMPARE(toneOf(R::InTreatment, D::Reviewed), StatusTone::ResultsReady);
    QCOMPARE(toneOf(R::TreatmentCompleted, D::Completed), StatusTone::Completed);
    QCOMPARE(toneOf(R::TreatmentRefused, D::Refused), StatusTone::Refused);
    QCOMPARE(toneOf(R::Closed, D::Completed), StatusTone::Closed);
    QCOMPARE(toneOf(R::Cancelled, D::Withdrawn), StatusTone::Cancelled);
    QCOMPARE(toneOf(D::Withdrawn), StatusTone::Cancelled);
    QCOMPARE(toneOf(ExaminationStatus::Requested), StatusTone::Waiting);
    QCOMPARE(toneOf(ExaminationStatus::Performed), StatusTone::Completed);
    QCOMPARE(toneOf(ExaminationStatus::Withdrawn), StatusTone::Cancelled);
}

QTEST_GUILESS_MAIN(TestClientModels)
#include "TestClientModels.moc"
