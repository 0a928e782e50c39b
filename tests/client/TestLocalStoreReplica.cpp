// The local store fed by the server's side, as the sync engine feeds it: events in order (gaps refused, repeats
// ignored), outcomes (Applied, Rejected with rollback of what depended on it and a recorded conflict), reopening,
// resets and snapshots converging on the same state. Events come from the shared rules and saga (FakeServer).
#include "support/DomainFixtures.h"
#include "support/StoreHarness.h"

#include <QSignalSpy>
#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

// A desk that has seen `visits` registrations made at desk B, and its rows as the server's snapshot would send them.
QList<VisitStatus> deskRows(StoreFixture &desk, FakeServer &server, int visits)
{
    for (int n = 1; n <= visits; ++n)
        registerElsewhere(server, u"B"_s, n, startTime());
    if (!desk->applyEvents(server.eventsAfter(0)).ok())
        return {};
    QList<VisitStatus> rows;
    for (const QUuid &id : desk->visitIds())
        rows.append(*desk->visit(id));
    return rows;
}

} // namespace

class TestLocalStoreReplica : public QObject
{
    Q_OBJECT

private slots:
    void outcomeBeforeEventsKeepsTheOverlay();
    void eventsAreAppliedInOrderOnce();
    void gapAppliesNothing();
    void rejectionRollsBackTheDependentChange();
    void serverMovingOnDropsAStaleAction();
    void repeatedOrUnknownOutcomesAreIgnored();
    void reopenRebuildsTheSameState();
    void resetKeepsOutboxAndConflicts();
    void snapshotConvergesWithEvents();
    void snapshotInStepsConvergesAndAnInterruptedOneIsRebuilt();
    void rowsReadInStepsEndWhereReadingAtOnceDoes();
};

void TestLocalStoreReplica::outcomeBeforeEventsKeepsTheOverlay()
{
    StoreFixture f;
    FakeServer server;
    const auto visit = f->registerVisit(registration(u"Lee"_s));
    const auto answer = server.serve(f->unansweredCommands());
    QVERIFY(f->markOutcome(answer.outcomes[0]).value());
    QCOMPARE(f->pendingCount(), 0);
    // Applied, but its event (sequence 1) has not arrived: the visit must not blink out meanwhile.
    QVERIFY(f->visit(visit->visitId));
    QVERIFY(f->isPending(visit->visitId));
    QCOMPARE(f->history(visit->visitId).size(), 1);
    QVERIFY(f->history(visit->visitId)[0].pending);
    f.reopen(); // and the same after a restart
    QVERIFY(f->visit(visit->visitId));
    QVERIFY(f->isPending(visit->visitId));
    QCOMPARE(f->applyEvents(answer.events).value(), 3);
    QVERIFY(!f->isPending(visit->visitId));
    QCOMPARE(f->visitIds().size(), 1);
    QCOMPARE_NAMED(f->visit(visit->visitId)->receptionStatus, ReceptionStatus::InTreatment);
    QCOMPARE(f->history(visit->visitId).size(), 3);
}

