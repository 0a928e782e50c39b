// The two seams between SyncEngine (GUI thread) and SyncLoop (the engine's own thread): the Mailbox carries
// commands and the stop request in, under a mutex, with an eventfd that wakes zmq::poll; the Sink carries results
// out, each call made on the loop's thread and posted by the facade to its own thread in call order.
#pragma once

#include "ClientTypes.h"
#include "domain/Catalogue.h"
#include "domain/Events.h"
#include "domain/StatusView.h"

#include <atomic>
#include <mutex>
#include <vector>

namespace clinicflow::client::sync {

struct Mailbox
{
    Mailbox();
    ~Mailbox();
    Mailbox(const Mailbox &) = delete;
    Mailbox &operator=(const Mailbox &) = delete;

    bool valid() const { return wakeFd >= 0; }
    void post(std::vector<OutgoingCommand> more);
    void requestStop();
    // On the loop's thread: what was posted since the last call, and whether to stop.
    std::vector<OutgoingCommand> take(bool &stop);
    void clearWake(); // reads the eventfd so the next poll sleeps again

    const int wakeFd; // eventfd, polled by the loop as a plain file descriptor

private:
    void wake();
    std::mutex m_mutex;
    std::vector<OutgoingCommand> m_commands;
    bool m_stop = false;
};

// Where a station's new events came from: counted on the loop's thread, read on any (SyncEngine::feedCounts()).
struct FeedCounters
{
    std::atomic<quint64> live{0};    // first read on the status feed (PUB)
    std::atomic<quint64> fetched{0}; // first read in a FetchEvents page: the catch-up, and whatever PUB left out
};

class Sink
{
public:
    virtual ~Sink() = default;
    virtual void stateChanged(ConnectionState state) = 0;
    virtual void progress(quint64 lastSequence, quint64 headSequence) = 0;
    virtual void welcomed(const QString &serverId, const domain::Catalogue &catalogue) = 0;
    virtual void serverChanged(const QString &serverId) = 0;
    virtual void events(QList<domain::Event> events) = 0;
    virtual void snapshot(QList<domain::VisitStatus> rows, quint64 sequence) = 0;
    virtual void queued(const QUuid &commandId) = 0;
    virtual void answered(const CommandOutcome &outcome) = 0;
    virtual void lastContact(const QDateTime &at) = 0;
    virtual void error(const QString &message) = 0;
};

} // namespace clinicflow::client::sync
