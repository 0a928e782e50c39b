#include "Workstation.h"

#include "common/Config.h"
#include "common/Logging.h"
#include "store/LocalStore.h"
#include "sync/SyncEngine.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcSync;

namespace clinicflow::client {
namespace {

// The store refuses a change only when its file cannot be written; the station keeps running on what it has, and
// the engine's next delivery or answer tries again.
template<typename T>
void warnIfFailed(const Result<T> &result, const char *what)
{
    if (!result)
        qCWarning(lcSync).noquote() << "the local store could not" << what << "-" << result.error().message();
}

} // namespace

QString WorkstationSettings::defaultPublishEndpoint(const QString &requestEndpoint)
{
    const qsizetype colon = requestEndpoint.lastIndexOf(u':');
    return requestEndpoint.left(colon + 1) + QString::number(requestEndpoint.mid(colon + 1).toInt() + 1);
}

Result<std::unique_ptr<Workstation>> Workstation::open(const WorkstationSettings &settings)
{
    if (!isValidStationCode(settings.station))
        return makeError(ErrorCode::InvalidTicket,
                         u"station code \"%1\": 1 to 4 upper-case letters or digits, starting with a letter"_s.arg(
                             settings.station));
    const QString path = settings.storePath.isEmpty() ? LocalStore::defaultPath(settings.station) : settings.storePath;
    auto store = LocalStore::open(path);
    if (!store)
        return store.error();
    LocalStore &s = *store.value();
    // A store belongs to one station: its outbox and tickets carry that station's code.
    if (!s.stationCode().isEmpty() && s.stationCode() != settings.station)
        return makeError(ErrorCode::UnknownStation,
                         u"%1 belongs to station %2, not %3"_s.arg(path, s.stationCode(), settings.station));
    if (s.role() && *s.role() != settings.role)
        return makeError(ErrorCode::RoleNotAllowed, u"%1 belongs to a %2 station, not a %3 one"_s.arg(
                                                        path, toString(*s.role()), toString(settings.role)));
    for (auto saved : {s.setStationCode(settings.station), s.setRole(settings.role),
                       s.setServerEndpoint(settings.requestEndpoint + u',' + settings.publishEndpoint)}) {
        if (!saved)
            return saved.error();
    }
    return std::unique_ptr<Workstation>(new Workstation(std::move(store).value(), settings));
}

Workstation::Workstation(std::unique_ptr<LocalStore> store, const WorkstationSettings &settings)
    : Station(nullptr)
    , m_store(std::move(store))
    , m_settings(settings)
{
    SyncSettings sync;
    sync.requestEndpoint = settings.requestEndpoint;
    sync.publishEndpoint = settings.publishEndpoint;
    sync.station = settings.station;
    sync.role = settings.role;
    sync.serverId = m_store->serverId();
    // Only the board can live on status rows alone; every other role validates actions against whole aggregates,
    // which only the log rebuilds.
    sync.useSnapshots = settings.role == Role::Board;
    sync.clientVersion = common::clinicflowVersion();
    m_engine = std::make_unique<SyncEngine>(std::move(sync));
    connectLayers();
}

Workstation::~Workstation()
{
    stop();
}

void Workstation::connectLayers()
{
    LocalStore *store = m_store.get();
    SyncEngine *engine = m_engine.get();
    // The engine posts its signals to this thread, so these run here, one at a time, in the order they were sent.
    connect(engine, &SyncEngine::welcomed, store, [store](const QString &serverId, const Catalogue &catalogue) {
        warnIfFailed(store->setServerId(serverId), "record the server id");
        warnIfFailed(store->setCatalogue(catalogue), "store the roster");
    });
    connect(engine, &SyncEngine::serverChanged, store, [store](const QString &serverId) {
        qCWarning(lcSync).noquote() << "the server changed to" << serverId << "- rebuilding the replica from it";
        warnIfFailed(store->resetReplica(), "reset the replica");
        warnIfFailed(store->setServerId(serverId), "record the server id");
    });
    connect(engine, &SyncEngine::eventsReceived, store, [this](const QList<Event> &events) {
        if (auto applied = m_store->applyEvents(events); !applied) {
            qCWarning(lcSync).noquote() << "events not applied, syncing again from the replica:"
                                        << applied.error().message();
            QMetaObject::invokeMethod(this, &Workstation::restartFromStore, Qt::QueuedConnection);
        }
    });
    connect(engine, &SyncEngine::snapshotReceived, store, [store](const QList<VisitStatus> &rows, quint64 sequence) {
        warnIfFailed(store->applySnapshot(rows, sequence), "apply a snapshot");
    });
    connect(engine, &SyncEngine::commandQueued, store, &LocalStore::markQueued);
    connect(engine, &SyncEngine::commandAnswered, store,
            [store](const CommandOutcome &outcome) { warnIfFailed(store->markOutcome(outcome), "record an answer"); });
    connect(store, &LocalStore::commandSubmitted, engine, &SyncEngine::submit);

    connect(engine, &SyncEngine::stateChanged, this, [this](ConnectionState state) {
        m_state = state;
        Q_EMIT stateChanged(state);
    });
    connect(engine, &SyncEngine::lastContact, this, [this](const QDateTime &at) {
        m_lastContact = at;
        Q_EMIT lastContactChanged(at);
    });
    connect(engine, &SyncEngine::progress, this, [this](quint64 last, quint64 head) {
        m_head = head;
        Q_EMIT progress(last, head);
    });
    connect(engine, &SyncEngine::error, this, &Workstation::syncError);
}

void Workstation::start()
{
    m_engine->start(m_store->lastSequence(), m_store->unansweredCommands());
}

void Workstation::stop()
{
    if (m_engine)
        m_engine->stop();
}

void Workstation::restartFromStore()
{
    m_engine->stop();
    start();
}

int Workstation::pendingCount() const
{
    return m_store->pendingCount();
}

} // namespace clinicflow::client
