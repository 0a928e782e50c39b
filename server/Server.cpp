#include "Server.h"

#include "HttpFrontend.h"
#include "common/Logging.h"
#include "contexts/ContextWorker.h"
#include "domain/CatalogueJson.h"
#include "domain/Ids.h"
#include "gateway/CommandIntake.h"
#include "gateway/Gateway.h"
#include "security/ServerKeys.h"
#include "storage/ChangeFeed.h"
#include "storage/Checkpointer.h"
#include "storage/GroupCommit.h"
#include "storage/ModuleLocks.h"
#include "storage/Schema.h"
#include "view/ViewStoreRecovery.h"
#include "view/ViewWorker.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSqlQuery>
#include <algorithm>
#include <array>
#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcApp;

namespace clinicflow::server {
namespace {
constexpr std::array kContexts{BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination};
} // namespace

Server::Server(common::ServerConfig config)
    : m_config(std::move(config))
    , m_database(DatabaseSettings::fromConfig(m_config.dataDir, m_config.database, m_config.databasePasswordFile))
{
}

Server::~Server()
{
    stop();
}

Result<Catalogue> loadRoster(const common::ServerConfig &config)
{
    if (config.rosterPath.isEmpty())
        return Catalogue::builtIn();
    QFile file(config.rosterPath);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::InternalError,
                         u"--roster: cannot read %1: %2"_s.arg(config.rosterPath, file.errorString()));
    auto catalogue = catalogueFromJson(file.readAll());
    if (!catalogue)
        return makeError(ErrorCode::InternalError,
                         u"--roster: %1: %2"_s.arg(config.rosterPath, catalogue.error().message()));
    return catalogue;
}

Result<QString> Server::serverId(Database &db) const
{
    QSqlQuery q(db.connection());
    if (!q.exec(u"SELECT id FROM server_identity"_s))
        return sqlError(q, "reading the server id");
    if (q.next())
        return q.value(0).toString();
    WriteTransaction tx(db);
    if (!tx.isActive())
        return tx.beginError();
    if (auto locked = lockSchema(db); !locked) // processes starting together make one id
        return locked.error();
    const QString id = idString(newId());
    QSqlQuery insert(db.connection());
    insert.prepare(u"INSERT INTO server_identity (id) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM server_identity)"_s);
    insert.addBindValue(id);
    if (!insert.exec())
        return sqlError(insert, "storing the server id");
    if (auto done = tx.commit(); !done)
        return done.error();
    return serverId(db);
}

// Request connections the gateway keeps open at once: the descriptor limit, raised to its hard limit, shared with
// the status subscribers (one each), the HTTP connections and the databases. Said at start, so an operator who
// plans for more stations knows which limit to raise.
static int maxGatewayConnections()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 500;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = std::min<rlim_t>(limit.rlim_max, 65536);
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    const auto descriptors = qint64(std::min<rlim_t>(limit.rlim_cur, 65536));
    const int connections = int(std::clamp<qint64>((descriptors - 300) / 2, 16, 10000));
    qCInfo(lcApp).noquote() << "descriptor limit" << descriptors << ": up to" << connections
                            << "station connections at once (and as many status subscribers)";
    return connections;
}

// The data folder holds patients' data and the server's keys: this account's alone, even when it was made before
// (by hand, or by an older version with a wider umask).
static Result<bool> tightenDataFolder(const QString &dataDir)
{
    if (!QDir().mkpath(dataDir))
        return makeError(ErrorCode::InternalError, u"cannot create the data folder %1"_s.arg(dataDir));
    const QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
    const QFile::Permissions now = QFile::permissions(dataDir) & ~(QFile::ReadUser | QFile::WriteUser | QFile::ExeUser);
    if (now == ownerOnly)
        return true;
    if (!QFile::setPermissions(dataDir, ownerOnly))
        return makeError(ErrorCode::InternalError,
                         u"cannot make the data folder %1 this account's only"_s.arg(dataDir));
    qCWarning(lcApp).noquote() << "data folder" << dataDir << "was open to other accounts: now 0700";
    return true;
}

