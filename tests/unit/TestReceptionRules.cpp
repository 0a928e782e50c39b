// The reception context's rules, table-driven from ARCHITECTURE §2 and §3 (steps 1, 2, 8 and the desk's cancel):
//   received -> in_treatment -> treatment_completed | treatment_refused -> closed;  received | in_treatment ->
//   cancelled
// Every status (and a missing visit) crossed with every desk command, and with every event the context reacts to.
#include "support/DomainFixtures.h"

#include <QTest>

using namespace clinicflow::domain;
using namespace clinicflow::domain::fixtures;
using namespace Qt::StringLiterals;

namespace {

using MaybeStatus = std::optional<ReceptionStatus>;
using S = ReceptionStatus;
using K = CommandKind;

const QList<MaybeStatus> kStatuses{std::nullopt,        S::Received, S::InTreatment, S::TreatmentCompleted,
                                   S::TreatmentRefused, S::Closed,   S::Cancelled};

// The events of other contexts that the reception context hears (ARCHITECTURE §3 steps 2 and 8), and one it ignores.
enum class Incoming
{
    DiagnosisRegistered,
    TreatmentCompleted,
    TreatmentRefused,
    ResultsReady
};

Event incoming(Incoming kind)
{
    const QUuid dx = diagnosisId();
    History h;
    switch (kind) {
    case Incoming::DiagnosisRegistered:
        h.byReaction(DiagnosisRegistered{dx, receptionId(), u"dr.lee"_s, u"IM"_s, Priority::Normal});
        break;
    case Incoming::TreatmentCompleted:
        h.byCommand(TreatmentCompleted{dx, receptionId(), u"discharged"_s}, doctorStation());
        break;
    case Incoming::TreatmentRefused:
        h.byCommand(TreatmentRefused{dx, receptionId(), u"patient declined"_s}, doctorStation());
        break;
    case Incoming::ResultsReady:
        h.byReaction(ResultsReady{dx});
        break;
    }
    return h.events().back();
}

QByteArray incomingName(Incoming kind)
{
    return eventTypeName(incoming(kind).payload).toUtf8();
}

} // namespace

class TestReceptionRules : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase();

    void commandTransitions_data();
    void commandTransitions();
    void reactions_data();
    void reactions();

    void registerVisitCarriesTheRegistration();
    void cancelVisitKeepsTheReason();
    void treatmentStartedRecordsTheDoctor();
    void outcomeNamesTheOutcome();
    void commandsOfOtherContextsAreInvalid_data();
    void commandsOfOtherContextsAreInvalid();

private:
    int m_cases = 0;
};

void TestReceptionRules::cleanupTestCase()
{
    qInfo("TestReceptionRules: %d transition cases (status x command, status x reaction, foreign commands)", m_cases);
}

void TestReceptionRules::commandTransitions_data()
{
    QTest::addColumn<MaybeStatus>("from");
    QTest::addColumn<CommandKind>("kind");
    QTest::addColumn<ErrorCode>("error");
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<MaybeStatus>("to");

    auto allowed = [this](MaybeStatus from, K kind, const QString &event, S to) {
        QTest::addRow("%s x %s", statusName(from).constData(), kindName(kind).constData())
            << from << kind << ErrorCode::None << QStringList{event} << MaybeStatus(to);
        ++m_cases;
    };
    auto refused = [this](MaybeStatus from, K kind, ErrorCode error) {
        QTest::addRow("%s x %s", statusName(from).constData(), kindName(kind).constData())
            << from << kind << error << QStringList{} << MaybeStatus();
        ++m_cases;
    };

    // No visit yet: only registering makes one.
    allowed(std::nullopt, K::RegisterVisit, u"ReceptionRegistered"_s, S::Received);
    refused(std::nullopt, K::CancelVisit, ErrorCode::VisitNotFound);
    refused(std::nullopt, K::ConfirmOutcome, ErrorCode::VisitNotFound);

    // The desk cancels while the patient has no outcome yet; never after the outcome, the close or a cancel.
    allowed(S::Received, K::CancelVisit, u"ReceptionCancelled"_s, S::Cancelled);
    allowed(S::InTreatment, K::CancelVisit, u"ReceptionCancelled"_s, S::Cancelled);
    refused(S::TreatmentCompleted, K::CancelVisit, ErrorCode::VisitOutcomeAlreadyRecorded);
    refused(S::TreatmentRefused, K::CancelVisit, ErrorCode::VisitOutcomeAlreadyRecorded);
    refused(S::Closed, K::CancelVisit, ErrorCode::VisitAlreadyClosed);
    refused(S::Cancelled, K::CancelVisit, ErrorCode::VisitAlreadyCancelled);

    // The desk confirms an outcome that is recorded, either way.
    refused(S::Received, K::ConfirmOutcome, ErrorCode::VisitOutcomeNotRecorded);
    refused(S::InTreatment, K::ConfirmOutcome, ErrorCode::VisitOutcomeNotRecorded);
    allowed(S::TreatmentCompleted, K::ConfirmOutcome, u"VisitClosed"_s, S::Closed);
    allowed(S::TreatmentRefused, K::ConfirmOutcome, u"VisitClosed"_s, S::Closed);
    refused(S::Closed, K::ConfirmOutcome, ErrorCode::VisitAlreadyClosed);
    refused(S::Cancelled, K::ConfirmOutcome, ErrorCode::VisitAlreadyCancelled);

    // Registering the same visit again, whatever it became.
    for (const MaybeStatus &from : kStatuses) {
        if (from)
            refused(from, K::RegisterVisit, ErrorCode::VisitAlreadyRegistered);
    }
}

