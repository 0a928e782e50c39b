// Submitting twice is harmless (ARCHITECTURE §4, §7): the same Submit sent again, from the same connection or from a
// new DEALER after a reconnect, is applied once; later copies are answered with the stored outcome. A command id names
// one command (docs/protocol.md, "Command ids"): its station, its content and one outcome, the gateway's refusals
// included, across restarts.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::testsupport;

class TestIdempotency : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void sameSubmitThriceIsAppliedOnce();
    void copiesInFlightAreQueuedAndAppliedOnce();
    void rejectedCommandStaysRejected();
    void commandIdIsOneKeyAcrossContexts();
    void refusedIdIsNeverAppliedForAnotherStation();
    void reencodedResendIsTheSameCommand();
    void aWholeBacklogAtOnceIsAnsweredWhole();

private:
    ServerProcess m_server;
    TestStation m_desk;
};

void TestIdempotency::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_desk.connect(m_server.port());
    QVERIFY2(m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
}

void TestIdempotency::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "server log tail:\n" << m_server.logTail(30);
}

void TestIdempotency::sameSubmitThriceIsAppliedOnce()
{
    const domain::RegisterVisit command = registerVisit();
    const QUuid id = QUuid::createUuid();

    // First: Queued, then Applied.
    const auto first = m_desk.submitForReply(command, id);
    QVERIFY2(first, qPrintable(m_desk.lastError()));
    QVERIFY2(first->has_queued(), proto::bodyName(*first));
    QCOMPARE(first->queued().command_id(), idText(id).toStdString());
    const Outcome applied = m_desk.waitOutcome(id);
    QVERIFY2(applied.applied, qPrintable(applied.describe()));
    QCOMPARE(applied.sequences.size(), std::size_t(1));

    // Second, same connection: the stored Applied comes back directly, with the same sequences.
    const auto second = m_desk.submitForReply(command, id);
    QVERIFY2(second, qPrintable(m_desk.lastError()));
    QVERIFY2(second->has_applied(), proto::bodyName(*second));
    QCOMPARE(second->applied().command_id(), idText(id).toStdString());
    QCOMPARE(std::vector<quint64>(second->applied().sequences().begin(), second->applied().sequences().end()),
             applied.sequences);

    // Third, after a reconnect: a new DEALER (a new peer for the ROUTER) says hello again and resends.
    TestStation reconnected;
    reconnected.connect(m_server.port());
    QVERIFY2(reconnected.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(reconnected.lastError()));
    const auto third = reconnected.submitForReply(command, id);
    QVERIFY2(third, qPrintable(reconnected.lastError()));
    QVERIFY2(third->has_applied(), proto::bodyName(*third));
    QCOMPARE(std::vector<quint64>(third->applied().sequences().begin(), third->applied().sequences().end()),
             applied.sequences);

    // The saga ran once too: one doctor assigned, one treatment started.
    EventLogRead log;
    QVERIFY2(pollUntil([&] {
                 log = m_desk.fetchAllEvents();
                 return countEvents(log.events, "TreatmentStarted", command.receptionId) >= 1;
             }),
             "the visit never reached in_treatment");
    QCOMPARE(countEvents(log.events, "ReceptionRegistered", command.receptionId), 1);
    QCOMPARE(countEvents(log.events, "DiagnosisRegistered", command.receptionId), 1);
    QCOMPARE(countEvents(log.events, "TreatmentStarted", command.receptionId), 1);
    QVERIFY2(checkLogShape(log.events, log.head).isEmpty(), qPrintable(checkLogShape(log.events, log.head)));
    // And nothing else waits for an answer: no further Applied for the command arrives.
    QVERIFY(!m_desk.takeOutcomeIfAny(id));
}

