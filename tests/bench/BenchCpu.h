// Where a phase's CPU went, for the server benchmark: on this 2-core machine the server's processes, the database
// and the load generator share the cores, and a latency tail follows from how busy they are, not only from what the
// server does per command.
#pragma once

#include <QtGlobal>

namespace clinicflow::bench {

// CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; 0 when it is gone.
double processCpuSeconds(qint64 pid);
// The same for a process and its children: those alive now, and those it has reaped (a PostgreSQL postmaster's
// backends, which come and go with their connections).
double processTreeCpuSeconds(qint64 pid);
// This process's CPU seconds, all its threads (the load generator's stations).
double ownCpuSeconds();

// The whole machine's CPU time so far, from /proc/stat, in seconds summed over its cores.
struct MachineCpu
{
    double busy = 0;  // user, nice, system, interrupts, stolen
    double total = 0; // busy, idle and waiting for I/O
};
MachineCpu machineCpu();

} // namespace clinicflow::bench
