// One workstation's core, assembled: the local store (the durable truth of what this station did and saw) wired to
// the sync engine (the link to the server). Every screen talks to this object; tests and the headless station tool
// drive it the same way. Lives on the GUI thread, like the store.
#pragma once

#include "ClientTypes.h"
#include "Station.h"
#include "domain/Events.h"
#include "domain/Result.h"
#include "domain/StatusView.h"
#include "domain/Types.h"
#include "security/Curve.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <deque>
#include <functional>
#include <memory>

namespace clinicflow::client {

class LocalStore;
class SyncEngine;

struct WorkstationSettings
{
    QString storePath; // empty: LocalStore::defaultPath(station)
    QString station;   // station code, e.g. "A"
    domain::Role role = domain::Role::Board;
    QString requestEndpoint;   // the gateway's ROUTER, e.g. "tcp://clinic-server:7470"
    QString publishEndpoint;   // the gateway's PUB, e.g. "tcp://clinic-server:7471"
    security::ClientKeys keys; // from the station's enrolment

    // The PUB a gateway has by default: the requests' host, the next port ("tcp://host:7470" -> "tcp://host:7471").
    static QString defaultPublishEndpoint(const QString &requestEndpoint);
};

class Workstation final : public Station
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Workstation)
public:
    // Opens (or creates) the store, records the station's code, role and server in it, and builds the engine. A
    // store made for another station code or role is refused: its outbox carries that station's name.
    static domain::Result<std::unique_ptr<Workstation>> open(const WorkstationSettings &settings);
    ~Workstation() override; // stops the engine; the store keeps everything unanswered for the next start

    LocalStore &store() override { return *m_store; }
    const LocalStore &store() const override { return *m_store; }
    SyncEngine &engine() { return *m_engine; }

    // Starts syncing from the store's position with its unanswered outbox; goes on by itself across outages.
    void start();
    void stop();

    ConnectionState state() const override { return m_state; }
    QDateTime lastContact() const override { return m_lastContact; }
    quint64 headSequence() const override { return m_head; }
    int pendingCount() const;

private:
    Workstation(std::unique_ptr<LocalStore> store, const WorkstationSettings &settings);
    void connectLayers();
    void restartFromStore(); // the engine and the store disagree on the position: the store wins

    // What the engine delivers goes to the store in the order it came. Events wait in m_inputs and are applied a
    // slice at a time, one slice per pass of the event loop: the engine catches up faster than the store and the
    // screens take events in, and applied as they came a single pass would take a backlog of thousands at once,
    // the window frozen meanwhile. Anything else the engine says waits behind the events it followed.
    struct Input
    {
        QList<domain::Event> events;
        std::function<void()> other;
    };
    void deliver(std::function<void()> input);
    void loadRows();
    void deliverSnapshot(const QList<domain::VisitStatus> &rows, quint64 sequence);
    void applyInputs();
    bool applySlice(QList<domain::Event> slice);
    void applyAllInputs();
    void dropEvents();

    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<SyncEngine> m_engine;
    WorkstationSettings m_settings;
    std::deque<Input> m_inputs;
    qsizetype m_firstEvent = 0;    // of m_inputs.front().events, the first not applied yet
    qsizetype m_sliceEvents = 500; // grows or shrinks so that a slice takes about a pass's time
    QTimer m_applyTimer;
    bool m_running = false;
    ConnectionState m_state = ConnectionState::Offline;
    QDateTime m_lastContact;
    quint64 m_head = 0;
};

} // namespace clinicflow::client
