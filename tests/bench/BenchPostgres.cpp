#include "BenchPostgres.h"

#include "BenchCpu.h"
#include "BenchLimits.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <cstdio>
#include <map>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace clinicflow::bench {
namespace {

QString clusterScript()
{
    return QStringLiteral(CLINICFLOW_PG_CLUSTER_SCRIPT);
}

} // namespace

BenchCluster::~BenchCluster()
{
    if (m_started)
        QProcess::execute(u"bash"_s, {clusterScript(), u"stop"_s, m_dir.path(), u"--force"_s});
}

// pg-cluster.sh records the cluster's folder in DIR/cluster; PostgreSQL writes its PID first in postmaster.pid.
qint64 BenchCluster::postmasterPid() const
{
    QFile folder(m_dir.filePath(u"cluster"_s));
    if (!m_started || !folder.open(QIODevice::ReadOnly))
        return 0;
    QFile pidFile(QString::fromLocal8Bit(folder.readAll()).trimmed() + u"/data/postmaster.pid"_s);
    if (!pidFile.open(QIODevice::ReadOnly))
        return 0;
    return pidFile.readLine().trimmed().toLongLong();
}

bool BenchCluster::start()
{
    QProcess script;
    script.start(u"bash"_s, {clusterScript(), u"start"_s, m_dir.path()});
    if (!script.waitForFinished(120000) || script.exitCode() != 0) {
        m_error = QString::fromLocal8Bit(script.readAllStandardError()).trimmed();
        return false;
    }
    m_started = true;
    QFile url(m_dir.filePath(u"url"_s));
    if (!url.open(QIODevice::ReadOnly)) {
        m_error = u"the cluster wrote no url file"_s;
        return false;
    }
    m_url = QString::fromUtf8(url.readAll()).trimmed();
    return true;
}