void TestLocalStoreReplica::eventsAreAppliedInOrderOnce()
{
    StoreFixture f;
    FakeServer server;
    for (int n = 1; n <= 4; ++n)
        registerElsewhere(server, u"B"_s, n, startTime());
    const QList<Event> all = server.eventsAfter(0);
    QCOMPARE(all.size(), 12);
    QSignalSpy last(&f.store(), &LocalStore::lastSequenceChanged);
    QCOMPARE(f->applyEvents(all.mid(0, 5)).value(), 5);
    QCOMPARE(f->lastSequence(), quint64(5));
    const QByteArray halfway = f->stateHash();
    QCOMPARE(f->applyEvents(all.mid(0, 5)).value(), 0); // the same batch again
    QCOMPARE(f->stateHash(), halfway);
    QCOMPARE(f->applyEvents(all.mid(2, 7)).value(), 4); // overlapping: only 6..9 are new
    QCOMPARE(f->applyEvents(all.mid(9)).value(), 3);
    QCOMPARE(f->lastSequence(), quint64(12));
    QCOMPARE(last.count(), 3);
    QCOMPARE(storeScalar(f.path(), u"SELECT count(*) FROM events"_s).toInt(), 12);
    QCOMPARE(storeScalar(f.path(), u"SELECT count(*) FROM visits"_s).toInt(), 4);

    // One batch or many, the same state; and the same as the server's own projection of its log.
    StoreFixture once;
    QCOMPARE(once->applyEvents(all).value(), 12);
    QCOMPARE(once->stateHash(), f->stateHash());
    std::map<QUuid, std::optional<VisitStatus>> view;
    for (const Event &e : all)
        project(view[e.visitId], e);
    for (const auto &[id, row] : view)
        QVERIFY(*f->visit(id) == *row);
}

void TestLocalStoreReplica::gapAppliesNothing()
{
    StoreFixture f;
    FakeServer server;
    registerElsewhere(server, u"B"_s, 1, startTime());
    registerElsewhere(server, u"B"_s, 2, startTime());
    const QList<Event> all = server.eventsAfter(0);
    QSignalSpy gap(&f.store(), &LocalStore::gapDetected);
    QSignalSpy changed(&f.store(), &LocalStore::visitChanged);
    QTest::ignoreMessage(QtWarningMsg, "event sequence gap: expected 1 got 2 - nothing applied");
    QTest::ignoreMessage(QtWarningMsg, "event sequence gap: expected 4 got 5 - nothing applied");
    auto result = f->applyEvents(all.mid(1)); // starts at 2
    QCOMPARE(result.code(), ErrorCode::MalformedMessage);
    QCOMPARE(gap.count(), 1);
    QCOMPARE(gap.at(0).at(0).toULongLong(), quint64(1));
    QCOMPARE(gap.at(0).at(1).toULongLong(), quint64(2));
    QList<Event> holed = all;
    holed.removeAt(3); // 1, 2, 3, 5, 6
    QCOMPARE(f->applyEvents(holed).code(), ErrorCode::MalformedMessage);
    QCOMPARE(f->lastSequence(), quint64(0));
    QVERIFY(f->visitIds().isEmpty());
    QCOMPARE(changed.count(), 0);
    QCOMPARE(storeScalar(f.path(), u"SELECT count(*) FROM events"_s).toInt(), 0);
    QCOMPARE(f->applyEvents(all).value(), 6);
}

