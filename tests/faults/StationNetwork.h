// A workstation on a network of its own, for tests of a real partition (issue #14, fault test 7): a named network
// namespace for the station (`ip netns`), joined to the test's namespace by a veth pair, with private addresses on
// that pair only. The test first moves itself into a namespace of its own (isolateThisProcess()), so nothing of
// the host's network is touched: no address, route or interface outside the namespaces the test made. A partition
// is a blackhole route on each side: packets vanish silently in both directions, as when a switch between the desk
// and the server room dies; no reset, no link change tells either end. Needs root (CAP_NET_ADMIN) and iproute2.
#pragma once

#include <QString>
#include <QStringList>

namespace clinicflow::testsupport {

class StationNetwork
{
    Q_DISABLE_COPY_MOVE(StationNetwork)
public:
    // Moves the calling process into a new network namespace with only its loopback, up. Call first in main(),
    // before any thread starts (a namespace is per thread; threads and children inherit the creator's). Empty on
    // success, else why not.
    static QString isolateThisProcess();
    // After isolateThisProcess(): every TCP socket of the namespace gets buffers of at most `bytes` each way, so
    // that what a stalled reader leaves in the kernel is small and known. Empty on success, else why not.
    static QString limitSocketBuffers(int bytes);

    StationNetwork();
    ~StationNetwork(); // deletes the namespace and the pair

    // Makes the namespace, the pair and its addresses. False with errorString() otherwise.
    bool create();
    QString errorString() const { return m_error; }

    QString serverAddress() const; // the test's end of the pair
    QString stationAddress() const;
    // What runs a program inside the station's namespace: "ip netns exec <name>" (StationProcess's launcher).
    QStringList inStation() const;

    bool partition(); // both directions dropped, silently
    bool heal();

private:
    bool ip(const QStringList &arguments);

    QString m_namespace;
    QString m_testEnd;
    QString m_stationEnd;
    bool m_created = false;
    QString m_error;
};

} // namespace clinicflow::testsupport
