// The gateway's thread, declared for the files that implement it (Gateway.cpp: sockets, sessions, requests and
// publishing; GatewayIntake.cpp: storing submitted commands without blocking the thread; GatewayOutcomes.cpp: the
// outcomes answered to the stations waiting for them; GatewayPeers.cpp: who may connect, their connections and
// revocations). Private to the gateway.
#pragma once

#include "CommandIntake.h"
#include "Gateway.h"
#include "HostCounts.h"
#include "PageReader.h"
#include "RemoteOutcomes.h"
#include "Sessions.h"
#include "SyncReader.h"
#include "common/LogThrottle.h"
#include "common/Metrics.h"
#include "domain/Commands.h"
#include "security/ZapHandler.h"

#include <QHash>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <zmq.hpp>

namespace clinicflow::server {

// Everything that lives on the gateway thread: sockets, database connection, sessions and pending replies.
class Gateway::Loop
{
public:
    Loop(const GatewaySettings &settings, Bus &bus, GroupCommit &commit, zmq::context_t &zmq)
        : m_settings(settings)
        , m_bus(bus)
        , m_commit(commit)
        , m_zmq(zmq)
        , m_zap(zmq, [this] { refreshStations(RefreshFor::UnknownKey); })
        , m_router(zmq, zmq::socket_type::router)
        , m_pub(zmq, zmq::socket_type::xpub)
        , m_routerMonitor(zmq, zmq::socket_type::pair)
        , m_limits(settings.limits)
    {
    }

    ~Loop()
    {
        if (m_intake)
            m_commit.call([this](Database &) { m_intake.reset(); });
    }

    domain::Result<bool> open();
    // Turns until stop; once draining has been seen at the start of a turn and every intake taken before is
    // stored, sets settled.
    void run(const std::atomic<bool> &stop, const std::atomic<bool> &draining, std::atomic<bool> &settled);

private:
    // Events in one publication (an EventBatch on a role's topic) at most; the PUB's high-water mark counts
    // publications, --pub-queue / this many.
    static constexpr int kEventsPerPublication = 32;
    // Socket monitor events read in one turn, per socket: a few hundred microseconds of work at most.
    static constexpr int kMonitorEventsPerTurn = 64;

    struct Pending
    {
        zmq::message_t identity;
        v1::Envelope envelope;
        QString station;                         // the session's
        domain::Result<domain::Command> command; // decoded once, by Sessions::authorize(), or its refusal
        std::chrono::steady_clock::time_point arrived = std::chrono::steady_clock::now(); // read from its socket
    };

    void readRequests(const std::atomic<bool> &draining);
    // The sender of a request: the station its connection was admitted as (User-Id) and the connection.
    struct Peer
    {
        QByteArray routingId;
        QString station;
        int connection = -1;
    };
    void handle(zmq::message_t identity, const Peer &peer, const v1::Envelope &request, std::vector<Pending> &submits,
                bool draining);

