// The attacks of issue #12, each as a hostile peer on the clinic's network would play it against the real server:
// over ZeroMQ with an enrolled station's CURVE keys (a stolen or misbehaving station), or over raw TCP to the
// operators' HTTP port. Each runs on a thread of its own until told to stop, and counts what it did and what it got.
#pragma once

#include "security/Curve.h"

#include <QHash>
#include <QString>
#include <atomic>
#include <functional>
#include <vector>

namespace clinicflow::hostile {

// Where the server listens, and the keys of the stations the attackers play (enrolled before the attack).
struct Target
{
    quint16 port = 0;
    quint16 httpPort = 0;
    qint64 pid = 0;
    QHash<QString, security::ClientKeys> keys; // by station code: desk R900, R901, board B900, B901, B902
};

// What one attack did, for the printed figures (the attack thread writes, the test reads after join()).
struct Tally
{
    std::atomic<long> sent{0};        // messages, requests or connections, as the attack counts its unit
    std::atomic<long long> bytes{0};  // bytes it wrote
    std::atomic<long> answered{0};    // replies it read
    std::atomic<long> limited{0};     // RATE_LIMITED errors, or HTTP 503
    std::atomic<long> refused{0};     // Rejected or Error (other than RATE_LIMITED), or HTTP 4xx
    std::atomic<long> applied{0};     // commands of the attacker the server applied
    std::atomic<long> disconnects{0}; // connections the server closed
    QString describe() const;
};

struct Attack
{
    QString name;
    QString what; // one line for the printed report
    // Stations whose commands must never be stored (the attack only sends what the rules refuse).
    QStringList storesNothingFrom;
    std::function<void(const Target &, const std::atomic<bool> &stop, Tally &)> run;
};

// Every attack over ZeroMQ and HTTP (the unread stdout and SIGHUP are played by the test itself).
std::vector<Attack> networkAttacks();

} // namespace clinicflow::hostile
