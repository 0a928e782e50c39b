// N stations (each a desk, a doctor and an examiner DEALER) play whole patient journeys against a running server,
// while extra SUB sockets listen to the status feed. Measures applied commands per second, submit -> Applied latency,
// and fan-out latency: from the Applied answer of a command to each subscriber receiving the command's events.
#pragma once

#include "domain/Types.h"
#include "security/Curve.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace clinicflow::bench {

struct JourneyOptions
{
    // The server. Station s's sockets connect from sourceAddresses[s % size] when given; otherwise, to a loopback
    // host, each station from an address of its own, 127.1.x.y, as separate machines would (the server caps
    // connections per source address at 100); to any other host, from the address the system picks.
    QString host = QStringLiteral("127.0.0.1");
    QStringList sourceAddresses;
    quint16 port = 7470;
    quint16 pubPort = 7471;
    int stations = 50;
    int firstStation = 0; // station s plays as R/M/X<firstStation + s>: generators on several hosts split the codes
    int journeysPerStation = 1; // journeys each station has in flight at once
    double seconds = 10;
    double journeysPerSecond = 0; // 0: closed loop, every station starts its next journey at once
    int subscribers = 10;
    // After `seconds`, no new command is sent, and answers to those sent are awaited up to this long. A command still
    // unanswered then counts in the latencies with the time it has waited.
    double drainSeconds = 0;
    QString label;
    // The enrolled keys of a station (every socket speaks CURVE): desks R000.., doctors' rooms M000.. (enrolled for
    // dr.kim, for whom every visit is registered), examiners X000.., and the subscribers, boards FEED and S000...
    std::function<std::optional<security::ClientKeys>(const QString &station, domain::Role role)> keysFor;
};

struct JourneyResult
{
    double appliedPerSecond = 0;
    double applyP50Ms = 0;
    double applyP95Ms = 0;
    double applyP99Ms = 0;
    double queuedP50Ms = 0; // durable acceptance: the command is stored, no worker has run it yet
    double queuedP99Ms = 0;
    double fanoutP50Ms = 0;
    double fanoutP99Ms = 0;
    long applied = 0;
    long rejected = 0;
    long journeys = 0;
    long stalled = 0;       // journeys still waiting at the end
    long unanswered = 0;    // commands with neither Applied nor Rejected at the end (after the drain)
    long helloFailures = 0; // stations whose Hello got no Welcome within 10 s
};

JourneyResult runJourneys(const JourneyOptions &options);

} // namespace clinicflow::bench
