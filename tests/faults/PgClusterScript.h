// The fault tests' own PostgreSQL cluster (tests/support/postgres/pg-cluster.sh), for a test that crashes it, or
// changes how it listens, without any other test feeling it. CLINICFLOW_PG_CLUSTER_SCRIPT is the script's path.
#pragma once

#include <QProcess>
#include <QStringList>

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

} // namespace clinicflow::testsupport
