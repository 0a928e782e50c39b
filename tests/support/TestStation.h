// A synchronous station for integration tests and benchmarks: a ZeroMQ DEALER to the gateway and a SUB to its PUB,
// used from the test's thread only. Requests wait for the reply that echoes their request id; everything else that
// arrives meanwhile (Queued, later Applied/Rejected) is kept in order for whoever asks for it next.
#pragma once

#include "clinicflow/v1/envelope.pb.h"
#include "domain/Commands.h"
#include "security/Enrolment.h"

#include <QByteArrayList>
#include <QHash>
#include <QString>
#include <QUuid>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace zmq {
class context_t;
class socket_t;
} // namespace zmq

namespace clinicflow::testsupport {

using namespace std::chrono_literals;

// How the server resolved one command.
struct Outcome
{
    bool answered = false; // false: nothing within the timeout
    bool applied = false;
    std::vector<quint64> sequences;
    v1::ErrorCode code = v1::ERROR_CODE_NONE; // of a Rejected, or of an Error reply to the Submit
    bool protocolError = false;               // the Submit got an Error envelope instead of an outcome
    QString message;
    QString describe() const; // for failure messages
};

struct EventLogRead
{
    bool ok = false;
    std::vector<v1::Event> events;
    quint64 head = 0;
};

struct SnapshotRead
{
    bool ok = false;
    std::vector<v1::VisitStatus> visits;
    quint64 sequence = 0; // the smallest page sequence: every row reflects at least this position
};

class TestStation
{
public:
    TestStation();
    ~TestStation();
    TestStation(const TestStation &) = delete;
    TestStation &operator=(const TestStation &) = delete;

    // Stations speak CURVE with an enrolled key (ARCHITECTURE §7). The server started for a port names who enrols
    // for it (ServerProcess does, through `clinicflow-server enrol`): hello() then enrols the station it names on
    // first use, and raw messages before any Hello come from an enrolled board station "ZZ".
    using Enroller = std::function<std::optional<security::Enrolment>(const QString &station, domain::Role role)>;
    static void setEnroller(quint16 port, Enroller enroller);

    // DEALER to tcp://127.0.0.1:port, and SUB (everything) to pubPort unless it is 0. Forgets earlier sockets; the
    // keys stay. The sockets open with the keys: now when they are known, else at the first Hello or send.
    void connect(quint16 port, quint16 pubPort = 0);
    void disconnect();
    // These keys from now on (another station's, a revoked one, or made-up ones), instead of the enroller's.
    void useKeys(const security::ClientKeys &keys, const QString &station = {});
    const std::optional<security::ClientKeys> &keys() const { return m_keys; }

    // Hello; the Welcome, or nothing (then lastError() says why, and lastErrorCode() gives an Error's code).
    // Without keys yet, the station is enrolled (as `station`, in `role`) first.
    std::optional<v1::Welcome> hello(const QString &station, v1::Role role, quint64 lastSequence = 0,
                                     std::chrono::milliseconds timeout = 10s);
    QString station() const { return m_station; }

    // Sends a Submit for the command (a fresh command id unless one is given) and returns the id at once.
    QUuid submit(const domain::Command &command, const QUuid &commandId = {});
    // Sends a Submit and returns the direct reply (Queued, a stored Applied/Rejected, a Rejected or an Error).
    std::optional<v1::Envelope> submitForReply(const domain::Command &command, const QUuid &commandId,
                                               std::chrono::milliseconds timeout = 10s);
    // Sends a Submit built by the caller as is (station and at_ms are filled in when empty); returns the request id.
    quint64 sendSubmit(v1::Submit submit);
    // Waits for the command's Applied or Rejected (skipping its Queued), or an Error answering its Submit.
    Outcome waitOutcome(const QUuid &commandId, std::chrono::milliseconds timeout = 10s);
    Outcome submitAndWait(const domain::Command &command, const QUuid &commandId = {},
                          std::chrono::milliseconds timeout = 10s);
    // The request id of the command's last Submit (0 when this station never sent it): its direct reply echoes it.
    quint64 requestIdOf(const QUuid &commandId) const { return m_submitRequest.value(commandId, 0); }
    // Outcomes already received, without waiting (reads what the socket holds now).
    std::optional<Outcome> takeOutcomeIfAny(const QUuid &commandId);

