// The gateway's thread, declared for the files that implement it (Gateway.cpp: sockets, sessions, answers and
// publishing; GatewayIntake.cpp: storing submitted commands without blocking the thread). Private to the gateway.
#pragma once

#include "CommandIntake.h"
#include "Gateway.h"
#include "RemoteOutcomes.h"
#include "Sessions.h"
#include "SyncReader.h"
#include "common/Metrics.h"
#include "domain/Commands.h"

#include <QHash>
#include <deque>
#include <future>
#include <memory>
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
        , m_router(zmq, zmq::socket_type::router)
        , m_pub(zmq, zmq::socket_type::pub)
    {
    }

    ~Loop()
    {
        if (m_intake)
            m_commit.call([this](Database &) { m_intake.reset(); });
    }

    domain::Result<bool> open();
    void run(const std::atomic<bool> &stop, const std::atomic<bool> &draining);

private:
    struct Pending
    {
        zmq::message_t identity;
        v1::Envelope envelope;
        QString station;                         // the session's
        domain::Result<domain::Command> command; // decoded once, by Sessions::authorize(), or its refusal
    };

    void readRequests(const std::atomic<bool> &draining);
    void handle(zmq::message_t identity, const v1::Envelope &request, std::vector<Pending> &submits, bool draining);
    struct Intake
    {
        std::vector<Pending> submits;
        std::shared_ptr<std::vector<IntakeRequest>> requests;
        std::shared_ptr<domain::Result<std::vector<IntakeResult>>> results;
        std::future<domain::Result<bool>> stored;
    };
    static common::Counter &commandCounter(const char *result); // commands by result, for /metrics
    void startIntake(std::vector<Pending> submits);
    // Answers the intakes whose round is durable, in order; with `wait`, every one still running.
    void finishIntakes(bool wait);
    void answerIntake(Intake &intake);
    void deliverOutcomes();
    void sweepRemoteOutcomes();
    void deliver(const Outcome &outcome);
    void publishEvents();
    void heartbeat();

    void reply(const zmq::message_t &identity, v1::Envelope &envelope, quint64 requestId);
    void replyError(const zmq::message_t &identity, const domain::Error &error, quint64 requestId);
    void publish(const v1::Envelope &envelope);
    void publishRaw(const std::string &bytes);
    static v1::Envelope outcomeEnvelope(const CommandRecord &record);

    const GatewaySettings &m_settings;
    Bus &m_bus;
    GroupCommit &m_commit;
    zmq::socket_t m_router;
    zmq::socket_t m_pub;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Database> m_viewDb;
    std::unique_ptr<CommandIntake> m_intake;
    std::unique_ptr<SyncReader> m_reader;
    std::unique_ptr<RemoteOutcomes> m_remote;
    Sessions m_sessions;
    struct Waiting
    {
        QByteArray peer; // identity of the peer waiting for the outcome
        domain::BoundedContext context = domain::BoundedContext::Reception;
    };
    QHash<QUuid, Waiting> m_waiting; // by command id
    std::deque<Intake> m_intakes;    // started, in order
    quint64 m_published = 0;
    std::chrono::steady_clock::time_point m_lastHeartbeat;
    std::chrono::steady_clock::time_point m_lastSweep;
};

} // namespace clinicflow::server
