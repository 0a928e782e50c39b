// clinicflow-server's modules put together from the configuration: storage (migrated at start), the three context
// workers, the view, the gateway and the operators' HTTP endpoints, each started only when --only names it.
#pragma once

#include "Bus.h"
#include "common/Config.h"
#include "domain/Catalogue.h"
#include "storage/Database.h"

#include <QJsonObject>
#include <memory>
#include <vector>

namespace clinicflow::server {

class Gateway;
class WorkerThread;
class HttpFrontend;
class GroupCommit;
class Checkpointer;
class ChangeFeed;
class ModuleLocks;
class CommandIntake;

// The roster and catalogue of --roster, or the built-in one.
domain::Result<domain::Catalogue> loadRoster(const common::ServerConfig &config);

class Server
{
    Q_DISABLE_COPY_MOVE(Server)
public:
    explicit Server(common::ServerConfig config);
    ~Server();

    // Opens and migrates the database, loads the roster, starts the modules. Must be called on the thread that
    // runs the Qt event loop (the HTTP endpoints live there).
    domain::Result<bool> start();
    // The first half of a graceful stop (SIGTERM): readiness turns false (503) at once, and the gateway answers new
    // commands SERVER_UNAVAILABLE, which stations take as "offline for now" and resend later. The workers go on
    // applying what was already taken, and the gateway answers it. HTTP keeps serving meanwhile.
    void beginDrain();
    // True once no command taken before the drain waits in the inbox of a context this process runs (it is applied,
    // so its outcome is on its way to the station), or when that cannot be read.
    bool drained();
    // Stops taking commands, lets every worker finish its transaction, answers what finished, then stops.
    void stop();

    // The database went away under the running modules (main.cpp then stops this server and starts a new one when the
    // database is back).
    bool databaseLost() const;
    // For /health/ready: database reachable and every module this process runs still running.
    QJsonObject readiness();
    bool isReady();

private:
    domain::Result<QString> serverId(Database &db) const;

    common::ServerConfig m_config;
    DatabaseSettings m_database;
    std::unique_ptr<ModuleLocks> m_locks; // this process's modules, on this data folder
    Bus m_bus;
    std::unique_ptr<Database> m_mainDb;    // main thread: migrations, HTTP reads, metrics
    std::unique_ptr<Database> m_viewDb;    // main thread: the status view's store, for HTTP reads
    std::unique_ptr<GroupCommit> m_commit; // the process's one writer
    std::unique_ptr<Checkpointer> m_checkpointer;
    std::unique_ptr<ChangeFeed> m_feed; // other processes' commits, where the database tells of them
    std::unique_ptr<Gateway> m_gateway;
    std::vector<std::unique_ptr<WorkerThread>> m_workers;
    std::unique_ptr<HttpFrontend> m_http;
    std::unique_ptr<CommandIntake> m_drainInboxes; // the inboxes' depths while draining (main thread)
    bool m_draining = false;
    bool m_stopped = false;
};

} // namespace clinicflow::server
