// A station under load for the fault tests: on a thread of its own, it issues commands at a fixed rate and keeps each
// one until it has an outcome, resending it (same id, same Submit) like a workstation's outbox: after a silence it
// says Hello again, on a new connection if need be, and resends everything without an outcome. It records every
// answer, on the DEALER and on PUB, and when each came, by the test's phase.
#pragma once

#include "TestStation.h"
#include "domain/Commands.h"

#include <QStringList>
#include <QUuid>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

namespace clinicflow::testsupport {

// Milliseconds on the steady clock.
inline qint64 msNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct LoadCommand
{
    QUuid id;
    QUuid target;      // the visit of a registration, the examination of a prescription or of a performed examination
    v1::Submit submit; // built once: every resend is the same Submit
    int phase = 0;     // the test's phase when it was first sent
    qint64 firstSentMs = 0;
    qint64 lastSentMs = 0;
    qint64 queuedMs = 0;  // its first Queued
    qint64 outcomeMs = 0; // its first Applied or Rejected, on the DEALER or on PUB
    bool due = false;     // in the resend queue
    QStringList answers;  // every outcome heard: "Applied <sequences>" or "Rejected <code>"
    qint64 latencyMs() const { return outcomeMs - firstSentMs; }
    bool applied() const { return answers.value(0).startsWith(QStringLiteral("Applied ")); }
};

// A station on a thread of its own (its TestStation lives there) that issues a command from `next` at a fixed
// rate, until told to stop issuing and every command it sent has an outcome.
class LoadStation
{
public:
    static constexpr int kMaxPhases = 8;                          // a test's phases, 0 .. kMaxPhases - 1, counted apart
    using Next = std::function<std::optional<domain::Command>()>; // called on the station's thread
    LoadStation(QString code, v1::Role role, security::ClientKeys keys, int perSecond, Next next,
                const std::atomic<int> &phase)
        : m_code(std::move(code))
        , m_role(role)
        , m_keys(std::move(keys))
        , m_periodMs(1000 / perSecond)
        , m_next(std::move(next))
        , m_phase(phase)
    {
    }
    ~LoadStation()
    {
        abort = true;
        join();
    }
    void start(quint16 port, quint16 pubPort)
    {
        m_thread = std::thread([this, port, pubPort] { run(port, pubPort); });
    }
    void stopIssuing() { m_stopIssuing = true; }
    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

    std::array<std::atomic<int>, kMaxPhases> sent{}, resolved{};
    std::atomic<bool> abort{false};
    // Read after join().
    QString code() const { return m_code; }
    std::vector<LoadCommand> commands;
    QStringList problems;
    int resends = 0, hellos = 0, failedHellos = 0, refusals = 0;

private:
    void run(quint16 port, quint16 pubPort);
    void issue(TestStation &station);
    void handle(const v1::Envelope &envelope, bool published);
    void queueResend(int index)
    {
        LoadCommand &c = commands[std::size_t(index)];
        if (c.answers.isEmpty() && !c.due) {
            c.due = true;
            m_resendQueue.push_back(index);
        }
    }
    void send(TestStation &station, int index)
    {
        LoadCommand &c = commands[std::size_t(index)];
        resends += c.lastSentMs > 0 ? 1 : 0;
        c.due = false;
        c.lastSentMs = msNow();
        m_copies[station.sendSubmit(c.submit)] = {index, m_epoch};
    }
    void problem(const QString &what)
    {
        if (problems.size() < 20)
            problems << QStringLiteral("station %1: ").arg(m_code) + what;
    }

    QString m_code;
    v1::Role m_role;
    security::ClientKeys m_keys;
    qint64 m_periodMs;
    Next m_next;
    const std::atomic<int> &m_phase;
    std::atomic<bool> m_stopIssuing{false};
    bool m_exhausted = false; // `next` has no more commands
    std::unordered_map<std::string, int> m_byId;
    std::unordered_map<quint64, std::pair<int, int>> m_copies; // request id -> command index, Hello epoch
    std::set<int> m_outstanding;                               // sent, no outcome yet
    std::deque<int> m_resendQueue;
    int m_epoch = 0;
    bool m_needHello = true;
    qint64 m_lastHeardMs = 0;
    qint64 m_heldUntilMs = 0;
    std::thread m_thread;
};

} // namespace clinicflow::testsupport
