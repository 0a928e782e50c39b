// The status board's model over a real local store, watched by QAbstractItemModelTester (Fatal) while the store
// changes under it: the day's visits with the patient's name masked, in place as their journey goes on, the counts
// by tone and department (and how the closed visits' treatment ended), and last night's visits still open.
#include "models/ModelText.h"
#include "models/StatusBoardModel.h"
#include "models/StatusTone.h"
#include "support/ModelWatch.h"
#include "support/StoreHarness.h"

#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

class TestStatusBoardModel : public QObject
{
    Q_OBJECT

private slots:
    void statusBoard();
    void statusBoardKeepsLastNightsOpenVisits();
};

void TestStatusBoardModel::statusBoard()
{
    StoreFixture f(u"BRD"_s);
    QVERIFY(f->setRole(Role::Board).ok());
    FakeServer server;
    StatusBoardModel model(f.store(), startTime().toLocalTime().date());
    Watch w(&model);
    verifyHeaders(model);
    model.setClock([] { return startTime().addSecs(40 * 60); });
    const QUuid v1 = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid v2 = registerElsewhere(server, u"A"_s, 2, startTime().addSecs(600), u"dr.lee"_s);
    catchUp(f, server);
    QCOMPARE(w.inserted.count(), 2);
    QCOMPARE(column(model, StatusBoardModel::TicketColumn), (QStringList{u"A-001"_s, u"A-002"_s}));
    QCOMPARE(column(model, StatusBoardModel::WaitingColumn), (QStringList{u"40 min"_s, u"30 min"_s}));
    QCOMPARE(column(model, StatusBoardModel::StatusColumn),
             (QStringList{u"Waiting for the doctor"_s, u"Waiting for the doctor"_s}));
    for (int c = 0; c < model.columnCount(); ++c) // read by others: no whole patient name
        QVERIFY(!column(model, c).join(u'|').contains(f->visit(v1)->patientName));
    QCOMPARE(model.countsByTone().value(StatusTone::Waiting), 2);
    QCOMPARE(model.countsByDepartment().value(u"IM"_s), 2);

    prescribeElsewhere(server, v1, u"BLOOD"_s, startTime().addSecs(15 * 60));
    const QUuid ecg = prescribeElsewhere(server, v1, u"ECG"_s, startTime().addSecs(15 * 60));
    server.act(PerformExamination{ecg, u"sinus rhythm"_s}, u"LAB1"_s, startTime().addSecs(20 * 60));
    catchUp(f, server);
    QCOMPARE(model.index(0, StatusBoardModel::ExaminationsColumn).data().toString(), u"1/2"_s);
    QCOMPARE(model.index(0, StatusBoardModel::WaitingColumn).data().toString(), u"15 min"_s);
    QCOMPARE(model.index(0, StatusBoardModel::StatusColumn).data().toString(), u"At examinations"_s);

    // v1 leaves the building: it moves below the visits still open.
    w.clear();
    server.act(CancelVisit{v1, u"left"_s}, u"A"_s, startTime().addSecs(30 * 60));
    catchUp(f, server);
    QCOMPARE(w.moved.count(), 1);
    QCOMPARE(w.inserted.count() + w.removed.count() + w.reset.count(), 0);
    QCOMPARE(model.idAt(0), v2);
    QCOMPARE(model.idAt(1), v1);
    QCOMPARE(model.index(1, StatusBoardModel::StatusColumn).data().toString(), u"Cancelled"_s);
    QCOMPARE(model.index(1, StatusBoardModel::ExaminationsColumn).data().toString(), u"1/1"_s); // blood withdrawn

    // A closed visit says how its treatment ended: the team reads a refusal apart from a completed treatment.
    const QUuid v3 = registerElsewhere(server, u"A"_s, 3, startTime().addSecs(700), u"dr.kim"_s);
    const QUuid v4 = registerElsewhere(server, u"A"_s, 4, startTime().addSecs(800), u"dr.kim"_s);
    server.act(CompleteTreatment{diagnosis::idForVisit(v3), u"rest"_s}, u"DOC1"_s, startTime().addSecs(31 * 60));
    server.act(RefuseTreatment{diagnosis::idForVisit(v4), u"declined"_s}, u"DOC1"_s, startTime().addSecs(31 * 60));
    catchUp(f, server);
    QCOMPARE(model.index(model.rowOf(v3), StatusBoardModel::StatusColumn).data().toString(), u"Treatment completed"_s);
    QCOMPARE(model.index(model.rowOf(v4), StatusBoardModel::StatusColumn).data().toString(), u"Treatment refused"_s);
    server.act(ConfirmOutcome{v3}, u"A"_s, startTime().addSecs(32 * 60));
    server.act(ConfirmOutcome{v4}, u"A"_s, startTime().addSecs(32 * 60));
    catchUp(f, server);
    QCOMPARE(model.index(model.rowOf(v3), StatusBoardModel::StatusColumn).data().toString(),
             u"Closed: treatment completed"_s);
    QCOMPARE(model.index(model.rowOf(v4), StatusBoardModel::StatusColumn).data().toString(),
             u"Closed: treatment refused"_s);
    QCOMPARE(model.countsByTone().value(StatusTone::Closed), 2); // one tile for both, which says how each ended:
    QCOMPARE(model.counts().closedCompleted, 1);
    QCOMPARE(model.counts().closedRefused, 1);
    QVERIFY(ModelText::visitStates().contains(u"Closed: treatment refused"_s));

    // A snapshot replaces everything: the one reset.
    QList<VisitStatus> rows{*f->visit(v2)};
    QVERIFY(f->applySnapshot(rows, f->lastSequence()).ok());
    QCOMPARE(w.reset.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.idAt(0), v2);
}

// Past midnight, a patient registered the evening before and still in the building stays on the board until the
// visit ends; the day before's finished visits, and older ones, do not show.
void TestStatusBoardModel::statusBoardKeepsLastNightsOpenVisits()
{
    StoreFixture f(u"BRD"_s);
    QVERIFY(f->setRole(Role::Board).ok());
    FakeServer server;
    const QDate today = startTime().toLocalTime().date();
    const auto [waiting, morning] = aroundMidnight(server);
    catchUp(f, server);
    StatusBoardModel model(f.store(), today);
    Watch w(&model);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.idAt(0), waiting); // open, and the earlier arrival
    QCOMPARE(model.idAt(1), morning);
    QCOMPARE(model.countsByTone().value(StatusTone::Waiting), 2);

    // It ends: off the board, while the morning's visits stay when they end.
    server.act(CancelVisit{waiting, u"left"_s}, u"A"_s, startTime().addSecs(60));
    server.act(CancelVisit{morning, u"left"_s}, u"A"_s, startTime().addSecs(60));
    catchUp(f, server);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.idAt(0), morning);
    QCOMPARE(w.removed.count(), 1);
}

QTEST_MAIN(TestStatusBoardModel)
#include "TestStatusBoardModel.moc"