void TestLocalStoreReplica::rejectionRollsBackTheDependentChange()
{
    StoreFixture f;
    const auto visit = f->registerVisit(registration(u"Park"_s));
    const auto cancel = f->submit(CancelVisit{visit->visitId, u"left"_s});
    QVERIFY(cancel);
    QCOMPARE_NAMED(f->visit(visit->visitId)->receptionStatus, ReceptionStatus::Cancelled);
    QCOMPARE(f->pendingCount(), 2);

    QSignalSpy conflicts(&f.store(), &LocalStore::conflictRecorded);
    QSignalSpy changed(&f.store(), &LocalStore::visitChanged);
    CommandOutcome rejected{visit->commandId, false, {}, makeError(ErrorCode::UnknownDoctor, u"dr.who"_s)};
    QVERIFY(f->markOutcome(rejected).value());
    // The registration is gone, and the cancellation that depended on it no longer shows.
    QVERIFY(!f->visit(visit->visitId));
    QVERIFY(f->visitIds().isEmpty());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toUuid(), visit->visitId);
    QCOMPARE(f->pendingCount(), 1);
    QCOMPARE(f->unansweredCommands().at(0).meta.commandId, cancel.value());
    const QList<HistoryEntry> history = f->history(visit->visitId);
    QCOMPARE(history.size(), 1);
    QVERIFY(history[0].pending);
    QVERIFY(!history[0].inEffect);

    QCOMPARE(conflicts.count(), 1);
    const QList<Conflict> recorded = f->conflicts();
    QCOMPARE(recorded.size(), 1);
    QCOMPARE(recorded[0].commandId, visit->commandId);
    QCOMPARE(recorded[0].commandName, u"RegisterVisit"_s);
    QCOMPARE(recorded[0].ticket, u"A-001"_s);
    QCOMPARE(recorded[0].code, ErrorCode::UnknownDoctor);
    QCOMPARE(recorded[0].detail, u"dr.who"_s);
    QCOMPARE(recorded[0].message, QString::fromUtf8(errorMessage(ErrorCode::UnknownDoctor)));
    QVERIFY(!recorded[0].acknowledged);
    QCOMPARE(conflicts.at(0).at(0).value<Conflict>().id, recorded[0].id);
    QCOMPARE(f->outbox()[0].state, OutboxState::Rejected);
    QCOMPARE(f->outbox()[0].error.code, ErrorCode::UnknownDoctor);

    QVERIFY(f->acknowledgeConflict(recorded[0].id).value());
    QVERIFY(!f->acknowledgeConflict(recorded[0].id).value());
    f.reopen();
    QVERIFY(f->conflicts()[0].acknowledged);
    QVERIFY(!f->visit(visit->visitId));
    QCOMPARE(f->pendingCount(), 1);
}

void TestLocalStoreReplica::serverMovingOnDropsAStaleAction()
{
    StoreFixture f(u"DOC1"_s);
    QVERIFY(f->setRole(Role::Doctor).ok());
    FakeServer server;
    const QUuid visitId = registerElsewhere(server, u"B"_s, 1, startTime());
    QVERIFY(f->applyEvents(server.eventsAfter(0)).ok());
    const QUuid dx = diagnosis::idForVisit(visitId);
    QVERIFY(f->submit(CompleteTreatment{dx, u"fine"_s}));
    QCOMPARE_NAMED(f->diagnosis(dx)->status, DiagnosisStatus::Completed);
    // Meanwhile the desk cancelled the visit: the doctor's completion cannot apply any more.
    server.act(CancelVisit{visitId, u"left"_s}, u"B"_s, startTime().addSecs(60));
    QVERIFY(f->applyEvents(server.eventsAfter(f->lastSequence())).ok());
    QCOMPARE_NAMED(f->diagnosis(dx)->status, DiagnosisStatus::Withdrawn);
    QCOMPARE_NAMED(f->visit(visitId)->receptionStatus, ReceptionStatus::Cancelled);
    QVERIFY(f->isPending(visitId));
    QCOMPARE(f->pendingCount(), 1);
    QVERIFY(!f->history(visitId).constLast().inEffect);
    server.sync(f.store());
    QCOMPARE(f->pendingCount(), 0);
    QCOMPARE(f->conflicts().size(), 1);
    QCOMPARE(f->conflicts()[0].code, ErrorCode::DiagnosisWithdrawn);
}

void TestLocalStoreReplica::repeatedOrUnknownOutcomesAreIgnored()
{
    StoreFixture f;
    FakeServer server;
    QVERIFY(f->registerVisit(registration(u"Choi"_s)));
    const auto answer = server.serve(f->unansweredCommands());
    QVERIFY(f->markOutcome(answer.outcomes[0]).value());
    QVERIFY(!f->markOutcome(answer.outcomes[0]).value());
    CommandOutcome contradicting = answer.outcomes[0];
    contradicting.applied = false;
    contradicting.error = makeError(ErrorCode::InternalError);
    QVERIFY(!f->markOutcome(contradicting).value());
    QVERIFY(!f->markOutcome({newId(), true, {7}, {}}).value());
    f->markQueued(newId());
    QCOMPARE(f->conflicts().size(), 0);
    QCOMPARE(f->outbox().size(), 1);
    QCOMPARE(f->outbox()[0].state, OutboxState::Applied);
    QVERIFY(f->applyEvents(answer.events).ok());
    QVERIFY(f->applyEvents(answer.events).ok());
    QCOMPARE(f->visitIds().size(), 1);
    QCOMPARE(storeScalar(f.path(), u"SELECT count(*) FROM events"_s).toInt(), 3);

    const auto second = f->registerVisit(registration(u"Jung"_s));
    f->markQueued(second->commandId);
    QCOMPARE(f->outbox()[1].state, OutboxState::Queued);
    QCOMPARE(f->unansweredCommands().size(), 1); // queued still awaits its answer
}

