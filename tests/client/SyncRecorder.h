// Listens to every signal of a SyncEngine in the sync tests and keeps what they carried, in arrival order, and
// checks the stream promise as it goes: each eventsReceived continues exactly where the last delivery (events, a
// snapshot, or 0 after serverChanged) stopped. Plus the few helpers the sync tests share.
#pragma once

#include "ServerProcess.h"
#include "TestStation.h"
#include "sync/SyncEngine.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QStringList>

namespace clinicflow::testsupport {

class SyncRecorder : public QObject
{
    Q_OBJECT
public:
    explicit SyncRecorder(client::SyncEngine &engine, quint64 startSequence = 0);

    struct Answer
    {
        client::CommandOutcome outcome;
        quint64 deliveredBefore = 0; // the last delivered sequence when the answer arrived
    };

    domain::Role role = domain::Role::Board; // the engine's: what its station may read of each event
    client::ConnectionState state = client::ConnectionState::Offline;
    QList<client::ConnectionState> states;
    QList<domain::Event> events; // everything delivered, since the start or the last serverChanged
    quint64 lastSequence = 0;    // of the last delivery
    quint64 head = 0;            // from progress()
    QStringList violations;      // broken stream promises
    QStringList marks;           // one line per signal, in order ("serverChanged", "events 1-15", ...)
    QList<QUuid> queued;
    QList<Answer> answers;
    QStringList errors;
    QStringList welcomedBy;
    QStringList changedTo;
    QList<domain::VisitStatus> snapshotRows;
    quint64 snapshotSequence = 0;
    int snapshots = 0;
    int contacts = 0;

    int answersFor(const QUuid &commandId) const;
    const Answer *answerFor(const QUuid &commandId) const;
    // SHA-1 over (sequence, id) of the delivered events, in order: equal for two engines that saw the same stream.
    QByteArray streamHash() const; // logHash() of the server's log when the engine delivered exactly it
    QString describe() const;      // for failure messages

private:
    void onEvents(const QList<domain::Event> &delivered);
};

// SyncRecorder::streamHash() of a stream that is exactly these events (a log a TestStation fetched).
QByteArray logHash(const std::vector<v1::Event> &events);
// Settings for an engine against this server, with the default timing.
client::SyncSettings syncSettings(const ServerProcess &server, const QString &station, domain::Role role);
client::OutgoingCommand outgoing(const QString &station, const domain::Command &command);
// The server's head once it reached atLeast (saga reactions are asynchronous), or what it was at the deadline.
quint64 waitForHead(TestStation &station, quint64 atLeast, int timeoutMs = 15000);
// The server's head once it stopped moving for quietMs.
quint64 waitForQuietHead(TestStation &station, int quietMs = 600, int timeoutMs = 30000);
// A barrier on PUB: `desk` registers a visit, and this waits until the engine delivered its events and the saga's
// reactions. PUB keeps the server's order, so whatever the server published before (a second copy of an answer,
// say) has reached the engine by then. False at the deadline.
bool waitPastPublished(SyncRecorder &recorder, TestStation &desk, int timeoutMs = 15000);

} // namespace clinicflow::testsupport
