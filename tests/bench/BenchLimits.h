// The raw limits of this machine that ClinicFlow's figures should be read against: bare ZeroMQ DEALER<->ROUTER round
// trips over loopback, and bare SQLite WAL inserts with synchronous=FULL, one per commit and batched.
#pragma once

#include <QString>

namespace clinicflow::bench {

struct Figure
{
    QString name;
    double value = 0;
    QString unit;
};

// Round trips per second and p50/p99 in microseconds, over `count` sequential requests.
void benchZeroMqRoundTrips(int count);
// Rows per second inserted into a fresh WAL database in `folder`, `rowsPerCommit` rows per transaction.
void benchSqliteInserts(const QString &folder, int rows, int rowsPerCommit);

void printFigure(const Figure &figure);

} // namespace clinicflow::bench