void TestLocalStoreReplica::reopenRebuildsTheSameState()
{
    StoreFixture f(u"DOC1"_s);
    FakeServer server;
    const QUuid v1 = registerElsewhere(server, u"B"_s, 1, startTime());
    const QUuid v2 = registerElsewhere(server, u"B"_s, 2, startTime());
    const QUuid exam = newId();
    server.act(PrescribeExamination{diagnosis::idForVisit(v1), exam, u"XRAY"_s, {}}, u"DOC1"_s, startTime());
    QVERIFY(f->applyEvents(server.eventsAfter(0)).ok());
    QVERIFY(f->submit(CompleteTreatment{diagnosis::idForVisit(v2), {}}));
    const QByteArray hash = f->stateHash();
    const auto diagnosis1 = f->diagnosisOfVisit(v1);
    const auto diagnosis2 = f->diagnosisOfVisit(v2);
    const auto row2 = f->visit(v2);
    f.reopen();
    QCOMPARE(f->stateHash(), hash);
    QVERIFY(f->diagnosisOfVisit(v1) == diagnosis1);
    QVERIFY(f->diagnosisOfVisit(v2) == diagnosis2);
    QVERIFY(f->visit(v2) == row2);
    QCOMPARE(f->examination(exam)->code, u"XRAY"_s);
    QCOMPARE(f->requestedExaminations().size(), 1);
    QCOMPARE(f->requestedExaminations(u"CT"_s).size(), 0);
    QCOMPARE(f->pendingCount(), 1);
    QVERIFY(f->isPending(v2));
    QVERIFY(!f->isPending(v1));
    const QList<HistoryEntry> history = f->history(v1);
    QCOMPARE(history.size(), 5); // registered, diagnosis, treatment started, prescribed, requested
    QCOMPARE(history.constLast().sequence, quint64(8));
    QVERIFY(std::holds_alternative<ExaminationRequested>(history.constLast().event->payload));
    QCOMPARE(f->history(v2).size(), 4); // its three events and the doctor's pending completion
    QVERIFY(f->history(v2).constLast().pending);
    QCOMPARE(f->lastSequence(), quint64(8));
}

void TestLocalStoreReplica::resetKeepsOutboxAndConflicts()
{
    StoreFixture f;
    FakeServer server;
    registerElsewhere(server, u"B"_s, 1, startTime());
    QVERIFY(f->applyEvents(server.eventsAfter(0)).ok());
    const auto mine = f->registerVisit(registration(u"Kang"_s));
    const auto rejected = f->registerVisit(registration(u"Han"_s));
    QVERIFY(f->markOutcome({rejected->commandId, false, {}, makeError(ErrorCode::InternalError)}).value());
    QSignalSpy reset(&f.store(), &LocalStore::visitsReset);
    QVERIFY(f->resetReplica().ok());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(f->lastSequence(), quint64(0));
    QCOMPARE(f->visitIds(), QList<QUuid>{mine->visitId}); // only what this station still has to send
    QCOMPARE(f->outbox().size(), 2);
    QCOMPARE(f->conflicts().size(), 1);
    QCOMPARE(f->pendingCount(), 1);
    QCOMPARE(storeScalar(f.path(), u"SELECT count(*) FROM events"_s).toInt(), 0);
    QCOMPARE(storeScalar(f.path(), u"SELECT count(*) FROM visits"_s).toInt(), 0);
    f.reopen();
    QCOMPARE(f->visitIds(), QList<QUuid>{mine->visitId});
    // The new server's log starts again at 1.
    FakeServer other;
    other.sync(f.store());
    QCOMPARE(f->lastSequence(), quint64(3));
    QCOMPARE(f->pendingCount(), 0);
    QCOMPARE_NAMED(f->visit(mine->visitId)->receptionStatus, ReceptionStatus::InTreatment);
}

