// How many open connections each peer host holds, for the gateway's per-address caps: kept as connections open and
// close, so that a flood of connections costs one hash lookup each, not a walk over every open connection.
#pragma once

#include <QHash>
#include <QString>

namespace clinicflow::server {

// "10.0.0.7" of "10.0.0.7:51234" (an IPv6 peer keeps its colons: only the port is cut).
inline QString hostOf(const QString &address)
{
    return address.section(u':', 0, -2);
}

class HostCounts
{
public:
    int count(const QString &host) const { return m_counts.value(host); }
    void add(const QString &host) { ++m_counts[host]; }
    void remove(const QString &host)
    {
        const auto it = m_counts.find(host);
        if (it != m_counts.end() && --it.value() <= 0)
            m_counts.erase(it);
    }
    void clear() { m_counts.clear(); }

private:
    QHash<QString, int> m_counts;
};

} // namespace clinicflow::server