void benchPostgresInserts(const QString &databaseUrl, int rows, int rowsPerCommit)
{
    const QString name = u"bench-pg-%1"_s.arg(rowsPerCommit);
    {
        auto opened = testsupport::openPostgres(databaseUrl, name);
        if (!opened) {
            std::printf("  cannot open PostgreSQL: %s\n", qPrintable(opened.error().message()));
            return;
        }
        QSqlDatabase db = opened.value();
        {
            QSqlQuery q(db);
            q.exec(u"SET client_min_messages = warning"_s);
            q.exec(u"SET synchronous_commit = on"_s);
            q.exec(u"DROP TABLE IF EXISTS raw_%1"_s.arg(rowsPerCommit));
            q.exec(u"CREATE TABLE raw_%1 (id BIGSERIAL PRIMARY KEY, a TEXT NOT NULL, b BYTEA NOT NULL)"_s.arg(
                rowsPerCommit));
            QSqlQuery insert(db);
            insert.prepare(u"INSERT INTO raw_%1 (a, b) VALUES (?, ?)"_s.arg(rowsPerCommit));
            const QByteArray blob(300, 'x');
            QElapsedTimer timer;
            timer.start();
            for (int done = 0; done < rows;) {
                q.exec(u"BEGIN"_s);
                for (int i = 0; i < rowsPerCommit && done < rows; ++i, ++done) {
                    insert.bindValue(0, u"3f2c6a4e-5b1d-4c8e-9a7f-0d1e2f3a4b5c"_s);
                    insert.bindValue(1, blob);
                    if (!insert.exec()) {
                        std::printf("  insert failed: %s\n", qPrintable(insert.lastError().text()));
                        return;
                    }
                }
                q.exec(u"COMMIT"_s);
            }
            const double seconds = double(timer.nsecsElapsed()) / 1e9;
            printFigure({u"bare PostgreSQL inserts, synchronous_commit=on, %1 per commit"_s.arg(rowsPerCommit),
                         double(rows) / seconds, u"rows/s"_s});
        } // the statements go before the connection closes
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

namespace {

// Runs `sql` on a connection of its own: whether it ran, and its first value when it returned rows.
bool runAlone(const QString &databaseUrl, const QString &sql, QVariant *firstValue = nullptr)
{
    const QString name = u"bench-pg-probe"_s;
    bool ran = false;
    if (auto opened = testsupport::openPostgres(databaseUrl, name); opened) {
        QSqlDatabase db = opened.value();
        {
            QSqlQuery q(db);
            ran = q.exec(sql);
            if (ran && firstValue && q.next())
                *firstValue = q.value(0);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ran;
}

} // namespace

double warmWalSegments(const QString &databaseUrl, int megabytes, QString *error)
{
    const QString name = u"bench-pg-warm"_s;
    double written = -1;
    if (auto opened = testsupport::openPostgres(databaseUrl, name); !opened) {
        *error = opened.error().message();
    } else {
        QSqlDatabase db = opened.value();
        {
            QSqlQuery q(db);
            const auto run = [&q, error](const QString &sql) {
                if (q.exec(sql))
                    return true;
                *error = sql.section(u' ', 0, 1) + u": "_s + q.lastError().text();
                return false;
            };
            // About 1 KB of WAL a row; the table is dropped, its segments stay for the phases to write into.
            if (run(u"ALTER SYSTEM SET min_wal_size = '1GB'"_s) && run(u"SELECT pg_reload_conf()"_s) &&
                run(u"SELECT pg_current_wal_lsn()::text"_s) && q.next()) {
                const QString from = q.value(0).toString();
                if (run(u"SET client_min_messages = warning"_s) && run(u"DROP TABLE IF EXISTS bench_wal_warmup"_s) &&
                    run(u"CREATE TABLE bench_wal_warmup AS SELECT g, repeat('w', 1000) AS pad "
                        u"FROM generate_series(1, %1) g"_s.arg(megabytes * 1000)) &&
                    run(u"DROP TABLE bench_wal_warmup"_s) &&
                    run(u"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '%1')"_s.arg(from)) && q.next()) {
                    const double bytes = q.value(0).toDouble();
                    if (run(u"CHECKPOINT"_s))
                        written = bytes / (1024.0 * 1024.0);
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return written;
}

bool checkpointNow(const QString &databaseUrl)
{
    return runAlone(databaseUrl, u"CHECKPOINT"_s);
}

DatabaseCounters databaseCounters(const QString &databaseUrl)
{
    const QString name = u"bench-pg-counters"_s;
    DatabaseCounters counters;
    if (auto opened = testsupport::openPostgres(databaseUrl, name); opened) {
        QSqlDatabase db = opened.value();
        {
            QSqlQuery q(db);
            if (q.exec(u"SELECT (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter), "
                       u"pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, "
                       u"(SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())"_s) &&
                q.next()) {
                const auto read = [&q](int i) { return q.isNull(i) ? qint64(-1) : q.value(i).toLongLong(); };
                counters = {read(0), read(1), read(2)};
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return counters;
}

QString whyNotMeasurable(const QString &databaseUrl)
{
    const QString name = u"bench-pg-check"_s;
    QString why;
    if (auto opened = testsupport::openPostgres(databaseUrl, name); !opened) {
        why = u"cannot open it: "_s + opened.error().message();
    } else {
        QSqlDatabase db = opened.value();
        {
            QSqlQuery q(db);
            if (!q.exec(u"SELECT to_regclass('schema_version') IS NOT NULL"_s) || !q.next())
                why = u"cannot read it: "_s + q.lastError().text();
            else if (q.value(0).toBool())
                why = u"it already holds ClinicFlow's tables (a server ran on it): give an empty database, or no "
                      "--postgresql-url for a throwaway cluster"_s;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return why;
}

namespace {
// The deployments measured: the modules each process runs (--only; empty: every module), and how that reads.
struct Deployment
{
    QStringList groups;
    QString layout;
};
const Deployment *deploymentOf(int processes)
{
    static const std::map<int, Deployment> deployments{
        {1, {{QString()}, u"every module in one process, as one host runs it"_s}},
        {2,
         {{u"gateway,view"_s, u"reception,diagnosis,examination"_s},
          u"gateway+view, and the three contexts' workers, as on two hosts"_s}},
        {4,
         {{u"gateway,view"_s, u"reception"_s, u"diagnosis"_s, u"examination"_s},
          u"gateway+view, reception, diagnosis, examination, as on separate hosts"_s}},
    };
    const auto it = deployments.find(processes);
    return it == deployments.end() ? nullptr : &it->second;
}
} // namespace

bool PostgresServer::deployable(int processes)
{
    return deploymentOf(processes) != nullptr;
}

bool PostgresServer::start(const QString &databaseUrl, int processes, const QStringList &extraArgs)
{
    const Deployment *deployment = deploymentOf(processes);
    if (!deployment) {
        m_error = u"%1 processes: the server runs as 4, 2 or 1"_s.arg(processes);
        return false;
    }
    m_groups = deployment->groups;
    m_layout = deployment->layout;
    for (const QString &modules : std::as_const(m_groups)) {
        auto process = std::make_unique<testsupport::ServerProcess>();
        if (m_processes.empty())
            process->setDatabaseUrl(databaseUrl);
        else
            process->shareDataWith(*m_processes.front());
        const QStringList only = modules.isEmpty() ? QStringList{} : QStringList{u"--only"_s, modules};
        if (!process->start(only + extraArgs)) {
            m_error =
                u"%1: %2"_s.arg(modules.isEmpty() ? u"every module"_s : u"--only "_s + modules, process->errorString());
            return false;
        }
        m_processes.push_back(std::move(process));
    }
    return true;
}

QString PostgresServer::name() const
{
    return m_groups.size() == 1 ? u"PostgreSQL, 1 process"_s : u"PostgreSQL, %1 processes"_s.arg(m_groups.size());
}

std::vector<std::pair<QString, QByteArray>> PostgresServer::processMetrics()
{
    std::vector<std::pair<QString, QByteArray>> metrics;
    for (std::size_t i = 0; i < m_processes.size(); ++i) {
        const QString &modules = m_groups.at(qsizetype(i));
        metrics.emplace_back(modules.isEmpty() ? u"every module"_s : modules,
                             m_processes[i]->httpGet(u"/metrics"_s).body);
    }
    return metrics;
}

double PostgresServer::cpuSeconds() const
{
    double total = 0;
    for (const auto &p : m_processes)
        total += processCpuSeconds(p->processId());
    return total;
}

void PostgresServer::terminate()
{
    for (auto it = m_processes.rbegin(); it != m_processes.rend(); ++it)
        (*it)->terminate();
}

} // namespace clinicflow::bench
