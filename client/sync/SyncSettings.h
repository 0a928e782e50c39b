// What a SyncEngine needs to know: where the gateway is, who this station is, and the timing that tells online from
// offline (ARCHITECTURE §5, sync engine). The defaults suit a hospital LAN; tests shorten or lengthen them.
#pragma once

#include "domain/Types.h"
#include "security/Curve.h"

#include <QString>
#include <chrono>
#include <functional>

namespace clinicflow::client {

struct SyncSettings
{
    QString requestEndpoint;   // the gateway's ROUTER, e.g. "tcp://host:7470"
    QString publishEndpoint;   // the gateway's PUB, e.g. "tcp://host:7471"
    QString station;           // station code, e.g. "A"; every submitted command must carry it
    security::ClientKeys keys; // the station's enrolment: CURVE with the server's key (ARCHITECTURE §7)
    domain::Role role = domain::Role::Board;
    QString serverId;          // the server this station's replica came from; empty for a fresh replica
    bool useSnapshots = false; // board stations: take a snapshot of the status view when the server advises one
    QString clientVersion;     // for the operators' logs, in Hello

    // A Ping goes out when the DEALER has been quiet this long; a Pong, like any message, proves the link.
    std::chrono::milliseconds pingInterval{1000};
    // Offline when nothing at all was heard on either socket for this long.
    std::chrono::milliseconds offlineTimeout{2500};
    // A request (Hello, FetchEvents, FetchSnapshot, Submit) unanswered this long is sent again.
    std::chrono::milliseconds requestTimeout{3000};
    // A command the server said Queued for is asked about again this often: its Applied may have been dropped.
    std::chrono::milliseconds queuedRecheck{15000};
    // A sequence gap seen on PUB (or in a Pong's head) is fetched when nothing filled it for this long.
    std::chrono::milliseconds gapWait{200};
    // libzmq's reconnect backoff: it doubles from the first to the cap.
    std::chrono::milliseconds reconnectInterval{250};
    std::chrono::milliseconds reconnectIntervalMax{5000};
    // After this long without a word the DEALER is rebuilt, so whatever answers next gets a fresh Hello.
    std::chrono::milliseconds recreateAfterSilence{6000};

    quint32 fetchPageLimit = 5000; // events per FetchEvents (the server's maximum)
    int fetchesInFlight = 2;       // pipelined FetchEvents while catching up
    quint32 snapshotPageLimit = 2000;
    int eventsPerSignal = 1000; // eventsReceived batches at most this many events
    int subscriberHighWaterMark = 100000;

    // TEST ONLY: called on the engine's thread for every event read from PUB; returning true drops the event
    // before it reaches the ordering buffer, as a PUB at its high-water mark would. Leave empty in production.
    std::function<bool(quint64 sequence)> testOnlyDropLiveEvent;
};

} // namespace clinicflow::client
