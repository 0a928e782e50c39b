// The fault tests' own PostgreSQL cluster (tests/support/postgres/pg-cluster.sh), for a test that crashes it, or
// changes how it listens, without any other test feeling it. CLINICFLOW_PG_CLUSTER_SCRIPT is the script's path.
#pragma once

#include <QDebug>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

namespace clinicflow::testsupport {

// Runs `bash pg-cluster.sh <arguments>`; its exit code (-1: it hung), with everything it printed in *output.
inline int pgCluster(const QStringList &arguments, QString *output = nullptr)
{
    QProcess script;
    script.setProcessChannelMode(QProcess::MergedChannels);
    script.start(QStringLiteral("bash"), QStringList{QStringLiteral(CLINICFLOW_PG_CLUSTER_SCRIPT)} + arguments);
    const bool finished = script.waitForFinished(120000);
    if (!finished) {
        script.kill();
        script.waitForFinished();
    }
    if (output)
        *output = QString::fromUtf8(script.readAll());
    return finished && script.exitStatus() == QProcess::NormalExit ? script.exitCode() : -1;
}

// A cluster of the test's own, in a temporary folder: started by start(), stopped and deleted with this object.
class OwnPgCluster
{
    Q_DISABLE_COPY_MOVE(OwnPgCluster)
public:
    OwnPgCluster() = default;
    ~OwnPgCluster()
    {
        QString output;
        if (m_started && pgCluster({QStringLiteral("stop"), dir(), QStringLiteral("--force")}, &output) != 0)
            qWarning().noquote() << "pg-cluster.sh stop:" << output;
    }
    // Empty once it runs (baseUrl() says where), else what went wrong.
    QString start()
    {
        if (!m_tmp.isValid())
            return QStringLiteral("cannot make a temporary folder");
        QString output;
        m_started = pgCluster({QStringLiteral("start"), dir()}, &output) == 0;
        m_baseUrl = output.split(u'\n').filter(QStringLiteral("postgresql://")).value(0).trimmed();
        return m_started && !m_baseUrl.isEmpty() ? QString() : output;
    }
    // `pg-cluster.sh <command> DIR` (crash, restart): its exit code, its output in *output.
    int run(const QString &command, QString *output = nullptr) { return pgCluster({command, dir()}, output); }
    QString dir() const { return m_tmp.filePath(QStringLiteral("cluster")); }
    QString baseUrl() const { return m_baseUrl; } // postgresql://clinicflow@127.0.0.1:PORT/postgres

private:
    QTemporaryDir m_tmp;
    QString m_baseUrl;
    bool m_started = false;
};

} // namespace clinicflow::testsupport
