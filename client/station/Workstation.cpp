#include "Workstation.h"

#include "common/Config.h"
#include "common/Logging.h"
#include "store/LocalStore.h"
#include "sync/SyncEngine.h"

#include <QElapsedTimer>
#include <algorithm>
#include <memory>

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
    // A board may hold a whole day of a big hospital: its window opens over the first rows and fills while the rest
    // are read. The other roles' screens act on what they show, so they open over every row.
    constexpr int kRowsBeforeTheWindow = 2000;
    auto store =
        LocalStore::open(path, settings.role == Role::Board ? LocalStore::Rows::InSteps : LocalStore::Rows::AtOpen);
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
    if (auto read = s.loadRows(kRowsBeforeTheWindow); !read)
        return read.error();
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
    sync.keys = settings.keys;
    sync.role = settings.role;
    sync.serverId = m_store->serverId();
    // Only the board can live on status rows alone; every other role validates actions against whole aggregates,
    // which only the log rebuilds.
    sync.useSnapshots = settings.role == Role::Board;
    sync.clientVersion = common::clinicflowVersion();
    m_engine = std::make_unique<SyncEngine>(std::move(sync));
    m_applyTimer.setSingleShot(true);
    m_applyTimer.setInterval(0);
    connect(&m_applyTimer, &QTimer::timeout, this, &Workstation::applyInputs);
    connectLayers();
    if (m_store->rowsPending()) {
        m_inputs.push_back({{}, [this] { loadRows(); }});
        m_applyTimer.start();
    }
}

// The stored rows a step at a time, ahead of anything the engine delivers meanwhile (which waits behind them in
// m_inputs). A row that cannot be read costs the replica, not the station: it is rebuilt from the server.
void Workstation::loadRows()
{
    constexpr int kRowsPerStep = 2000;
    if (auto read = m_store->loadRows(kRowsPerStep); !read) {
        qCWarning(lcSync).noquote() << "stored rows cannot be read, rebuilding the replica from the server:"
                                    << read.error().message();
        warnIfFailed(m_store->resetReplica(), "reset the replica");
        QMetaObject::invokeMethod(this, &Workstation::restartFromStore, Qt::QueuedConnection);
        return;
    }
    if (m_store->rowsPending())
        m_inputs.push_front({{}, [this] { loadRows(); }});
}

// Unlike stop(), nothing delivered is applied now: a long backlog would hold the window's closing, and the next
// start fetches again whatever the store lacks.
Workstation::~Workstation()
{
    if (m_engine)
        m_engine->stop();
}