void TestIdempotency::copiesInFlightAreQueuedAndAppliedOnce()
{
    // Five copies back to back: each is Queued (pending) or answered with the outcome once it is stored.
    const domain::RegisterVisit command = registerVisit();
    const QUuid id = QUuid::createUuid();
    std::vector<quint64> requests;
    for (int i = 0; i < 5; ++i)
        requests.push_back(m_desk.sendSubmit(
            proto::toSubmit({id, m_desk.station(), QDateTime::currentDateTimeUtc()}, domain::Command(command))));
    // Every Applied heard, direct or not, must name the same sequences.
    std::vector<quint64> sequences;
    bool consistent = true;
    const auto noteApplied = [&](const v1::Applied &applied) {
        const std::vector<quint64> seen(applied.sequences().begin(), applied.sequences().end());
        consistent = consistent && (sequences.empty() || seen == sequences);
        sequences = seen;
    };
    for (quint64 request : requests) {
        v1::Envelope reply;
        const bool answered = pollUntil(
            [&] {
                while (auto next = m_desk.receive(std::chrono::milliseconds(20))) {
                    if (next->request_id() == request) {
                        reply = *next;
                        return true;
                    }
                    if (next->has_applied() && next->applied().command_id() == idText(id).toStdString())
                        noteApplied(next->applied());
                }
                return false;
            },
            10000);
        QVERIFY2(answered, "a copy got no direct answer");
        QVERIFY2(reply.has_queued() || reply.has_applied(), proto::bodyName(reply));
        if (reply.has_applied())
            noteApplied(reply.applied());
    }
    if (sequences.empty()) {
        const Outcome outcome = m_desk.waitOutcome(id);
        QVERIFY2(outcome.applied, qPrintable(outcome.describe()));
        sequences = outcome.sequences;
    }
    QVERIFY2(consistent, "two Applied answers for one command named different sequences");
    QCOMPARE(sequences.size(), std::size_t(1));
    const EventLogRead log = m_desk.fetchAllEvents();
    QCOMPARE(countEvents(log.events, "ReceptionRegistered", command.receptionId), 1);
    QCOMPARE(log.events.at(sequences.front() - 1).causation_id(), idText(id).toStdString());
}

void TestIdempotency::rejectedCommandStaysRejected()
{
    // A cancellation of a visit nobody registered: rejected, and the same answer for every copy.
    const domain::CancelVisit command = cancelVisit(QUuid::createUuid());
    const QUuid id = QUuid::createUuid();
    const Outcome first = m_desk.submitAndWait(command, id);
    QVERIFY2(first.answered && !first.applied, qPrintable(first.describe()));
    QCOMPARE(first.code, v1::ERROR_CODE_VISIT_NOT_FOUND);
    const quint64 head = m_desk.fetchEvents(0, 1)->head_sequence();

    // The same command again: the stored rejection.
    const auto resent = m_desk.submitForReply(command, id);
    QVERIFY2(resent && resent->has_rejected(), resent ? proto::bodyName(*resent) : "no reply");
    QCOMPARE(resent->rejected().code(), v1::ERROR_CODE_VISIT_NOT_FOUND);

    // The same id on another command: refused as a reused id, never applied after the fact.
    const domain::RegisterVisit other = registerVisit();
    const auto again = m_desk.submitForReply(other, id);
    QVERIFY2(again && again->has_rejected(), again ? proto::bodyName(*again) : "no reply");
    QCOMPARE(again->rejected().code(), v1::ERROR_CODE_COMMAND_ID_REUSED);
    QCOMPARE(m_desk.fetchEvents(0, 1)->head_sequence(), head);
    QCOMPARE(m_server.httpGet(u"/receptions/"_s + idText(other.receptionId)).status, 404);
}

