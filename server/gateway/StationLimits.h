// Each station's share of the gateway (issue #12, "Fairness"): a token bucket of requests, a token bucket of the
// bytes of the pages it is served, and a cap on its commands taken but not yet answered. A station over its share is
// answered RATE_LIMITED with the time after which its request would be taken; nothing of it is read further, stored
// or queued. Stations are known by their enrolled key (the connection's User-Id), so a station that opens more
// connections gets no more than its share. Plain logic on the gateway's thread.
//
// The defaults fit a real clinic with a wide margin: a desk registers a patient every minute or so, a doctor's room
// acts a few times per patient, and a workstation back from a day offline sends its outbox at once (a burst of ten
// seconds' worth is allowed, and its sync engine honours the time to wait for the rest).
#pragma once

#include <QHash>
#include <QString>
#include <chrono>
#include <optional>

namespace clinicflow::server {

struct StationLimitSettings
{
    double requestsPerSecond = 200;      // every request costs one token...
    double burstSeconds = 10;            // ...and the bucket holds this many seconds' worth
    double pageBytesPerSecond = 8 << 20; // event and snapshot pages served to one station
    double pageBurstBytes = 32 << 20;    // a workstation's first snapshot and catch-up fit in it
    int pendingCommands = 2000;          // commands taken and not yet Applied or Rejected, per station
    int requestCost = 1;                 // Hello, Ping, Submit
    // A station that goes on sending while it is told to wait (RATE_LIMITED) this many times in a row, or sends this
    // many messages in 10 s that cannot be read or break the shared rules (a workstation checks its commands with
    // the same rules before sending), is no client honouring the protocol: its connections are closed and refused
    // for a while.
    int ignoredBeforeShutOut = 1000;
    int invalidBeforeShutOut = 100;
    // A refused station is held at least this long, however soon its next token comes: the workstation waits at
    // least as long after a RATE_LIMITED (docs/protocol.md §1), so it loses nothing by it, while a peer that sends
    // again at once cannot slip one request in every few milliseconds to start its count of ignored ones again.
    std::chrono::milliseconds shortestHold{100};
    int pageRequestCost = 10; // FetchEvents, FetchSnapshot: each reads the database (PageReader)
    // A Submit before Hello is the protocol's normal course for a moment (docs/protocol.md §8): after a restart of
    // the server, or a connection made again, a workstation's outbox may resend before its Hello is answered. It is
    // answered UNKNOWN_STATION; it counts as invalid only while the station goes on without a Hello for longer
    // than this.
    std::chrono::seconds helloGrace{10};
};

class StationLimits
{
public:
    using Clock = std::chrono::steady_clock;
    using Wait = std::chrono::milliseconds;

    explicit StationLimits(StationLimitSettings settings = {});
    const StationLimitSettings &settings() const { return m_settings; }

    // Takes `cost` request tokens from the station's bucket; when it has too few, takes nothing and returns how long
    // until it will have them. From then until that time every request of the station is refused alike, so that of
    // the requests it sent in a row none is taken out of turn (a cancellation before its registration).
    std::optional<Wait> takeRequest(const QString &station, int cost, Clock::time_point now);
    // Whether a page may be served to the station now (its page bytes are not in debt), else the wait.
    std::optional<Wait> pageAllowed(const QString &station, Clock::time_point now);
    // Charges a page served: the bucket may go into debt by the last page's size.
    void chargePage(const QString &station, std::size_t bytes, Clock::time_point now);

    // A message of the station that could not be read (no envelope), or a request that breaks the shared rules.
    void noteInvalid(const QString &station, Clock::time_point now);
    // A Submit from a station without a session: invalid only helloGrace after the first since its last Hello.
    void noteWithoutSession(const QString &station, Clock::time_point now);
    // The station said Hello: it honours the protocol again.
    void sessionStarted(const QString &station);
    // Whether the station has sent ignoredBeforeShutOut requests in a row while held off, or invalidBeforeShutOut
    // invalid ones within 10 s: it does not honour the protocol. forgive() starts the counts again (after it was
    // shut out).
    bool ignoresRefusals(const QString &station) const;
    void forgive(const QString &station);

    // Refuses every request of the station for `wait` (its pending commands are at their cap).
    void holdOff(const QString &station, Wait wait, Clock::time_point now);
    // Commands taken and not answered yet: a station at its cap is refused more until some are answered.
    bool mayTakeCommand(const QString &station) const;
    void commandTaken(const QString &station);
    void commandAnswered(const QString &station);
    int pending(const QString &station) const { return m_stations.value(station).pending; }

    // Forgets stations with full buckets and nothing pending (bounded memory over a long run).
    void prune(Clock::time_point now);
    qsizetype size() const { return m_stations.size(); }

private:
    struct Bucket
    {
        double level = 0;
        Clock::time_point at;
    };
    struct Station
    {
        Bucket requests;
        Bucket pageBytes;
        int pending = 0;
        int ignored = 0; // refused in a row while held off
        int invalid = 0; // unreadable or breaking the rules, since invalidSince
        Clock::time_point invalidSince;
        std::optional<Clock::time_point> withoutSessionSince; // the first Submit without a session since a Hello
        bool fresh = true;
        Clock::time_point heldUntil;
    };
    Station &station(const QString &code, Clock::time_point now);
    static void refill(Bucket &bucket, double perSecond, double capacity, Clock::time_point now);

    StationLimitSettings m_settings;
    QHash<QString, Station> m_stations;
};

} // namespace clinicflow::server
