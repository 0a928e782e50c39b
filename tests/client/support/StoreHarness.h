// Test harness for the workstation core: a store in a temporary folder with a pinned clock, and a stand-in for the
// server that plays a station's outbox through the shared rules and saga (tests/unit's SagaPlayer), so the events a
// store receives are exactly the ones the real contexts would emit, with sequences 1, 2, 3...
#pragma once

#include "station/Station.h"
#include "store/LocalStore.h"
#include "support/SagaPlayer.h"

#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace clinicflow::client::testing {

// A receptionist's registration of a new patient; the store fills in the visit id and the ticket.
domain::RegisterVisit registration(const QString &name, const QString &department = QStringLiteral("IM"),
                                   const QString &doctor = {}, domain::Priority priority = domain::Priority::Normal);

// 2024-03-04 09:00 UTC: the day the fixtures' events happen on.
QDateTime startTime();

// One value read with a connection of the test's own, beside the store's (WAL lets both read).
QVariant storeScalar(const QString &path, const QString &sql);

// One store in its own temporary folder, with a clock the test moves.
class StoreFixture
{
public:
    explicit StoreFixture(const QString &station = QStringLiteral("A"));
    LocalStore &store() { return *m_store; }
    LocalStore *operator->() { return m_store.get(); }
    QString path() const { return m_dir.filePath(QStringLiteral("station.sqlite")); }
    void reopen();
    void close() { m_store.reset(); }
    void advance(int seconds) { m_now = m_now.addSecs(seconds); }
    void setNow(const QDateTime &now) { m_now = now; }

private:
    void attachClock();
    QTemporaryDir m_dir;
    QString m_station;
    QDateTime m_now;
    std::unique_ptr<LocalStore> m_store;
};

// The server's side: outbox commands in, outcomes and sequenced events out.
class FakeServer
{
public:
    struct Answer
    {
        QList<CommandOutcome> outcomes;
        QList<domain::Event> events;
    };

    // Applies the commands in order (a command the rules reject is answered Rejected and appends nothing).
    Answer serve(const QList<OutgoingCommand> &commands);
    // A command from a station with no store in the test (another desk, the doctor, the lab).
    QList<domain::Event> act(const domain::Command &command, const QString &station, const QDateTime &at);
    // Serves the store's unanswered commands, then delivers the outcomes and every event the store lacks.
    void sync(LocalStore &store);
    QList<domain::Event> eventsAfter(quint64 sequence) const;
    domain::fixtures::SagaPlayer &player() { return m_player; }

private:
    domain::fixtures::SagaPlayer m_player;
};

// Delivers to the store every event the stand-in server has and the store lacks (a sync without answers).
void catchUp(StoreFixture &f, FakeServer &server);

// The screens' narrow interface (Station) over a test's store, always online: a screen in a test without a server.
class FixtureStation final : public Station
{
public:
    explicit FixtureStation(LocalStore &store)
        : m_store(store)
    {
    }
    LocalStore &store() override { return m_store; }
    const LocalStore &store() const override { return m_store; }
    ConnectionState state() const override { return m_state; }
    QDateTime lastContact() const override { return m_lastContact; }
    quint64 headSequence() const override { return m_store.lastSequence(); }
    // As the sync engine reports it: the connection's state, and when the server was last heard from.
    void setConnection(ConnectionState state, const QDateTime &lastContact)
    {
        m_lastContact = lastContact;
        Q_EMIT lastContactChanged(lastContact);
        m_state = state;
        Q_EMIT stateChanged(state);
    }

private:
    LocalStore &m_store;
    ConnectionState m_state = ConnectionState::Online;
    QDateTime m_lastContact;
};

// A visit registered at another desk (no store in the test) at `at`, and played through the saga.
QUuid registerElsewhere(FakeServer &server, const QString &station, int ticket, const QDateTime &at,
                        const QString &doctor = {}, domain::Priority priority = domain::Priority::Normal);
// An examination prescribed by the visit's doctor (room DOC1, no store in the test) at `at`; its id.
QUuid prescribeElsewhere(FakeServer &server, const QUuid &visitId, const QString &code, const QDateTime &at,
                         const QString &note = {});
// Around midnight at desk A: last evening's A-091 still waiting and A-092 cancelled, A-093 from the evening before
// that, still open, and this morning's A-001. Returns A-091's and A-001's visits.
std::pair<QUuid, QUuid> aroundMidnight(FakeServer &server);

} // namespace clinicflow::client::testing

// Outbox states print by their stored names in QCOMPARE failures.
namespace QTest {
template<>
inline char *toString(const clinicflow::client::OutboxState &state)
{
    return qstrdup(clinicflow::client::outboxStateName(state).toUtf8().constData());
}
} // namespace QTest
