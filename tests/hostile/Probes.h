// What the hostile suite measures on the server beside the good stations' latency: its resident memory (sampled from
// /proc while an attack runs) and what it stored (read from its SQLite files, which WAL lets a reader open while the
// server writes).
#pragma once

#include <QString>
#include <QStringList>
#include <atomic>
#include <thread>

namespace clinicflow::hostile {

// A field of /proc/<pid>/status in KiB ("VmRSS", "VmHWM"); 0 when the process is gone.
long statusKiB(qint64 pid, const char *field);

// Samples VmRSS every 20 ms on a thread of its own, from construction until peakKiB() stops it.
class MemorySampler
{
public:
    explicit MemorySampler(qint64 pid);
    ~MemorySampler();
    MemorySampler(const MemorySampler &) = delete;
    MemorySampler &operator=(const MemorySampler &) = delete;
    long peakKiB(); // stops sampling

private:
    std::atomic<bool> m_stop{false};
    std::atomic<long> m_peak{0};
    std::thread m_thread;
};

// Empty when everything the server stored is well-formed: no inbox or refusal row with a command id that is not a
// UUID, a payload larger than the largest valid command, or a station that is not a station code; no reception
// whose texts break the shared rules; and no inbox row at all from `silentStations` (stations that only sent what
// the rules refuse). Otherwise a sentence saying what is wrong.
QString checkStored(const QString &dataDir, const QStringList &silentStations);

} // namespace clinicflow::hostile
