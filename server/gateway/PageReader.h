// Pages of the event log and of the status view, read for the gateway on a thread of its own (issue #12). A page can
// take tens of milliseconds to read and encode; on the gateway's thread a station fetching, or a flood of fetches
// within its share, held up every other station's commands for as long. Here:
// - the gateway hands a request over and goes on; the page comes back encoded, with its audit entries, and the
//   gateway's next turn sends it;
// - the stations take turns: one page of each station with requests waiting, then the next, so one board's flood
//   does not delay another station's catch-up by more than a page;
// - at most kMaxWaitingPerStation requests of a station wait (the gateway answers the rest RATE_LIMITED);
// - the thread runs at a lower CPU priority (nice +10): bulk reads yield to the clinic's commands, and still go on.
#pragma once

#include "SyncReader.h"
#include "domain/Catalogue.h"
#include "domain/Types.h"
#include "security/AuditTrail.h"
#include "storage/Database.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace clinicflow::server {

class PageReader
{
    Q_DISABLE_COPY_MOVE(PageReader)
public:
    static constexpr int kMaxWaitingPerStation = 4;

    struct Request
    {
        QByteArray peer; // the ROUTER identity to answer
        QString station;
        domain::Role role = domain::Role::Board;
        quint64 requestId = 0;
        v1::Envelope request; // FetchEvents or FetchSnapshot
    };
    struct Page
    {
        QByteArray peer;
        QString station;
        quint64 requestId = 0;
        std::optional<domain::Error> error; // the read failed: answer this instead
        std::string bytes;                  // the encoded answer, request id included
        std::vector<AuditEntry> audit;      // the personal data it serves
    };

    // `wake` is called (from the reader's thread) when a page is ready.
    PageReader(DatabaseSettings database, domain::Catalogue catalogue, QString serverId, std::function<void()> wake);
    ~PageReader();

    // Starts the thread and opens its database connections there; their error, if any.
    domain::Result<bool> start();
    // False when the station already has kMaxWaitingPerStation requests waiting (nothing is queued then).
    bool submit(Request request);
    // The pages read since the last call, in the order they were read.
    std::vector<Page> takeReady();

private:
    void run(std::promise<domain::Result<bool>> &opened);
    Page read(const Request &request, SyncReader &reader);

    const DatabaseSettings m_database;
    const domain::Catalogue m_catalogue;
    const QString m_serverId;
    const std::function<void()> m_wake;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    QHash<QString, std::deque<Request>> m_waiting; // by station
    std::deque<QString> m_turns;                   // stations with requests waiting, in the order they are served
    std::vector<Page> m_ready;
    bool m_stop = false;
    std::thread m_thread;
};

// The audit trail's entries for the personal data a page serves to a station in a role (GatewayAudit.cpp).
std::vector<AuditEntry> auditEntriesOf(const QString &station, domain::Role role, const v1::Envelope &page);

} // namespace clinicflow::server