void TestIdempotency::commandIdIsOneKeyAcrossContexts()
{
    // A command id names one command (docs/protocol.md): once seen, another command under it is refused as a reused
    // id, whichever inbox it would go to, and the first command's outcome stands. Here the id of an applied
    // registration comes back on a prescription for that very visit, from a doctor.
    const domain::RegisterVisit registration = registerVisit();
    const QUuid id = QUuid::createUuid();
    const Outcome registered = m_desk.submitAndWait(registration, id);
    QVERIFY2(registered.applied, qPrintable(registered.describe()));
    QVERIFY(pollUntil([&] {
        return countEvents(m_desk.fetchAllEvents().events, "TreatmentStarted", registration.receptionId) == 1;
    }));
    TestStation doctor;
    doctor.connect(m_server.port());
    QVERIFY2(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(doctor.lastError()));
    const domain::PrescribeExamination prescription = prescribe(registration.receptionId);
    const auto reply = doctor.submitForReply(prescription, id);
    QVERIFY2(reply, qPrintable(doctor.lastError()));
    const Outcome outcome = reply->has_queued() ? doctor.waitOutcome(id) : Outcome{};
    const EventLogRead log = m_desk.fetchAllEvents();
    QVERIFY2(log.ok, qPrintable(m_desk.lastError()));
    QVERIFY2(checkLogShape(log.events, log.head).isEmpty(), qPrintable(checkLogShape(log.events, log.head)));
    QVERIFY2(reply->has_rejected(),
             qPrintable(u"%1 (then %2)"_s.arg(QString::fromLatin1(proto::bodyName(*reply)), outcome.describe())));
    QCOMPARE(reply->rejected().code(), v1::ERROR_CODE_COMMAND_ID_REUSED);
    QCOMPARE(countCausedBy(log.events, id), 1);
    QCOMPARE(countEvents(log.events, "ExaminationPrescribed", registration.receptionId), 0);

    // The desk's resend of its registration still gets the stored Applied.
    const auto resent = m_desk.submitForReply(registration, id);
    QVERIFY2(resent && resent->has_applied(), resent ? proto::bodyName(*resent) : "no reply");
    QCOMPARE(std::vector<quint64>(resent->applied().sequences().begin(), resent->applied().sequences().end()),
             registered.sequences);
}

void TestIdempotency::refusedIdIsNeverAppliedForAnotherStation()
{
    const domain::RegisterVisit registration = registerVisit();
    QVERIFY(m_desk.submitAndWait(registration).applied);

    // A doctor may not cancel a visit: the gateway refuses it, and that refusal is the command's one outcome.
    TestStation doctor;
    doctor.connect(m_server.port());
    QVERIFY2(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(doctor.lastError()));
    const domain::CancelVisit cancel = cancelVisit(registration.receptionId);
    const QUuid id = QUuid::createUuid();
    const Outcome refused = doctor.submitAndWait(cancel, id);
    QVERIFY2(refused.answered && !refused.applied && !refused.protocolError, qPrintable(refused.describe()));
    QCOMPARE(refused.code, v1::ERROR_CODE_ROLE_NOT_ALLOWED);

    // The desk sends the very same command under that id: not applied, the visit stays registered.
    const Outcome byDesk = m_desk.submitAndWait(cancel, id);
    QVERIFY2(byDesk.answered && !byDesk.applied, qPrintable(byDesk.describe()));
    QCOMPARE(byDesk.code, v1::ERROR_CODE_COMMAND_ID_REUSED);

    // It holds across a restart: the refusal was kept, not just answered.
    QVERIFY2(m_server.kill9(), qPrintable(m_server.errorString()));
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    m_desk.connect(m_server.port());
    QVERIFY2(m_desk.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(m_desk.lastError()));
    doctor.connect(m_server.port());
    QVERIFY2(doctor.hello(u"DOC1"_s, v1::ROLE_DOCTOR), qPrintable(doctor.lastError()));
    QCOMPARE(m_desk.submitAndWait(cancel, id).code, v1::ERROR_CODE_COMMAND_ID_REUSED);
    QCOMPARE(doctor.submitAndWait(cancel, id).code, v1::ERROR_CODE_ROLE_NOT_ALLOWED);

    const EventLogRead log = m_desk.fetchAllEvents();
    QCOMPARE(countCausedBy(log.events, id), 0);
    QCOMPARE(countEvents(log.events, "ReceptionCancelled", registration.receptionId), 0);
    const HttpResult reception = m_server.httpGet(u"/receptions/"_s + idText(registration.receptionId));
    QCOMPARE(reception.status, 200);
    QVERIFY(reception.object().value(u"status"_s).toString() != u"cancelled"_s);
}