void TestReceptionRules::commandTransitions()
{
    QFETCH(MaybeStatus, from);
    QFETCH(CommandKind, kind);
    QFETCH(ErrorCode, error);
    QFETCH(QStringList, events);
    QFETCH(MaybeStatus, to);

    const std::optional<Reception> before = receptionIn(from);
    QCOMPARE(before.has_value(), from.has_value());
    if (from)
        QCOMPARE_NAMED(before->status, *from); // the fixture is what the row says

    const Command command = commandOf(kind);
    const CommandMeta meta = deskMeta();
    const auto result = reception::execute(before, command, meta, Catalogue::builtIn());
    QCOMPARE(result.code(), error);
    if (!result.ok()) {
        QVERIFY(!result.error().message().isEmpty());
        return;
    }

    QCOMPARE(typesOf(result->events), events);
    QVERIFY(result->state.has_value());
    QCOMPARE_NAMED(result->state->status, *to);
    QCOMPARE(result->state->id, receptionId());
    verifyCausedByCommand(result->events, meta, receptionId());
    if (QTest::currentTestFailed())
        return;
    // The new state is exactly the old one with the emitted events applied: client and server agree by folding.
    QVERIFY(result->state == fold(before, result->events, reception::evolve));
    // Determinism: the same command under the same meta yields the very same events (ids included).
    const auto again = reception::execute(before, command, meta, Catalogue::builtIn());
    QVERIFY(again.ok());
    QVERIFY(again->events == result->events);
}

void TestReceptionRules::reactions_data()
{
    QTest::addColumn<MaybeStatus>("from");
    QTest::addColumn<Incoming>("kind");
    QTest::addColumn<ErrorCode>("error");
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<MaybeStatus>("to");

    auto row = [this](MaybeStatus from, Incoming kind, ErrorCode error, const QStringList &events, MaybeStatus to) {
        QTest::addRow("%s on %s", incomingName(kind).constData(), statusName(from).constData())
            << from << kind << error << events << to;
        ++m_cases;
    };
    const QList<Incoming> heard{Incoming::DiagnosisRegistered, Incoming::TreatmentCompleted,
                                Incoming::TreatmentRefused};
    for (Incoming kind : heard)
        row(std::nullopt, kind, ErrorCode::VisitNotFound, {}, std::nullopt);

    // Step 2: a doctor assigned starts the treatment of a received visit, and only of one; a visit cancelled before
    // the doctor was assigned stays cancelled, and a replay changes nothing.
    for (const MaybeStatus &from : kStatuses) {
        if (!from)
            continue;
        if (*from == S::Received)
            row(from, Incoming::DiagnosisRegistered, ErrorCode::None, {u"TreatmentStarted"_s}, S::InTreatment);
        else
            row(from, Incoming::DiagnosisRegistered, ErrorCode::None, {}, from);
    }
    // Step 8: the doctor's outcome is recorded on a visit in treatment, and only there.
    for (const MaybeStatus &from : kStatuses) {
        if (!from)
            continue;
        const bool inTreatment = *from == S::InTreatment;
        row(from, Incoming::TreatmentCompleted, ErrorCode::None,
            inTreatment ? QStringList{u"OutcomeRecorded"_s} : QStringList{},
            inTreatment ? S::TreatmentCompleted : *from);
        row(from, Incoming::TreatmentRefused, ErrorCode::None,
            inTreatment ? QStringList{u"OutcomeRecorded"_s} : QStringList{}, inTreatment ? S::TreatmentRefused : *from);
        // Nobody asked the reception context to react to ResultsReady: it changes nothing.
        row(from, Incoming::ResultsReady, ErrorCode::None, {}, from);
    }
}