Result<bool> Server::start()
{
    if (auto tightened = tightenDataFolder(m_config.dataDir); !tightened)
        return tightened.error();
    auto locks = ModuleLocks::acquire(m_config.dataDir, m_config.modules, &m_database);
    if (!locks)
        return locks.error();
    m_locks = std::move(locks).value();
    auto db = Database::open(m_database, u"main"_s);
    if (!db)
        return db.error();
    m_mainDb = std::move(db).value();
    auto version = migrate(*m_mainDb);
    if (!version)
        return version.error();
    m_database.restrictToOwner();
    auto id = serverId(*m_mainDb);
    if (!id)
        return id.error();
    // The view is derived data: the process that runs it rebuilds a corrupt or mismatched store from the log, before
    // its worker or anyone else here opens it. The server's id names the log the view must come from.
    auto viewDb = openViewStore(*m_mainDb, {u"main-view"_s, id.value(), m_config.runs(u"view"_s)});
    if (!viewDb)
        return viewDb.error();
    m_viewDb = std::move(viewDb).value();
    m_database.viewSettings().restrictToOwner();
    auto catalogue = loadRoster(m_config);
    if (!catalogue)
        return catalogue.error();
    qCInfo(lcApp).noquote() << "server" << id.value() << "on" << m_mainDb->dialect().describe(m_database) << "schema"
                            << version.value() << "modules" << m_config.modules.join(u',') << "roster"
                            << catalogue->doctors().size() << "doctors";

    // Other processes on the database (modules on other hosts) tell this one of their commits, on the channels of
    // what its modules act on and only the others make (ChangeFeed::interestsOf). A process that runs every module
    // has no one to hear from, nor to tell.
    std::array<bool, 3> contexts{};
    for (auto context : kContexts)
        contexts[std::size_t(context)] = m_config.runs(toString(context));
    const bool everyModuleHere = m_config.runs(u"gateway"_s) && m_config.runs(u"view"_s) &&
                                 std::all_of(contexts.begin(), contexts.end(), [](bool here) { return here; });
    const quint8 interests = ChangeFeed::interestsOf(m_config.runs(u"gateway"_s), m_config.runs(u"view"_s), contexts);
    if (ChangeFeed::available(m_database) && interests != 0) {
        m_feed = std::make_unique<ChangeFeed>(
            m_database, interests, [this](quint8 changes) { m_bus.otherProcessCommitted(changes); },
            [this](bool listening) { m_bus.setCrossProcessFeed(listening); });
        if (auto listening = m_feed->start(); !listening)
            return listening.error();
    }
    // Idle modules poll the database every 2 s instead of every 100 ms where nothing made elsewhere goes untold.
    m_bus.setCrossProcessFeed(ChangeFeed::available(m_database));
    m_commit = std::make_unique<GroupCommit>(m_database);
    m_commit->tellOtherProcesses(!everyModuleHere);
    if (m_mainDb->dialect().needsCheckpointer()) {
        m_checkpointer = std::make_unique<Checkpointer>(m_database);
        if (auto started = m_checkpointer->start(); !started)
            return started.error();
    }
    if (auto started = m_commit->start(); !started)
        return started.error();
    // Outcomes wait on the bus for the gateway only when one runs here; it starts after the workers.
    m_bus.setGatewayRunning(m_config.runs(u"gateway"_s));
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination}) {
        if (m_config.runs(toString(context)))
            m_workers.push_back(std::make_unique<ContextWorker>(context, *m_commit, catalogue.value(), m_bus));
    }
    if (m_config.runs(u"view"_s))
        m_workers.push_back(std::make_unique<ViewWorker>(m_database, m_bus));
    for (auto &worker : m_workers)
        worker->start();

    if (m_config.runs(u"gateway"_s)) {
        auto keys = loadOrCreateServerKeys(m_config.keysDir);
        if (!keys)
            return keys.error();
        GatewaySettings settings;
        settings.bind = m_config.bind;
        settings.port = m_config.port;
        settings.pubPort = m_config.pubPort;
        settings.database = m_database;
        settings.catalogue = catalogue.value();
        settings.serverId = id.value();
        settings.keys = keys.value();
        settings.limits.requestsPerSecond = m_config.stationRate;
        settings.limits.pendingCommands = std::max(100, 10 * m_config.stationRate);
        settings.pubQueue = m_config.pubQueue;
        settings.maxConnections = maxGatewayConnections();
        for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination})
            settings.localContexts[std::size_t(context)] = m_config.runs(toString(context));
        m_gateway = std::make_unique<Gateway>(std::move(settings), m_bus, *m_commit);
        if (auto started = m_gateway->start(); !started)
            return started.error();
        qCInfo(lcApp).noquote() << "gateway listening on" << m_config.bind << "ports" << m_config.port << "(requests)"
                                << m_config.pubPort << "(status), CURVE server key"
                                << QString::fromLatin1(keys->publicKey);
    }
    // Patients' and operational data over HTTP: to this machine only, unless the operator chose otherwise and set a
    // token of their own (one made here would be known to nobody who could reach the port from elsewhere).
    const QString httpBind = m_config.httpBind.isEmpty() ? u"127.0.0.1"_s : m_config.httpBind;
    if (!QHostAddress(httpBind).isLoopback() && m_config.httpTokenFile.isEmpty())
        return makeError(ErrorCode::InternalError,
                         u"--http-bind %1 opens the HTTP endpoints beyond this machine: give them a token with "
                         "--http-token-file (or bind 127.0.0.1)"_s.arg(httpBind));
    auto token = loadHttpToken(m_config.httpTokenFile, m_config.keysDir);
    if (!token)
        return token.error();
    m_http = std::make_unique<HttpFrontend>(*this, *m_mainDb, *m_viewDb, *m_commit);
    m_http->setBearerToken(token.value());
    if (auto listening = m_http->listen(httpBind, m_config.httpPort); !listening)
        return listening.error();
    qCInfo(lcApp).noquote() << "HTTP on" << httpBind << "port" << m_config.httpPort;
    return true;
}

