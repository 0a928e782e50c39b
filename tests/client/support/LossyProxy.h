// A lossy network between one station and the server, for the sync engine's tests: a ROUTER the station's DEALER
// connects to, relaying over a DEALER of its own to the gateway, and a PUB relaying the gateway's PUB. By default it
// drops, by rule and so deterministically, what a high-water mark or a flaky link would: the first copy of every
// Submit, the first direct outcome (Applied or Rejected) of every command, and every outcome on PUB. What gets
// through must therefore come from the station resending, and asking again about what it was told is Queued. With
// Losses::publishedShare it drops instead that share of everything on PUB, at random (seeded): one message at a random
// place in each run of 1 / share, so that a test sees losses however few messages it publishes. It ends CURVE on
// both sides: the station connects with keysForStation() (the proxy's server key), and the proxy connects to the
// gateway with the station's own enrolled keys, so the gateway sees that station.
#pragma once

#include "security/Curve.h"

#include <QSet>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

namespace clinicflow::testsupport {

class LossyProxy
{
public:
    struct Losses
    {
        bool firstCopies = true;   // the first Submit and direct outcome of each command, every outcome on PUB
        double publishedShare = 0; // of the messages on PUB, dropped at random; used when firstCopies is false
        quint32 seed = 1;
    };
    LossyProxy(quint16 serverPort, quint16 serverPubPort, const security::ClientKeys &stationKeys, Losses losses);
    LossyProxy(quint16 serverPort, quint16 serverPubPort, const security::ClientKeys &stationKeys); // default Losses
    // The keys the station uses toward the proxy: the proxy's server key and the station's own pair.
    security::ClientKeys keysForStation() const { return {m_keys.publicKey, m_stationKeys.station}; }
    ~LossyProxy();

    // Where the station connects instead of the server.
    quint16 port() const { return m_port; }
    quint16 pubPort() const { return m_pubPort; }

    struct Counts
    {
        int submits = 0;         // Submit messages the station sent
        int droppedSubmits = 0;  // of those, not passed on
        int droppedOutcomes = 0; // direct Applied/Rejected not passed back
        int published = 0;       // messages the gateway published to this station
        int droppedPublished = 0;
    };
    Counts counts() const;

private:
    void run(quint16 serverPort, quint16 serverPubPort);

    const security::ClientKeys m_stationKeys;
    const Losses m_losses;
    const security::KeyPair m_keys = security::KeyPair::generate();

    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<quint16> m_port{0};
    std::atomic<quint16> m_pubPort{0};
    mutable std::mutex m_mutex;
    Counts m_counts;
    QSet<QString> m_submitted; // command ids whose first Submit was dropped
    QSet<QString> m_answered;  // command ids whose first direct outcome was dropped
};

} // namespace clinicflow::testsupport
