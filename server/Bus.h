// How the server's threads wake each other: a doorbell per worker, and command outcomes handed to the gateway
// with an eventfd the gateway's zmq::poll watches. Only hints travel here; the database is the truth, so a lost
// ring costs latency (the next periodic poll), never correctness.
#pragma once

#include "domain/Result.h"

#include <QUuid>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace clinicflow::server {

class Doorbell
{
public:
    void ring();
    // Waits until rung or until the timeout; consumes the ring.
    void wait(std::chrono::milliseconds timeout);
    // Waits until rung or for the fallback poll: how long a change made by another process may go unnoticed when
    // nothing tells this one of it.
    void waitIdle() { wait(m_fallbackPoll.load()); }
    void setFallbackPoll(std::chrono::milliseconds poll) { m_fallbackPoll = poll; }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_rung = false;
    std::atomic<std::chrono::milliseconds> m_fallbackPoll{std::chrono::milliseconds(100)};
};

struct Outcome
{
    QUuid commandId;
    QString station;
    bool applied = false;
    quint64 firstSequence = 0;
    quint64 lastSequence = 0;
    domain::Error rejection;
};

class Bus
{
    Q_DISABLE_COPY_MOVE(Bus)
public:
    Bus();
    ~Bus();

    Doorbell &reception() { return m_reception; }
    Doorbell &diagnosis() { return m_diagnosis; }
    Doorbell &examination() { return m_examination; }
    Doorbell &view() { return m_view; }

    // A worker appended events whose Change bits are `changes` (EventLog::changesOf): the view and the gateway
    // read them (to project and to publish), and the contexts that react to one of them have work.
    void logAdvanced(quint8 changes);
    // Whether the log advanced since the gateway last asked (it then reads what to publish).
    bool takeLogAdvanced() { return m_logAdvanced.exchange(false); }
    // Another process committed `changes` (ChangeFeed; Change bits): new events ring the view and the gateway,
    // work for a context (a command in its inbox, an event it reacts to) that context's worker, resolved commands
    // the gateway, which then looks for their outcomes.
    void otherProcessCommitted(quint8 changes);
    bool takeOtherProcessCommitted() { return m_otherProcessCommitted.exchange(false); }
    // Whether other processes tell this one of their commits: idle modules then poll the database rarely, as a
    // safety net, instead of every 100 ms.
    void setCrossProcessFeed(bool feed);
    bool hasCrossProcessFeed() const { return m_crossProcessFeed.load(); }
    // A worker resolved commands: the gateway answers the stations. Dropped when no gateway runs in this process
    // (--only without it): nobody would take them, and the inbox rows keep them for the gateway that does.
    void post(std::vector<Outcome> outcomes);
    void setGatewayRunning(bool running) { m_gatewayRunning = running; }
    std::vector<Outcome> takeOutcomes();

    // Readable when the gateway has something to do; the gateway clears it with clearGateway().
    int gatewayFd() const { return m_eventFd; }
    void clearGateway();
    void ringGateway();

private:
    void ringWorkers(quint8 changes);

    Doorbell m_reception;
    Doorbell m_diagnosis;
    Doorbell m_examination;
    Doorbell m_view;
    std::mutex m_outcomesMutex;
    std::vector<Outcome> m_outcomes;
    std::atomic<bool> m_gatewayRunning{false};
    std::atomic<bool> m_otherProcessCommitted{false};
    std::atomic<bool> m_logAdvanced{true};
    std::atomic<bool> m_crossProcessFeed{false};
    int m_eventFd = -1;
};

} // namespace clinicflow::server