void Server::beginDrain()
{
    if (m_draining || m_stopped)
        return;
    m_draining = true;
    if (m_gateway)
        m_gateway->drain();
    if (m_mainDb)
        m_drainInboxes = std::make_unique<CommandIntake>(*m_mainDb);
}

bool Server::drained()
{
    if (!m_drainInboxes)
        return true;
    if (m_gateway && !m_gateway->drainSettled())
        return false; // commands taken before the drain may not be in their inbox yet
    qint64 waiting = 0;
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination}) {
        if (!m_config.runs(toString(context)))
            continue; // another process's worker applies it, after this one is gone if need be
        auto depth = m_drainInboxes->inbox(context).depth();
        if (!depth) {
            qCWarning(lcApp).noquote() << "drain: cannot read the" << toString(context)
                                       << "inbox:" << depth.error().message();
            return true;
        }
        waiting += depth.value();
    }
    return waiting == 0;
}

void Server::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_gateway)
        m_gateway->drain();
    m_drainInboxes.reset();
    for (auto &worker : m_workers)
        worker->stop();
    if (m_gateway)
        m_gateway->stop();
    m_http.reset();
    m_workers.clear();
    m_gateway.reset();
    if (m_commit)
        m_commit->stop();
    m_commit.reset();
    m_checkpointer.reset(); // a last checkpoint, then its thread ends
    m_feed.reset();
    m_viewDb.reset();
    m_mainDb.reset();
    m_locks.reset();
}

namespace {
constexpr std::chrono::seconds kWritableWithin{5};
} // namespace

QJsonObject Server::readiness()
{
    QJsonObject modules;
    bool ready = !m_stopped && !m_draining;
    for (const auto &worker : m_workers) {
        modules.insert(worker->name(), worker->isRunning());
        ready = ready && worker->isRunning();
    }
    if (m_gateway) {
        modules.insert(u"gateway"_s, m_gateway->isRunning());
        ready = ready && m_gateway->isRunning();
    }
    // Reachable is not enough: the database must take a write (the writer commits one at least every 2 s).
    const bool database = m_commit && m_commit->writable(kWritableWithin);
    ready = ready && database;
    return QJsonObject{{u"ready"_s, ready},
                       {u"database"_s, database},
                       {u"draining"_s, m_draining || m_stopped},
                       {u"modules"_s, modules}};
}

bool Server::databaseLost() const
{
    return m_commit && m_commit->connectionLost();
}

bool Server::isReady()
{
    return readiness().value(u"ready"_s).toBool();
}

} // namespace clinicflow::server
