// The workstation's sync engine (ARCHITECTURE §5): a GUI-thread facade over a ZeroMQ DEALER (requests) and SUB
// (the gateway's PUB) that live on one thread of their own running zmq::poll (§10). It says Hello, catches up with
// events or a snapshot, applies live events strictly in order and repairs gaps, sends the outbox and resends it
// until every command is answered, and tells online from offline. Everything it reports arrives as signals on the
// thread the engine lives in.
#pragma once

#include "ClientTypes.h"
#include "SyncSettings.h"
#include "domain/Catalogue.h"
#include "domain/Events.h"
#include "domain/StatusView.h"

#include <QObject>
#include <memory>
#include <thread>

namespace clinicflow::client {

namespace sync {
struct Mailbox;
struct FeedCounters;
} // namespace sync

class SyncEngine : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncEngine)
public:
    explicit SyncEngine(SyncSettings settings, QObject *parent = nullptr);
    ~SyncEngine() override; // stops

    // The settings, with serverId following every Welcome delivered to this thread.
    const SyncSettings &settings() const { return m_settings; }

    // Starts the engine's thread. lastAppliedSequence is the replica's position (0 for a fresh one); unanswered is
    // the durable outbox in order, sent after the first Welcome. Does nothing when already running.
    void start(quint64 lastAppliedSequence, QList<OutgoingCommand> unanswered);
    // Appends a command to the send queue (after everything given before). A command id already in the queue is
    // ignored. Before start() it waits for start().
    void submit(const OutgoingCommand &command);
    // Closes the sockets (linger 0) and joins the thread. Signals the thread posted and this thread has not yet
    // handled are dropped: what they carried is fetched or answered again after the next start().
    void stop();
    bool isRunning() const { return m_thread.joinable(); }

    // The last state reported by stateChanged (Offline before start()).
    ConnectionState state() const { return m_state; }

    // New events since construction, by where they first came from: live on the status feed, or fetched (the
    // catch-up, and what the feed left out: a high-water mark passed, a lossy network). For diagnostics and tests.
    struct FeedCounts
    {
        quint64 live = 0;
        quint64 fetched = 0;
    };
    FeedCounts feedCounts() const;

signals:
    void stateChanged(clinicflow::client::ConnectionState state);
    // After every delivery: the last sequence handed out by eventsReceived/snapshotReceived, and the server's head.
    void progress(quint64 lastSequence, quint64 headSequence);
    void welcomed(const QString &serverId, const clinicflow::domain::Catalogue &catalogue);
    // The server is not the one the replica came from (another server id, or a head behind the replica): reset the
    // replica. Emitted before any event of that server; the engine then continues from sequence 0 (or a snapshot).
    void serverChanged(const QString &newServerId);
    // Always contiguous: the first is exactly one after the last sequence delivered (by events or a snapshot), then
    // strictly increasing by one, never repeated. An event the engine cannot read (from a newer server) is skipped
    // and reported through error(); that is the only way a sequence can be missing.
    void eventsReceived(const QList<clinicflow::domain::Event> &events);
    // Stations with useSnapshots (boards) only, when the server advises it or after serverChanged: the whole status
    // view. Replace every row; events continue with sequence + 1.
    void snapshotReceived(const QList<clinicflow::domain::VisitStatus> &rows, quint64 sequence);
    // The server stored the command in its inbox (once per command and start()).
    void commandQueued(const QUuid &commandId);
    // Once per command: Applied (after the events it produced were delivered by eventsReceived) or Rejected, or a
    // protocol Error that resending would not cure.
    void commandAnswered(const clinicflow::client::CommandOutcome &outcome);
    // When the server was last heard from (at most once a second).
    void lastContact(const QDateTime &at);
    // A problem the server reported (a refused role or station, a malformed message) or a message the engine could
    // not read. Logged too, never with personal data.
    void error(const QString &message);

private:
    class Sink;
    SyncSettings m_settings;
    std::shared_ptr<sync::Mailbox> m_mailbox;
    const std::shared_ptr<sync::FeedCounters> m_feed; // shared with the loop
    std::thread m_thread;
    quint64 m_generation = 0; // posted signals of an earlier run are dropped
    ConnectionState m_state = ConnectionState::Offline;
    QList<OutgoingCommand> m_early; // submitted before start()
};

} // namespace clinicflow::client