void TestIdempotency::reencodedResendIsTheSameCommand()
{
    // Content is compared as the server understood it: a resend that carries a field this server does not know
    // (a newer station's) is the same command, answered with its stored outcome.
    const domain::RegisterVisit command = registerVisit();
    const QUuid id = QUuid::createUuid();
    const Outcome first = m_desk.submitAndWait(command, id);
    QVERIFY2(first.applied, qPrintable(first.describe()));

    v1::Submit resend = proto::toSubmit({id, u"A"_s, QDateTime::currentDateTimeUtc()}, command);
    resend.mutable_command()
        ->mutable_register_visit()
        ->GetReflection()
        ->MutableUnknownFields(resend.mutable_command()->mutable_register_visit())
        ->AddVarint(99, 1);
    const auto reply = m_desk.replyTo(m_desk.sendSubmit(resend));
    QVERIFY2(reply, qPrintable(m_desk.lastError()));
    QVERIFY2(reply->has_applied(), proto::bodyName(*reply));
    QCOMPARE(std::vector<quint64>(reply->applied().sequences().begin(), reply->applied().sequences().end()),
             first.sequences);
}

// A workstation back from a long offline spell sends its whole backlog at once (up to its share of pending commands,
// 2,000), and gets two answers for each, Queued and Applied: bursts of replies faster than its connection takes them.
// Every command is answered, and the station is not taken for one that does not read its answers.
void TestIdempotency::aWholeBacklogAtOnceIsAnsweredWhole()
{
    // How many answers of a kind the gateway timed (clinicflow_gateway_answer_seconds), and how many of them within
    // its +Inf bucket: every one.
    const auto answersTimed = [this](const char *answer) {
        const QByteArray metrics = m_server.httpGet(u"/metrics"_s).body;
        const auto sample = [&metrics](const QByteArray &series) {
            const qsizetype at = metrics.indexOf('\n' + series + ' ');
            if (at < 0)
                return qint64(-1);
            const qsizetype from = at + 1 + series.size() + 1;
            return metrics.mid(from, metrics.indexOf('\n', from) - from).toLongLong();
        };
        const QByteArray name = "clinicflow_gateway_answer_seconds";
        const QByteArray label = QByteArray("answer=\"") + answer + '"';
        return std::pair(sample(name + "_count{" + label + '}'), sample(name + "_bucket{" + label + ",le=\"+Inf\"}"));
    };
    const auto queuedBefore = answersTimed("queued");
    const auto outcomesBefore = answersTimed("outcome");
    TestStation desk;
    desk.connect(m_server.port());
    QVERIFY2(desk.hello(u"B"_s, v1::ROLE_RECEPTIONIST), qPrintable(desk.lastError()));
    constexpr int kBacklog = 1900;
    std::vector<QUuid> sent;
    for (int i = 0; i < kBacklog; ++i)
        sent.push_back(desk.submit(registerVisit()));
    for (const QUuid &id : sent) {
        const Outcome outcome = desk.waitOutcome(id, 30s);
        QVERIFY2(outcome.applied, qPrintable(u"command %1 of %2: %3\n%4"_s.arg(&id - sent.data())
                                                 .arg(kBacklog)
                                                 .arg(outcome.describe(), m_server.logTail(10))));
    }
    const QByteArray metrics = m_server.httpGet(u"/metrics"_s).body;
    QVERIFY2(!metrics.contains("limit=\"slow_reader\""), metrics.constData());
    // The operators see how long each was answered in: once Queued, once with its outcome.
    const auto queued = answersTimed("queued");
    const auto outcomes = answersTimed("outcome");
    QCOMPARE(queued.first - std::max<qint64>(queuedBefore.first, 0), qint64(kBacklog));
    QCOMPARE(outcomes.first - std::max<qint64>(outcomesBefore.first, 0), qint64(kBacklog));
    QCOMPARE(queued.second, queued.first);
    QCOMPARE(outcomes.second, outcomes.first);
}

QTEST_GUILESS_MAIN(TestIdempotency)
#include "TestIdempotency.moc"