    // GatewayPeers.cpp
    domain::Result<bool> openPeers(); // the ZAP handler's stations and the ROUTER's monitor, before binding
    domain::Result<bool> bindPub();
    // What both sockets share: CURVE with the server's key in the ZAP domain, no linger, libzmq's heartbeats.
    static void prepareServerSocket(zmq::socket_t &socket, const security::KeyPair &keys);
    // Whether a message from this station may be read at all: enrolled and not revoked (else logged once).
    bool admits(const QString &station);
    // Reads the enrolled stations again, now or when the last read is old enough; cuts the newly revoked.
    enum class RefreshFor
    {
        Start,      // now
        Turn,       // every few hundred ms: revocations take effect within a second
        UnknownKey, // a key the ZAP handler does not know: at most every few ms, whatever a flood of keys does
    };
    void refreshStations(RefreshFor why);
    void cutStation(const QString &station);
    // The socket monitors' news, at most kMonitorEventsPerTurn a turn: a burst of connections (hundreds opened and
    // closed at once by a flood) is read between the stations' requests, not ahead of them. True once none waits.
    bool readRouterMonitor();
    void noteRouterConnection(quint16 event, int fd);
    // The status socket's connections, capped like the request socket's (in all and per address).
    bool readPubMonitor();
    void notePubConnection(quint16 event, int fd);
    void logRefusedHandshake(const QString &address);
    // Admits the subscriptions a station's role allows (its role's topic and the common one), refuses the rest.
    void readSubscriptions();
    // Whether a subscription through this status connection may be applied: a station's subscriptions are applied
    // for at most maxSessionsPerStation connections, since each one the XPUB serves may hold up to its high-water
    // mark of events for a subscriber that does not read. A refused connection is sent nothing at all.
    bool admitsSubscriber(int fd, const QString &station);
    // An intake takes more submits until its round begins it: `begun`, set by the unit under `mutex`, closes it.
    struct IntakeOpen
    {
        std::mutex mutex;
        bool begun = false;
    };
    struct Intake
    {
        std::vector<Pending> submits;
        std::shared_ptr<std::vector<IntakeRequest>> requests;
        std::shared_ptr<domain::Result<std::vector<IntakeResult>>> results;
        std::future<domain::Result<bool>> stored;
        std::shared_ptr<IntakeOpen> open;
    };
    static common::Counter &commandCounter(const char *result); // commands by result, for /metrics
    // clinicflow_gateway_answer_seconds{answer}: from a command's arrival to its Queued answer ("queued"), and to the
    // answer with its outcome ("outcome"), as this thread sends them; the server's share of what a station waits.
    static void observeAnswer(const char *answer, std::chrono::steady_clock::time_point arrived);
    // clinicflow_gateway_limited_total{limit}: refusals for being over a station's share or a cap.
    static common::Counter &limitedCounter(const char *what);
    static IntakeRequest intakeRequest(const Pending &submit);
    void startIntake(std::vector<Pending> submits, std::vector<IntakeRequest> requests);
    // Hands the submits read meanwhile to the commit rounds. They join the intake still waiting for its round, or
    // else start one: a command waits for the next round to begin, never for a whole round to end first, and there
    // is still one unit per round, however many turns read its commands (each unit costs a look-up and the inserts,
    // and a savepoint when it shares its round).
    void startWaitingIntake();
    // Answers the intakes whose round is durable, in order; with `wait`, every one still running.
    void finishIntakes(bool wait);
    void answerIntake(Intake &intake);
    // Sends the pages the PageReader has read, to the stations still connected, and notes their audit entries.
    void deliverPages();
    // GatewayOutcomes.cpp: what this process's workers resolved, and what other processes' did.
    void deliverOutcomes();
    void sweepRemoteOutcomes();
    void deliver(const Outcome &outcome);
    // Answers a command just noted as waiting whose outcome was delivered before (m_early).
    void claimEarlyOutcome(const QUuid &commandId);
    void publishEvents();
    void heartbeat();
    // GatewayAudit.cpp: the reads of personal data served, for the audit trail.
    void auditPublished(domain::Role role, const v1::Event &event, quint64 sequence);
    void noteSubscription(const std::string &topic, const QString &station, bool subscribe);
    void flushAudit();

    // GatewayLimits.cpp: each station's share (StationLimits), caps on connections and sessions, and the warnings
    // of a noisy peer summed up.
    // Whether the station may make this request now; if not, it is answered RATE_LIMITED (with the wait) here.
    bool withinShare(const zmq::message_t &identity, const Peer &from, const v1::Envelope &request);
    // Whether a page may be served to the station now; if not, answered RATE_LIMITED here.
    bool mayServePage(const zmq::message_t &identity, const QString &station, quint64 requestId);
    // A page request of a station that has PageReader::kMaxWaitingPerStation waiting: RATE_LIMITED.
    void replyPagesWaiting(const zmq::message_t &identity, const QString &station, quint64 requestId);
    void replyRateLimited(const zmq::message_t &identity, const QString &station, std::chrono::milliseconds wait,
                          const QString &what, quint64 requestId);
    // Whether the station's pending commands leave room for one more; if not, answered RATE_LIMITED here.
    bool mayTakeCommand(const zmq::message_t &identity, const QString &station, quint64 requestId);
    // A Submit whose command fails the shared rules of shape: answered Rejected at once, stored nowhere.
    bool rejectedBeforeStoring(const zmq::message_t &identity, const Session &session, const v1::Submit &submit,
                               const domain::Command &command, quint64 requestId);
    // A station that ignored ignoredBeforeShutOut refusals in a row (StationLimits::ignoresRefusals) is shut out:
    // its connections closed and refused by the ZAP handler for kShutOutFor, its messages already read dropped.
    void shutOutIfIgnoring(const QString &station);
    // Shuts down the sockets of the station's connections (the ones the monitor still reports open); how many.
    int shutConnectionsOf(const QString &station, const QList<int> &sessionConnections);
    // A new connection over the caps is closed at once (true). It is counted already, in all and for its host.
    bool closeIfOverCap(int fd, const QString &address, const QString &host);
    bool sessionsFull(const QString &station, int connection) const;
    void cutConnection(int fd, const QString &station); // one over the station's cap of connections
    void noteWaiting(const QUuid &commandId, const QByteArray &peer, domain::BoundedContext context,
                     const QString &station, std::chrono::steady_clock::time_point arrived);
    void expireWaiting();
    // A warning about a peer, written unless lines about it were written in the last window (then counted).
    bool warnAbout(const QString &peer);
    bool warnAboutDatabase(const QString &doing);
    void writeWarningSummaries(bool all = false); // all: the windows not yet over too (the loop stops)

    // GatewayReplies.cpp: answers to a peer, in order; those its queue cannot take at once wait in its backlog.
    enum class SendResult
    {
        Sent,
        Full, // the peer's queue (sndhwm) is full: try again later
        Gone, // the peer is not connected
    };
    SendResult trySend(const zmq::message_t &identity, const std::string &bytes);
    // Sends what waits in the backlogs as the peers' queues take it; cuts a peer whose backlog made no progress for
    // a while (it does not read its answers).
    void flushReplyBacklogs();
    // The peer does not read its answers: its connection is cut, its backlog dropped.
    void cutSlowReader(const zmq::message_t &identity);

