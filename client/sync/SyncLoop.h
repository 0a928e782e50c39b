// Everything that runs on the sync engine's own thread: the zmq::poll loop over the DEALER, the SUB, the DEALER's
// monitor and the Mailbox's eventfd; the session (Hello, Welcome, a new session after every lost connection); the
// catch-up (snapshot pages, pipelined event pages); live events in order with gap repair; the outbox with resends;
// and the connection state. It reports through the Sink and never touches a Qt object of another thread.
#pragma once

#include "CommandTracker.h"
#include "EventSequencer.h"
#include "SyncSink.h"
#include "SyncSockets.h"
#include "clinicflow/v1/envelope.pb.h"

#include <QHash>
#include <optional>

namespace clinicflow::client::sync {

class SyncLoop
{
public:
    SyncLoop(const SyncSettings &settings, Mailbox &mailbox, Sink &sink, FeedCounters &feed);
    SyncLoop(const SyncLoop &) = delete;
    SyncLoop &operator=(const SyncLoop &) = delete;

    // Runs until the Mailbox asks to stop; the sockets close (linger 0) on the way out.
    void run(quint64 lastSequence, const QList<OutgoingCommand> &unanswered);

private:
    enum class Kind
    {
        Hello,
        Ping,
        Fetch,
        Snapshot,
        Submit
    };
    struct Request
    {
        Kind kind = Kind::Ping;
        QUuid commandId; // Submit
        Clock::time_point sentAt;
        quint64 id = 0;
    };
    struct SnapshotState
    {
        bool active = false;
        quint64 requestId = 0; // of the page on its way; 0 when it must be (re)sent
        Clock::time_point sentAt;
        std::string after; // cursor of the next page
        QList<domain::VisitStatus> rows;
        std::optional<quint64> sequence;                                      // the smallest page position
        std::vector<std::pair<quint64, std::optional<domain::Event>>> parked; // live events meanwhile
    };

    void turn();
    void takeMail();
    void admit(OutgoingCommand command);
    void readDealer(Clock::time_point now);
    void readSub(Clock::time_point now);
    void onTimers(Clock::time_point now);
    void finishTurn(Clock::time_point now);
    void idleUntilStopped();

    // Replies and publications (SyncLoopReplies.cpp).
    void handleReply(const v1::Envelope &envelope, Clock::time_point now);
    void handlePublished(const v1::Envelope &envelope);
    void onWelcome(const v1::Welcome &welcome, Clock::time_point now);
    void onEventBatch(quint64 requestId, const v1::EventBatch &batch, Clock::time_point now);
    void onSnapshot(quint64 requestId, const v1::Snapshot &page, Clock::time_point now);
    void onError(const std::optional<Request> &request, const v1::Error &error, Clock::time_point now);
    void onApplied(const v1::Applied &applied);
    void onRejected(const std::optional<Request> &request, const v1::Rejected &rejected, Clock::time_point now);
    void addEvent(const v1::Event &event, bool live);
    void finishSnapshot();
    // A Submit the server answered "who are you?": its session is gone (a restart). True when the command stays.
    bool sessionRefused(const QUuid &commandId, Clock::time_point now);

    quint64 sendRequest(v1::Envelope &envelope, Kind kind, Clock::time_point now, const QUuid &commandId = {});
    void sendHello(Clock::time_point now);
    void sendPing(Clock::time_point now);
    void sendFetches(Clock::time_point now);
    void sendCommands(Clock::time_point now);
    void requestSnapshotPage(Clock::time_point now);
    void sessionLost(const char *why, Clock::time_point now);

    // The station's share of the server (docs/protocol.md §1), kept to after a RATE_LIMITED.
    void heldOff(const Request &request, const v1::Error &error, Clock::time_point now);
    void submitAnswered(quint64 requestId, bool taken);

    void answer(CommandOutcome outcome);
    void releaseHeld(bool all = false);
    void flushEvents();
    void updateState(Clock::time_point now);
    // Logs, and signals error() unless the same kind of complaint was signalled in the last few seconds. The kind
    // defaults to the text; messages that name a sequence or id pass a fixed kind so a flood stays one signal.
    void reportError(const QString &message, const char *kind = nullptr);

    const SyncSettings &m_settings;
    Mailbox &m_mailbox;
    Sink &m_sink;
    FeedCounters &m_feed;
    SyncSockets m_sockets;
    EventSequencer m_sequencer;
    CommandTracker m_commands;
    QHash<quint64, Request> m_requests; // by request id, for the reply that echoes it
    quint64 m_nextRequestId = 0;
    bool m_stop = false;

    QString m_knownServerId;
    bool m_welcomed = false;
    std::optional<Clock::time_point> m_helloSentAt;
    SnapshotState m_snapshot;

    Clock::time_point m_lastHeard;       // anything on either socket
    Clock::time_point m_lastHeardDealer; // a reply: no Ping needed meanwhile
    Clock::time_point m_lastPing;
    Clock::time_point m_lastRecreate;
    Clock::time_point m_lastPrune;

    QList<domain::Event> m_out;         // delivered, not yet posted
    std::vector<CommandOutcome> m_held; // Applied, waiting for its events to be delivered
    std::optional<ConnectionState> m_state;
    std::pair<quint64, quint64> m_reportedProgress{~quint64(0), ~quint64(0)};
    std::optional<Clock::time_point> m_contactReported;
    Clock::time_point m_contactHeard; // the m_lastHeard that was reported
    QString m_lastErrorKind;
    Clock::time_point m_lastErrorAt;

    // After a RATE_LIMITED nothing but a Ping goes out until the time the server said. A refused page is asked for
    // again first, and no Submit goes out while it is on its way: a page costs ten requests' worth, and a stream of
    // Submits would take every request the station's share frees, so that it would never catch up (and an Applied
    // is reported only once its events are delivered). Submits then go out a window at a time, the window growing
    // by one with each Submit taken, so that the outbox's tail is not sent again and again only to be refused.
    std::optional<Clock::time_point> m_heldUntil;
    bool m_pageRefused = false;
    int m_submitWindow = 0;                       // Submits awaiting their reply at most; 0: no limit
    QHash<quint64, Clock::time_point> m_windowed; // Submits sent under the window, by request id, awaiting a reply
};

} // namespace clinicflow::client::sync