void TestLocalStoreReplica::snapshotConvergesWithEvents()
{
    StoreFixture desk;
    StoreFixture board(u"BRD"_s);
    FakeServer server;
    const QList<VisitStatus> rows = deskRows(desk, server, 3);
    QCOMPARE(rows.size(), 3);
    const auto pendingOnBoard = board->registerVisit(registration(u"Local"_s));
    QSignalSpy reset(&board.store(), &LocalStore::visitsReset);
    QVERIFY(board->applySnapshot(rows, desk->lastSequence()).ok());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(board->lastSequence(), quint64(9));
    QCOMPARE(board->stateHash(), desk->stateHash());
    QCOMPARE(board->visitIds().size(), 4); // three confirmed + its own pending registration
    QVERIFY(board->isPending(pendingOnBoard->visitId));

    const QUuid later = registerElsewhere(server, u"B"_s, 4, startTime());
    server.act(CancelVisit{later, {}}, u"B"_s, startTime());
    QVERIFY(desk->applyEvents(server.eventsAfter(9)).ok());
    QVERIFY(board->applyEvents(server.eventsAfter(9)).ok());
    QCOMPARE(board->stateHash(), desk->stateHash());
    QCOMPARE_NAMED(board->visit(later)->receptionStatus, ReceptionStatus::Cancelled);
    board.reopen();
    QCOMPARE(board->stateHash(), desk->stateHash());
    QVERIFY(board->stateHash() != StoreFixture()->stateHash());
}

// A board takes a busy day's snapshot a part at a time (the Workstation runs a step per pass of the event loop): the
// rows arrive part by part, and the end state is the one-go snapshot's. Stopped half-way (a crash, the window closed),
// the replica is a mix of two states: the next open starts it again from nothing, keeping what the station has to
// send, and the events from the start rebuild the same state.
void TestLocalStoreReplica::snapshotInStepsConvergesAndAnInterruptedOneIsRebuilt()
{
    StoreFixture desk;
    FakeServer server;
    const QList<VisitStatus> rows = deskRows(desk, server, 3);
    QCOMPARE(rows.size(), 3);
    const quint64 head = desk->lastSequence();

    StoreFixture board(u"BRD"_s);
    const auto pendingOnBoard = board->registerVisit(registration(u"Local"_s));
    QSignalSpy reset(&board.store(), &LocalStore::visitsReset);
    QSignalSpy parts(&board.store(), &LocalStore::visitsChanged);
    QVERIFY(board->beginSnapshot(head).ok());
    QVERIFY(board->addSnapshotRows(rows.mid(0, 2)).ok());
    QVERIFY(board->addSnapshotRows(rows.mid(2)).ok());
    QVERIFY(board->finishSnapshot(head).ok());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(parts.count(), 2);
    QCOMPARE(parts[0][0].value<QList<QUuid>>().size(), 2);
    QCOMPARE(board->lastSequence(), head);
    QCOMPARE(board->stateHash(), desk->stateHash());
    QVERIFY(board->isPending(pendingOnBoard->visitId));
    board.reopen();
    QCOMPARE(board->lastSequence(), head);
    QCOMPARE(board->stateHash(), desk->stateHash());

    StoreFixture interrupted(u"BRE"_s);
    const auto waiting = interrupted->registerVisit(registration(u"Waiting"_s));
    QVERIFY(interrupted->applyEvents(server.eventsAfter(0).mid(0, 3)).ok()); // an older state: one visit
    QVERIFY(interrupted->beginSnapshot(head).ok());
    QVERIFY(interrupted->addSnapshotRows(rows.mid(0, 1)).ok());
    interrupted.reopen(); // no finishSnapshot
    QCOMPARE(interrupted->lastSequence(), quint64(0));
    QCOMPARE(interrupted->visitIds(), QList<QUuid>{waiting->visitId}); // only what it still has to send
    QCOMPARE(interrupted->outbox().size(), 1);
    QCOMPARE(storeScalar(interrupted.path(), u"SELECT count(*) FROM visits"_s).toInt(), 0);
    QVERIFY(interrupted->applyEvents(server.eventsAfter(0)).ok());
    QCOMPARE(interrupted->lastSequence(), head);
    QCOMPARE(interrupted->stateHash(), desk->stateHash());
    interrupted.reopen(); // and the rebuild is not done again
    QCOMPARE(interrupted->lastSequence(), head);
}

