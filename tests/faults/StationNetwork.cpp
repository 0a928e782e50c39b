// A workstation on a network of its own (see StationNetwork.h).
#include "StationNetwork.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sched.h>

using namespace Qt::StringLiterals;

namespace clinicflow::testsupport {

namespace {

// RFC 1918 addresses, used only on the pair inside the test's own namespaces.
const QString kTestEnd = u"10.213.0.1"_s;
const QString kStationEnd = u"10.213.0.2"_s;

} // namespace

QString StationNetwork::isolateThisProcess()
{
    if (::unshare(CLONE_NEWNET) != 0)
        return u"unshare(CLONE_NEWNET): %1 (this test makes network namespaces: run it as root)"_s.arg(
            QString::fromLocal8Bit(std::strerror(errno)));
    if (std::system("ip link set lo up") != 0) // a new namespace's loopback starts down
        return u"ip link set lo up failed (is iproute2 installed?)"_s;
    return {};
}

QString StationNetwork::limitSocketBuffers(int bytes)
{
    // Per namespace since Linux 4.15: minimum, default and maximum of every TCP socket's buffers.
    const QByteArray sizes =
        QByteArray::number(qMin(bytes, 4096)) + ' ' + QByteArray::number(bytes) + ' ' + QByteArray::number(bytes);
    for (const char *path : {"/proc/sys/net/ipv4/tcp_rmem", "/proc/sys/net/ipv4/tcp_wmem"}) {
        QFile file(QString::fromLatin1(path));
        if (!file.open(QIODevice::WriteOnly) || file.write(sizes + '\n') < 0)
            return u"%1: %2"_s.arg(file.fileName(), file.errorString());
    }
    return {};
}

StationNetwork::StationNetwork()
{
    const QString id = QString::number(QCoreApplication::applicationPid());
    m_namespace = u"clinicflow-partition-"_s + id;
    m_testEnd = u"cfp%1s"_s.arg(id); // at most 15 characters: "cfp" + a pid of up to 7 digits + 1
    m_stationEnd = u"cfp%1w"_s.arg(id);
}

StationNetwork::~StationNetwork()
{
    if (!m_created)
        return;
    ip({u"link"_s, u"del"_s, m_testEnd}); // takes its peer along
    ip({u"netns"_s, u"del"_s, m_namespace});
}

bool StationNetwork::create()
{
    m_created = ip({u"netns"_s, u"add"_s, m_namespace});
    const QString ns = m_namespace;
    return m_created &&
           ip({u"link"_s, u"add"_s, m_testEnd, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s, m_stationEnd, u"netns"_s,
               ns}) &&
           ip({u"addr"_s, u"add"_s, kTestEnd + u"/30"_s, u"dev"_s, m_testEnd}) &&
           ip({u"link"_s, u"set"_s, m_testEnd, u"up"_s}) &&
           ip({u"-n"_s, ns, u"addr"_s, u"add"_s, kStationEnd + u"/30"_s, u"dev"_s, m_stationEnd}) &&
           ip({u"-n"_s, ns, u"link"_s, u"set"_s, m_stationEnd, u"up"_s}) &&
           ip({u"-n"_s, ns, u"link"_s, u"set"_s, u"lo"_s, u"up"_s});
}

QString StationNetwork::serverAddress() const
{
    return kTestEnd;
}

QString StationNetwork::stationAddress() const
{
    return kStationEnd;
}

QStringList StationNetwork::inStation() const
{
    return {u"ip"_s, u"netns"_s, u"exec"_s, m_namespace};
}

bool StationNetwork::partition()
{
    return ip({u"route"_s, u"add"_s, u"blackhole"_s, kStationEnd + u"/32"_s}) &&
           ip({u"-n"_s, m_namespace, u"route"_s, u"add"_s, u"blackhole"_s, kTestEnd + u"/32"_s});
}

bool StationNetwork::heal()
{
    return ip({u"route"_s, u"del"_s, u"blackhole"_s, kStationEnd + u"/32"_s}) &&
           ip({u"-n"_s, m_namespace, u"route"_s, u"del"_s, u"blackhole"_s, kTestEnd + u"/32"_s});
}

bool StationNetwork::ip(const QStringList &arguments)
{
    QProcess process;
    process.start(u"ip"_s, arguments);
    if (process.waitForFinished(10000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
        return true;
    m_error = u"ip %1: %2%3"_s.arg(arguments.join(u' '), process.errorString(),
                                   QString::fromLocal8Bit(process.readAllStandardError()).trimmed());
    return false;
}

} // namespace clinicflow::testsupport