void Workstation::connectLayers()
{
    LocalStore *store = m_store.get();
    SyncEngine *engine = m_engine.get();
    // The engine posts its signals to this thread, so these run here, one at a time, in the order they were sent;
    // what reaches the store keeps that order (see m_inputs).
    connect(engine, &SyncEngine::welcomed, store, [this, store](const QString &serverId, const Catalogue &catalogue) {
        deliver([store, serverId, catalogue] {
            warnIfFailed(store->setServerId(serverId), "record the server id");
            warnIfFailed(store->setCatalogue(catalogue), "store the roster");
        });
    });
    connect(engine, &SyncEngine::serverChanged, store, [this, store](const QString &serverId) {
        deliver([store, serverId] {
            qCWarning(lcSync).noquote() << "the server changed to" << serverId << "- rebuilding the replica from it";
            warnIfFailed(store->resetReplica(), "reset the replica");
            warnIfFailed(store->setServerId(serverId), "record the server id");
        });
    });
    connect(engine, &SyncEngine::eventsReceived, store, [this](const QList<Event> &events) {
        m_inputs.push_back({events, {}});
        m_applyTimer.start();
    });
    connect(engine, &SyncEngine::snapshotReceived, this, &Workstation::deliverSnapshot);
    connect(engine, &SyncEngine::commandQueued, store,
            [this, store](const QUuid &commandId) { deliver([store, commandId] { store->markQueued(commandId); }); });
    connect(engine, &SyncEngine::commandAnswered, store, [this, store](const CommandOutcome &outcome) {
        deliver([store, outcome] { warnIfFailed(store->markOutcome(outcome), "record an answer"); });
    });
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

// At once when nothing waits before it; else behind the events it followed.
void Workstation::deliver(std::function<void()> input)
{
    if (m_inputs.empty()) {
        input();
        return;
    }
    m_inputs.push_back({{}, std::move(input)});
}

// A snapshot of a busy day is tens of thousands of rows: stored a part at a time, each part a step of its own in
// m_inputs, so a board keeps painting (and filling) while it takes it in. A step that fails ends the snapshot; the
// engine starts again from what the store has.
void Workstation::deliverSnapshot(const QList<VisitStatus> &rows, quint64 sequence)
{
    constexpr qsizetype kRowsPerStep = 500;
    LocalStore *store = m_store.get();
    const auto all = std::make_shared<const QList<VisitStatus>>(rows);
    const auto failed = std::make_shared<bool>(false);
    const auto step = [this, failed](Result<bool> done, const char *what) {
        if (done)
            return;
        warnIfFailed(done, what);
        *failed = true;
        QMetaObject::invokeMethod(this, &Workstation::restartFromStore, Qt::QueuedConnection);
    };
    m_inputs.push_back({{}, [store, sequence, step] { step(store->beginSnapshot(sequence), "begin a snapshot"); }});
    for (qsizetype first = 0; first < all->size(); first += kRowsPerStep) {
        m_inputs.push_back({{}, [store, all, first, failed, step] {
                                if (!*failed)
                                    step(store->addSnapshotRows(all->mid(first, kRowsPerStep)), "store a snapshot");
                            }});
    }
    m_inputs.push_back({{}, [store, sequence, failed, step] {
                            if (!*failed)
                                step(store->finishSnapshot(sequence), "finish a snapshot");
                        }});
    m_applyTimer.start();
}

// What waits, in order, for about kPassMs of each pass of the event loop; then the screens repaint and the keyboard
// answers before the next. Events go in slices sized to take about that long on this machine, with these screens.
void Workstation::applyInputs()
{
    // 4 ms, not more: what a pass leaves the event loop (the screens' reactions, repaints, the engine's deliveries,
    // another process on the same cores) takes several times as long again. Measured with clinicflow-bench-screens
    // on 2 cores: the doctor's longest stall 35-38 ms at 4 ms, 40-57 ms at 8 ms; a catch-up of 100,000 events in
    // 4.0-4.3 s instead of 2.9-3.2 s.
    constexpr qint64 kPassMs = 4;
    QElapsedTimer pass;
    pass.start();
    do {
        Input &front = m_inputs.front();
        if (front.other) {
            const auto other = std::move(front.other);
            m_inputs.pop_front();
            other();
            continue;
        }
        QList<Event> slice;
        while (!m_inputs.empty() && !m_inputs.front().other && slice.size() < m_sliceEvents) {
            Input &events = m_inputs.front();
            const qsizetype size = events.events.size();
            const qsizetype take = std::min(size - m_firstEvent, m_sliceEvents - slice.size());
            if (slice.isEmpty() && m_firstEvent == 0 && take == size)
                slice = std::move(events.events); // a whole batch: no copy
            else
                slice.append(events.events.sliced(m_firstEvent, take));
            m_firstEvent += take;
            if (m_firstEvent >= size) {
                m_inputs.pop_front();
                m_firstEvent = 0;
            }
        }
        QElapsedTimer took;
        took.start();
        const qsizetype applied = slice.size();
        if (!applySlice(std::move(slice)))
            return;
        const qint64 ns = std::max<qint64>(1, took.nsecsElapsed());
        m_sliceEvents = qsizetype(std::clamp<qint64>(applied * kPassMs * 1'000'000 / ns, 50, 5000));
    } while (!m_inputs.empty() && pass.elapsed() < kPassMs);
    if (!m_inputs.empty())
        m_applyTimer.start();
}

bool Workstation::applySlice(QList<Event> slice)
{
    if (auto applied = m_store->applyEvents(slice); !applied) {
        qCWarning(lcSync).noquote() << "events not applied, syncing again from the replica:"
                                    << applied.error().message();
        dropEvents(); // what followed the gap is of no use: the engine starts again from the store's position
        QMetaObject::invokeMethod(this, &Workstation::restartFromStore, Qt::QueuedConnection);
        return false;
    }
    return true;
}

void Workstation::dropEvents()
{
    std::erase_if(m_inputs, [](const Input &input) { return !input.other; });
    m_firstEvent = 0;
    if (m_inputs.empty())
        m_applyTimer.stop();
    else
        m_applyTimer.start();
}

// Everything the engine delivered, now: once it has stopped, nothing should be left waiting.
void Workstation::applyAllInputs()
{
    while (!m_inputs.empty())
        applyInputs();
    m_applyTimer.stop();
}

void Workstation::start()
{
    m_running = true;
    m_engine->start(m_store->lastSequence(), m_store->unansweredCommands());
}

void Workstation::stop()
{
    m_running = false;
    if (m_engine)
        m_engine->stop();
    applyAllInputs();
}

void Workstation::restartFromStore()
{
    if (!m_running)
        return;
    m_engine->stop();
    dropEvents(); // events delivered before the restart: the engine sends again whatever the store lacks
    start();
}

int Workstation::pendingCount() const
{
    return m_store->pendingCount();
}

} // namespace clinicflow::client