void TestReceptionRules::reactions()
{
    QFETCH(MaybeStatus, from);
    QFETCH(Incoming, kind);
    QFETCH(ErrorCode, error);
    QFETCH(QStringList, events);
    QFETCH(MaybeStatus, to);

    const std::optional<Reception> before = receptionIn(from);
    const Event cause = incoming(kind);
    const ReactionContext context = reactionContext();
    const auto result = reception::react(before, cause, context);
    QCOMPARE(result.code(), error);
    if (!result.ok())
        return;

    QCOMPARE(typesOf(result->events), events);
    QVERIFY(result->state.has_value());
    QCOMPARE_NAMED(result->state->status, *to);
    if (events.isEmpty())
        QVERIFY(result->state == before); // nothing to say: nothing changed either
    verifyCausedByEvent(result->events, cause, context.now, receptionId());
    if (QTest::currentTestFailed())
        return;
    QVERIFY(result->state == fold(before, result->events, reception::evolve));
    const auto again = reception::react(before, cause, context);
    QVERIFY(again.ok() && again->events == result->events);
}

void TestReceptionRules::registerVisitCarriesTheRegistration()
{
    RegisterVisit command = validRegistration();
    command.requestedDoctor = u"dr.lee"_s;
    command.priority = Priority::Urgent;
    const CommandMeta meta = deskMeta();
    const auto result = reception::execute(std::nullopt, command, meta, Catalogue::builtIn());
    QVERIFY(result.ok());
    QCOMPARE(result->events.size(), std::size_t(1));
    QVERIFY(std::get<ReceptionRegistered>(result->events.front().payload) == registeredFrom(command));

    const Reception &r = *result->state;
    QCOMPARE(r.ticket, command.ticket);
    QVERIFY(r.patient == command.patient);
    QCOMPARE(r.department, command.department);
    QCOMPARE(r.requestedDoctor, u"dr.lee"_s);
    QCOMPARE(r.chiefComplaint, command.chiefComplaint);
    QCOMPARE_NAMED(r.priority, Priority::Urgent);
    QCOMPARE(r.receivedAt, meta.at);
    QCOMPARE(r.station, deskStation());
    QVERIFY(r.diagnosisId.isNull());
    QVERIFY(r.doctor.isEmpty());
}

void TestReceptionRules::cancelVisitKeepsTheReason()
{
    const auto result = reception::execute(receptionIn(S::InTreatment), CancelVisit{receptionId(), u"left"_s},
                                           deskMeta(), Catalogue::builtIn());
    QVERIFY(result.ok());
    QCOMPARE(std::get<ReceptionCancelled>(result->events.front().payload).reason, u"left"_s);
    QCOMPARE(result->state->cancelReason, u"left"_s);
}

void TestReceptionRules::treatmentStartedRecordsTheDoctor()
{
    const auto result =
        reception::react(receptionIn(S::Received), incoming(Incoming::DiagnosisRegistered), reactionContext());
    QVERIFY(result.ok());
    const auto &started = std::get<TreatmentStarted>(result->events.front().payload);
    QCOMPARE(started.receptionId, receptionId());
    QCOMPARE(started.diagnosisId, diagnosisId());
    QCOMPARE(started.doctor, u"dr.lee"_s);
    QCOMPARE(result->state->diagnosisId, diagnosisId());
    QCOMPARE(result->state->doctor, u"dr.lee"_s);
}

void TestReceptionRules::outcomeNamesTheOutcome()
{
    for (Incoming kind : {Incoming::TreatmentCompleted, Incoming::TreatmentRefused}) {
        const auto result = reception::react(receptionIn(S::InTreatment), incoming(kind), reactionContext());
        QVERIFY(result.ok());
        const auto expected = kind == Incoming::TreatmentCompleted ? S::TreatmentCompleted : S::TreatmentRefused;
        QCOMPARE_NAMED(std::get<OutcomeRecorded>(result->events.front().payload).outcome, expected);
        QCOMPARE(std::get<OutcomeRecorded>(result->events.front().payload).receptionId, receptionId());
    }
}

void TestReceptionRules::commandsOfOtherContextsAreInvalid_data()
{
    QTest::addColumn<CommandKind>("kind");
    for (CommandKind kind : allCommandKinds()) {
        if (commandContext(commandOf(kind)) != BoundedContext::Reception) {
            QTest::addRow("%s", kindName(kind).constData()) << kind;
            ++m_cases;
        }
    }
}

void TestReceptionRules::commandsOfOtherContextsAreInvalid()
{
    QFETCH(CommandKind, kind);
    const auto result =
        reception::execute(receptionIn(S::InTreatment), commandOf(kind), deskMeta(), Catalogue::builtIn());
    QCOMPARE(result.code(), ErrorCode::InvalidCommand);
}

QTEST_GUILESS_MAIN(TestReceptionRules)
#include "TestReceptionRules.moc"
