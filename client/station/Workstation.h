// One workstation's core, assembled: the local store (the durable truth of what this station did and saw) wired to
// the sync engine (the link to the server). Every screen talks to this object; tests and the headless station tool
// drive it the same way. Lives on the GUI thread, like the store.
#pragma once

#include "ClientTypes.h"
#include "Station.h"
#include "domain/Result.h"
#include "domain/Types.h"

#include <QDateTime>
#include <QObject>
#include <memory>

namespace clinicflow::client {

class LocalStore;
class SyncEngine;

struct WorkstationSettings
{
    QString storePath; // empty: LocalStore::defaultPath(station)
    QString station;   // station code, e.g. "A"
    domain::Role role = domain::Role::Board;
    QString requestEndpoint; // the gateway's ROUTER, e.g. "tcp://clinic-server:7470"
    QString publishEndpoint; // the gateway's PUB, e.g. "tcp://clinic-server:7471"

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

    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<SyncEngine> m_engine;
    WorkstationSettings m_settings;
    ConnectionState m_state = ConnectionState::Offline;
    QDateTime m_lastContact;
    quint64 m_head = 0;
};

} // namespace clinicflow::client
