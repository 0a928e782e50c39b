// The server benchmark's PostgreSQL side (issue #14): a throwaway cluster of its own (the tests' pg-cluster.sh) or
// the operator's, the raw limit to read the server's figures against (single-row commits per second with
// synchronous_commit=on), and the server as separate module processes sharing one database, or as one process.
#pragma once

#include "ServerProcess.h"
#include "TestPostgres.h"

#include <QTemporaryDir>
#include <memory>
#include <utility>
#include <vector>

namespace clinicflow::bench {

// A cluster started with tests/support/postgres/pg-cluster.sh in a folder of its own, stopped on destruction.
class BenchCluster
{
public:
    ~BenchCluster();
    // False with error() when it could not start.
    bool start();
    QString baseUrl() const { return m_url; }
    // The cluster's postmaster, whose children are its backends and its own processes; 0 when not known.
    qint64 postmasterPid() const;
    QString error() const { return m_error; }

private:
    QTemporaryDir m_dir;
    QString m_url;
    QString m_error;
    bool m_started = false;
};

// Rows per second inserted into a fresh table, `rowsPerCommit` per transaction, every commit durable
// (synchronous_commit=on): the ceiling a server committing one command per transaction would meet.
void benchPostgresInserts(const QString &databaseUrl, int rows, int rowsPerCommit);
// Empty when the database at `databaseUrl` can be measured on: it opens, and holds no ClinicFlow schema yet (a server
// that ran there left its stations enrolled and its events, and the benchmark's own would collide with them).
QString whyNotMeasurable(const QString &databaseUrl);

// A database that has run a while writes its WAL into segments it recycled at its checkpoints. A new cluster has none
// to recycle: every 16 MB of WAL it creates a segment and fills it with zeros first, and the commit that crosses into
// it waits for that (about 40 ms on this machine's virtual disk, every 2 s at 1,500 commands/s). So that the figures
// are those of a database in service, the bench's own cluster keeps up to 1 GB of segments for reuse
// (min_wal_size) and writes `megabytes` of WAL through a table it drops again; the checkpoint before each deployment
// recycles them. Returns the megabytes of WAL written, or -1 with `error` set.
double warmWalSegments(const QString &databaseUrl, int megabytes, QString *error);

// Checkpoints matter to the tail: while one writes the dirty pages out, a commit's flush can wait behind them on this
// machine's virtual disk. Each deployment starts from a checkpoint made just before it (false when the role may not
// ask for one), and each phase tells how many began during it.
bool checkpointNow(const QString &databaseUrl);
// What the database has done so far, read before and after a phase: the checkpoints it began (timed and requested),
// the WAL it wrote (what its disk, its backups and its replicas take per command) and the transactions it committed
// (the server's, the reads outside a transaction included), each -1 when it cannot be read.
struct DatabaseCounters
{
    qint64 checkpoints = -1;
    qint64 walBytes = -1;
    qint64 commits = -1;
};
DatabaseCounters databaseCounters(const QString &databaseUrl);

// The server on `databaseUrl`, as 4 processes (the gateway with the view, then reception, diagnosis and examination
// each alone, as on separate hosts), as 2 (the gateway with the view, then the three workers) or as 1 (every module,
// as one host runs it). front() takes the stations.
class PostgresServer
{
public:
    // The counts start() takes.
    static bool deployable(int processes);
    bool start(const QString &databaseUrl, int processes, const QStringList &extraArgs);
    testsupport::ServerProcess &front() { return *m_processes.front(); }
    // "PostgreSQL, 4 processes", as the figures are labelled.
    QString name() const;
    // How its modules are grouped, for the heading of its figures.
    QString layout() const { return m_layout; }
    QString errorString() const { return m_error; }
    // Each process's modules ("gateway,view", "reception", ...; "every module") and its GET /metrics.
    std::vector<std::pair<QString, QByteArray>> processMetrics();
    // CPU seconds (user + system) all its processes have used so far.
    double cpuSeconds() const;
    void terminate();

private:
    std::vector<std::unique_ptr<testsupport::ServerProcess>> m_processes;
    QStringList m_groups;
    QString m_layout;
    QString m_error;
};

} // namespace clinicflow::bench
