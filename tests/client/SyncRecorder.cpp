// Records a SyncEngine's signals for the sync tests (see SyncRecorder.h).
#include "SyncRecorder.h"

#include "TestCommands.h"
#include "domain/Ids.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using clinicflow::client::SyncEngine;

namespace clinicflow::testsupport {

SyncRecorder::SyncRecorder(SyncEngine &engine, quint64 startSequence)
    : role(engine.settings().role)
    , lastSequence(startSequence)
{
    connect(&engine, &SyncEngine::stateChanged, this, [this](client::ConnectionState s) {
        state = s;
        states.append(s);
    });
    connect(&engine, &SyncEngine::progress, this, [this](quint64 last, quint64 h) {
        head = h;
        if (last != lastSequence)
            violations << u"progress says %1 after delivering %2"_s.arg(last).arg(lastSequence);
    });
    connect(&engine, &SyncEngine::welcomed, this, [this](const QString &id, const domain::Catalogue &catalogue) {
        welcomedBy << id;
        if (catalogue.departments().isEmpty())
            violations << u"Welcome without a catalogue"_s;
        marks << u"welcomed"_s;
    });
    connect(&engine, &SyncEngine::serverChanged, this, [this](const QString &id) {
        changedTo << id;
        marks << u"serverChanged"_s;
        events.clear();
        lastSequence = 0;
    });
    connect(&engine, &SyncEngine::eventsReceived, this, &SyncRecorder::onEvents);
    connect(&engine, &SyncEngine::snapshotReceived, this,
            [this](const QList<domain::VisitStatus> &rows, quint64 sequence) {
                ++snapshots;
                snapshotRows = rows;
                snapshotSequence = sequence;
                lastSequence = sequence;
                marks << u"snapshot %1 rows at %2"_s.arg(rows.size()).arg(sequence);
            });
    connect(&engine, &SyncEngine::commandQueued, this, [this](const QUuid &id) {
        queued << id;
        marks << u"queued %1"_s.arg(domain::idString(id));
    });
    connect(&engine, &SyncEngine::commandAnswered, this, [this](const client::CommandOutcome &o) {
        answers << Answer{o, lastSequence};
        marks << u"answered %1 %2"_s.arg(domain::idString(o.commandId), o.applied ? u"applied"_s : u"refused"_s);
    });
    connect(&engine, &SyncEngine::lastContact, this, [this](const QDateTime &) { ++contacts; });
    connect(&engine, &SyncEngine::error, this, [this](const QString &message) { errors << message; });
}

void SyncRecorder::onEvents(const QList<domain::Event> &delivered)
{
    if (delivered.isEmpty()) {
        violations << u"an empty eventsReceived"_s;
        return;
    }
    if (delivered.size() > 1000)
        violations << u"a batch of %1 events"_s.arg(delivered.size());
    for (const domain::Event &e : delivered) {
        if (e.sequence != lastSequence + 1)
            violations << u"event %1 delivered after %2"_s.arg(e.sequence).arg(lastSequence);
        lastSequence = e.sequence;
        events.append(e);
    }
    marks << u"events %1-%2"_s.arg(delivered.front().sequence).arg(delivered.back().sequence);
}

int SyncRecorder::answersFor(const QUuid &commandId) const
{
    return int(std::count_if(answers.cbegin(), answers.cend(),
                             [&](const Answer &a) { return a.outcome.commandId == commandId; }));
}

const SyncRecorder::Answer *SyncRecorder::answerFor(const QUuid &commandId) const
{
    for (const Answer &a : answers) {
        if (a.outcome.commandId == commandId)
            return &a;
    }
    return nullptr;
}

QByteArray SyncRecorder::streamHash() const
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const domain::Event &e : events) {
        hash.addData(QByteArray::number(e.sequence));
        hash.addData(e.id.toRfc4122());
    }
    return hash.result().toHex();
}

QByteArray logHash(const std::vector<v1::Event> &events)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const v1::Event &e : events) {
        hash.addData(QByteArray::number(e.sequence()));
        hash.addData(idOf(e.id()).toRfc4122());
    }
    return hash.result().toHex();
}

QString SyncRecorder::describe() const
{
    return u"delivered up to %1 (head %2), %3 events, state %4, violations [%5], errors [%6], last marks [%7]"_s
        .arg(lastSequence)
        .arg(head)
        .arg(events.size())
        .arg(int(state))
        .arg(violations.mid(0, 5).join(u"; "_s), errors.mid(0, 5).join(u"; "_s),
             marks.mid(marks.size() - 8).join(u"; "_s));
}

client::SyncSettings syncSettings(const ServerProcess &server, const QString &station, domain::Role role)
{
    client::SyncSettings s;
    s.requestEndpoint = u"tcp://127.0.0.1:%1"_s.arg(server.port());
    s.publishEndpoint = u"tcp://127.0.0.1:%1"_s.arg(server.pubPort());
    s.station = station;
    s.role = role;
    if (const auto enrolment = server.enrol(station, role))
        s.keys = enrolment->keys;
    s.clientVersion = u"sync-test"_s;
    return s;
}

client::OutgoingCommand outgoing(const QString &station, const domain::Command &command)
{
    return client::OutgoingCommand{domain::CommandMeta{domain::newId(), station, QDateTime::currentDateTimeUtc()},
                                   command};
}

quint64 waitForHead(TestStation &station, quint64 atLeast, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    quint64 head = 0;
    for (;;) {
        if (auto batch = station.fetchEvents(0, 1))
            head = batch->head_sequence();
        if (head >= atLeast || deadline.hasExpired())
            return head;
        QTest::qWait(50);
    }
}

quint64 waitForQuietHead(TestStation &station, int quietMs, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    quint64 head = waitForHead(station, 0, 1000);
    for (;;) {
        QTest::qWait(quietMs);
        const quint64 now = waitForHead(station, 0, 1000);
        if (now == head || deadline.hasExpired())
            return now;
        head = now;
    }
}

bool waitPastPublished(SyncRecorder &recorder, TestStation &desk, int timeoutMs)
{
    const domain::RegisterVisit barrier = registerVisit();
    if (!desk.submitAndWait(barrier).applied)
        return false;
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const bool reacted = std::any_of(recorder.events.cbegin(), recorder.events.cend(), [&](const domain::Event &e) {
            return e.visitId == barrier.receptionId && std::holds_alternative<domain::TreatmentStarted>(e.payload);
        });
        if (reacted)
            return true;
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
}

} // namespace clinicflow::testsupport
