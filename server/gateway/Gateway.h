// The single entry point for stations (ARCHITECTURE §4, gateway): a ZeroMQ ROUTER for requests and a PUB for
// status, both owned by one thread of their own running zmq::poll (§10). It checks each message's shape and the
// station's session and role, stores commands through CommandIntake, answers Queued, then Applied or Rejected as
// the workers resolve them, and publishes every event in sequence order.
#pragma once

#include "Bus.h"
#include "StationLimits.h"
#include "domain/Catalogue.h"
#include "security/Curve.h"
#include "storage/GroupCommit.h"

#include <QString>
#include <array>
#include <atomic>
#include <memory>
#include <thread>

namespace clinicflow::server {

struct GatewaySettings
{
    QString bind = QStringLiteral("0.0.0.0");
    quint16 port = 7470;
    quint16 pubPort = 7471;
    int pubQueue = 20000; // events held for each subscriber that does not read (the PUB's high-water mark)
    DatabaseSettings database;
    domain::Catalogue catalogue;
    QString serverId;
    // Contexts whose worker runs in this process (--only); the others' outcomes are read from their inboxes.
    std::array<bool, 3> localContexts{true, true, true};
    security::KeyPair keys; // the server's CURVE key pair
    StationLimitSettings limits;
    // Request connections open at once (the rest are closed as they come, and said so), and per address; the
    // server sets them from its descriptor limit.
    int maxConnections = 1000;
    int maxConnectionsPerAddress = 100;
    int maxSessionsPerStation = 4; // a station's connections that said Hello
};

class Gateway
{
    Q_DISABLE_COPY_MOVE(Gateway)
public:
    Gateway(GatewaySettings settings, Bus &bus, GroupCommit &commit);
    ~Gateway();

    // Binds both sockets and starts the thread; an error when a port is taken or the database will not open.
    domain::Result<bool> start();
    // From now on, new commands are refused with ServerUnavailable; answers and events still go out.
    void drain();
    // After drain(): true once every command taken before it is stored in its inbox (and answered Queued), so that
    // from then on an empty inbox means that all of them are applied.
    bool drainSettled() const { return m_drainSettled.load(); }
    void stop();
    bool isRunning() const { return m_running.load(); }

private:
    class Loop;
    GatewaySettings m_settings;
    Bus &m_bus;
    GroupCommit &m_commit;
    std::unique_ptr<Loop> m_loop;
    std::thread m_thread;
    std::atomic<bool> m_running{false};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_draining{false};
    std::atomic<bool> m_drainSettled{false};
};

} // namespace clinicflow::server