// A board opens over the first rows of its store and reads the rest in steps while its window shows. Read in steps,
// the replica ends exactly as read at once; and anything that changes the replica before the last step first reads
// every row left, so no event ever lands on a row not read yet.
void TestLocalStoreReplica::rowsReadInStepsEndWhereReadingAtOnceDoes()
{
    FakeServer server;
    StoreFixture desk;
    const QList<VisitStatus> rows = deskRows(desk, server, 5);
    QCOMPARE(rows.size(), 5);
    StoreFixture board(u"BRD"_s); // a board's store: the rows of a snapshot, no events
    QVERIFY(board->applySnapshot(rows, desk->lastSequence()).ok());
    const QByteArray whole = board->stateHash();
    board.close();

    {
        auto opened = LocalStore::open(board.path(), LocalStore::Rows::InSteps);
        QVERIFY(opened.ok());
        LocalStore &store = *opened.value();
        QVERIFY(store.rowsPending());
        QVERIFY(store.visitIds().isEmpty());
        QCOMPARE(store.lastSequence(), quint64(15));
        QSignalSpy parts(&store, &LocalStore::visitsChanged);
        int read = 0;
        while (store.rowsPending()) {
            auto step = store.loadRows(2);
            QVERIFY(step.ok());
            QVERIFY(step.value() > 0 && step.value() <= 2);
            read += step.value();
            QCOMPARE(store.visitIds().size(), read);
        }
        QCOMPARE(read, 5);
        QCOMPARE(parts.count(), 3);
        QCOMPARE(store.loadRows(2).value(), 0);
        QCOMPARE(store.stateHash(), whole);
    }

    auto opened = LocalStore::open(board.path(), LocalStore::Rows::InSteps);
    QVERIFY(opened.ok());
    LocalStore &store = *opened.value();
    QCOMPARE(store.loadRows(1).value(), 1);
    QVERIFY(store.rowsPending());
    const QUuid first = rows.constLast().visitId; // its row not read yet
    server.act(CancelVisit{first, u"went home"_s}, u"B"_s, startTime());
    const QUuid later = registerElsewhere(server, u"B"_s, 6, startTime());
    QVERIFY(store.applyEvents(server.eventsAfter(15)).ok()); // every row read first, then the events
    QVERIFY(!store.rowsPending());
    QCOMPARE(store.visitIds().size(), 6);
    QVERIFY(store.visit(later));
    QCOMPARE_NAMED(store.visit(first)->receptionStatus, ReceptionStatus::Cancelled);
    QVERIFY(desk->applyEvents(server.eventsAfter(15)).ok());
    QCOMPARE(store.stateHash(), desk->stateHash());
}

QTEST_GUILESS_MAIN(TestLocalStoreReplica)
#include "TestLocalStoreReplica.moc"
