// The sync engine's ZeroMQ sockets, all owned and used by the engine's thread alone (ARCHITECTURE §10): a DEALER to
// the gateway's ROUTER, a SUB to its PUB, and a PAIR that hears the DEALER's monitor. The monitor is how a restarted
// server is noticed: libzmq reconnects a DEALER silently, but a new server process has no session for it, so the
// engine rebuilds the DEALER on every disconnect and starts again with Hello.
#pragma once

#include "SyncSettings.h"

#include <QString>
#include <memory>
#include <string>
#include <zmq.hpp>

namespace clinicflow::client::sync {

class SyncSockets
{
public:
    explicit SyncSockets(const SyncSettings &settings);
    ~SyncSockets();
    SyncSockets(const SyncSockets &) = delete;
    SyncSockets &operator=(const SyncSockets &) = delete;

    // Connects the SUB and a first DEALER; an error text when an endpoint is unusable.
    QString open();
    // A fresh DEALER (and monitor): whatever the old one still queued is dropped with it.
    void recreateDealer();

    zmq::socket_t &dealer() { return *m_dealer; }
    zmq::socket_t &sub() { return *m_sub; }
    zmq::socket_t &monitor() { return *m_monitor; }

    // Queues one message on the DEALER without blocking. False when it cannot go now: no connected server
    // (ZMQ_IMMEDIATE keeps messages from piling up for a dead link) or a full queue. The caller tries again later.
    bool send(const std::string &bytes);

    enum class Read
    {
        None,
        Message,
        Malformed
    };
    // One whole message from `socket` without blocking; Malformed when it had more than one frame (dropped).
    Read receive(zmq::socket_t &socket, zmq::message_t &out);
    // One publication from the SUB: its topic frame, then the envelope in `out`; Malformed for any other shape.
    Read receivePublished(zmq::message_t &out);
    // Reads every pending monitor event; true when one of them said the DEALER lost its connection.
    bool takeDisconnect();

private:
    void closeDealer();
    const SyncSettings &m_settings;
    zmq::context_t m_context{1};
    std::unique_ptr<zmq::socket_t> m_dealer;
    std::unique_ptr<zmq::socket_t> m_monitor;
    std::unique_ptr<zmq::socket_t> m_sub;
    int m_generation = 0;
};

} // namespace clinicflow::client::sync