    std::optional<v1::EventBatch> fetchEvents(quint64 afterSequence, quint32 limit = 0,
                                              std::chrono::milliseconds timeout = 10s);
    // The whole log, page by page (pageLimit events per FetchEvents).
    EventLogRead fetchAllEvents(quint32 pageLimit = 5000, std::chrono::milliseconds timeout = 30s);
    SnapshotRead fetchSnapshot(quint32 pageLimit = 0, std::chrono::milliseconds timeout = 30s);
    std::optional<v1::Pong> ping(std::chrono::milliseconds timeout = 10s);

    // Sends a request with the next request id and waits for the reply echoing it.
    std::optional<v1::Envelope> request(v1::Envelope envelope, std::chrono::milliseconds timeout = 10s);
    // Waits for the reply echoing a request id sent earlier (e.g. by sendSubmit); other messages are kept.
    std::optional<v1::Envelope> replyTo(quint64 requestId, std::chrono::milliseconds timeout = 10s);
    void send(const v1::Envelope &envelope); // as is, request id included
    void sendRaw(const QByteArray &bytes);
    void sendRawFrames(const QByteArrayList &frames); // one multi-frame message
    // The next message from the gateway (kept ones first), or nothing within the timeout.
    std::optional<v1::Envelope> receive(std::chrono::milliseconds timeout = 10s);

    // Reads PUB for `timeout` (or until an event with sequence >= untilSequence arrived); the events by sequence.
    // Applied, Rejected and Heartbeat envelopes read on the way are kept in published().
    std::map<quint64, v1::Event> collectPublished(std::chrono::milliseconds timeout, quint64 untilSequence = 0);
    // Waits for a Heartbeat on PUB: proof the subscription is live (ZeroMQ drops what a SUB missed while joining).
    // Events read meanwhile are dropped: call it before the publications a test is about.
    std::optional<v1::Heartbeat> waitForHeartbeat(std::chrono::milliseconds timeout = 6s);
    const std::vector<v1::Envelope> &published() const { return m_published; }
    // Sequences of the events read from PUB, in the order they arrived.
    const std::vector<quint64> &arrivalOrder() const { return m_arrivalOrder; }
    // How many publications (EventBatch messages) carried them.
    int eventPublications() const { return m_eventPublications; }
    int largestEventPublication() const { return m_largestEventPublication; } // events

    QString lastError() const { return m_lastError; }
    v1::ErrorCode lastErrorCode() const { return m_lastErrorCode; }

private:
    // Opens the sockets when they are not: with the keys, enrolling `station` as `role` when there are none.
    void ensureSockets(const QString &station = QStringLiteral("ZZ"), domain::Role role = domain::Role::Board);
    bool pump(std::chrono::milliseconds wait); // reads at most one message from the DEALER into m_kept
    bool pumpSub(std::chrono::milliseconds wait, std::map<quint64, v1::Event> &events);
    std::optional<Outcome> findOutcome(const QUuid &commandId);
    quint64 nextRequestId() { return ++m_requestId; }

    std::unique_ptr<zmq::context_t> m_context;
    std::unique_ptr<zmq::socket_t> m_dealer;
    std::unique_ptr<zmq::socket_t> m_sub;
    std::deque<v1::Envelope> m_kept;
    std::vector<v1::Envelope> m_published;
    std::vector<quint64> m_arrivalOrder;
    int m_eventPublications = 0;
    int m_largestEventPublication = 0;
    QHash<QUuid, quint64> m_submitRequest; // command id -> request id of its last Submit
    QString m_station;
    std::optional<security::ClientKeys> m_keys;
    QString m_keysStation;           // the station the keys are enrolled as, when known
    bool m_keysFromEnroller = false; // asked again at each connect(): the server there may be another one
    domain::Role m_keysRole = domain::Role::Board;
    quint16 m_port = 0;
    quint16 m_pubPort = 0;
    quint64 m_requestId = 1000;
    QString m_lastError;
    v1::ErrorCode m_lastErrorCode = v1::ERROR_CODE_NONE;
};

} // namespace clinicflow::testsupport
