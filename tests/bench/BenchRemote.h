// clinicflow-bench-server --server HOST: the journey player as a load generator against a server that runs elsewhere
// (what the seed did with siege), its stations enrolled there beforehand (tests/bench/enrol-bench-stations.sh).
#pragma once

#include <QCommandLineParser>
#include <QStringList>

namespace clinicflow::bench {

// The server's per-address cap on request connections, and so the stations one source address can play (3 each).
constexpr int kConnectionsPerAddress = 100;
constexpr int kStationsPerAddress = kConnectionsPerAddress / 3;

// Adds --server, --port, --pub-port, --enrolments, --source-addresses and --first-station.
void addRemoteOptions(QCommandLineParser &parser);
// The options above but --server: meaningless without it.
QStringList remoteOnlyOptions();
// Plays the full load, then --rate commands/s (or half the full load), against --server; the process's exit code.
int runRemote(const QCommandLineParser &parser);

} // namespace clinicflow::bench