    // A ROUTER peer's routing id, in hex, for log lines about a peer with no station yet.
    static QString peerName(const zmq::message_t &identity);
    void reply(const zmq::message_t &identity, v1::Envelope &envelope, quint64 requestId);
    void replyEncoded(const zmq::message_t &identity, const std::string &bytes); // request id included
    void replyError(const zmq::message_t &identity, const domain::Error &error, quint64 requestId);
    void publish(const v1::Envelope &envelope); // on the common topic
    void publishRaw(const std::string &topic, const std::string &bytes);
    static v1::Envelope outcomeEnvelope(const CommandRecord &record);

    const GatewaySettings &m_settings;
    Bus &m_bus;
    GroupCommit &m_commit;
    zmq::context_t &m_zmq;
    ZapHandler m_zap; // bound before the sockets it guards
    zmq::socket_t m_router;
    zmq::socket_t m_pub;
    zmq::socket_t m_routerMonitor;
    zmq::socket_t m_pubMonitor;           // a new one with each PUB (bindPub)
    int m_pubGeneration = 0;              // names each PUB's monitor endpoint
    QHash<int, QString> m_pubConnections; // the PUB's open connections: socket -> "ip:port"
    HostCounts m_pubConnectionsPerHost;
    struct Connection
    {
        QString address;    // "ip:port"
        QString host;       // its "ip", as counted in m_connectionsPerHost
        bool spoke = false; // a message came through it: its handshake succeeded
        QString station;    // who spoke through it
    };
    QHash<int, Connection> m_connections; // the ROUTER's open connections, by socket
    HostCounts m_connectionsPerHost;
    int m_failedHandshakes = 0; // reported by the monitor, not yet matched to a closed connection
    int m_unnamedRefusals = 0;  // of those, closed before their address could be read
    std::chrono::steady_clock::time_point m_lastUnnamedRefusalLog;
    QSet<QString> m_loggedPeers; // stations and addresses already logged as refused
    std::chrono::steady_clock::time_point m_lastStationsRead;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Database> m_viewDb;
    std::unique_ptr<CommandIntake> m_intake;
    std::unique_ptr<SyncReader> m_reader; // Welcome, and the events to publish
    std::unique_ptr<PageReader> m_pages;  // pages stations fetch, on a thread of its own
    std::unique_ptr<RemoteOutcomes> m_remote;
    Sessions m_sessions;
    struct ReplyBacklog
    {
        std::deque<std::string> replies; // encoded envelopes, in the order they were answered
        std::chrono::steady_clock::time_point lastProgress;
    };
    QHash<QByteArray, ReplyBacklog> m_replyBacklogs; // by routing id
    struct Waiting
    {
        QByteArray peer; // identity of the peer waiting for the outcome
        domain::BoundedContext context = domain::BoundedContext::Reception;
        QString station;
        std::chrono::steady_clock::time_point since;
        std::chrono::steady_clock::time_point arrived; // of the last submit of it (observeAnswer)
    };
    QHash<QUuid, Waiting> m_waiting; // by command id
    struct Early
    {
        v1::Envelope envelope;
        std::chrono::steady_clock::time_point at;
    };
    QHash<QUuid, Early> m_early;           // outcomes delivered while nobody waited yet, kept kEarlyKept
    std::deque<Intake> m_intakes;          // started, in order
    std::vector<Pending> m_submitsWaiting; // read this turn, for the intake that waits for its round
    quint64 m_published = 0;
    std::vector<AuditEntry> m_auditReads;            // this turn's, written at its end
    QHash<std::string, QSet<QString>> m_subscribers; // stations by topic granted, since the PUB was bound
    QHash<int, QString> m_pubSubscribers;            // status connections with subscriptions applied: socket -> station
    std::chrono::steady_clock::time_point m_lastHeartbeat;
    std::chrono::steady_clock::time_point m_lastSweep;
    std::chrono::steady_clock::time_point m_lastPublishRead; // publishEvents
    std::chrono::steady_clock::time_point m_lastStragglerLook;
    bool m_sweepOwed = false; // told of a commit elsewhere since the last look (sweepRemoteOutcomes)
    StationLimits m_limits;
    common::LogThrottle m_warnings{std::chrono::seconds(10), 20}; // 20 lines per peer per 10 s, then a summary
    // The database's failures, by what the gateway was doing: a database that went away fails every turn's reads and
    // every intake until the server stops its modules (main.cpp), and its operator needs the first lines, not each.
    common::LogThrottle m_databaseWarnings{std::chrono::seconds(10), 2};
    QHash<QByteArray, int> m_peerConnections; // the connection each ROUTER peer spoke through last
    std::chrono::steady_clock::time_point m_lastHousekeeping;
};

} // namespace clinicflow::server
