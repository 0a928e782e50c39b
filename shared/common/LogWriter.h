// Where the JSON log lines go (issue #12, "Logging never hurts the server"): a bounded queue in front of stdout,
// emptied by a thread of its own. A thread that logs never waits for stdout: when nobody reads it (a full pipe, a
// stalled log shipper) or it is closed, lines beyond the queue's bound are dropped and counted in
// clinicflow_log_lines_dropped_total, and the writer says how many it dropped once stdout takes lines again.
#pragma once

#include <QByteArray>
#include <chrono>
#include <cstdint>

namespace clinicflow::common {

struct LogWriterSettings
{
    std::size_t maxQueuedBytes = std::size_t(4) << 20; // lines waiting for stdout; beyond, new lines are dropped
};

// Starts the writer thread (once; later calls change nothing). Lines written before it go out synchronously.
void startLogWriter(int fd, LogWriterSettings settings = {});
// Queues one line; false when it was dropped (the queue is full). Without a running writer, writes it at once.
bool writeLogLine(const QByteArray &line);
// Waits up to `timeout` for the queued lines to be written (before exit, and before a fatal line).
void flushLogWriter(std::chrono::milliseconds timeout);
// Flushes for up to `timeout`, then stops the thread; lines after it are written synchronously again.
void stopLogWriter(std::chrono::milliseconds timeout);
// Lines dropped since the process started.
std::uint64_t droppedLogLines();

} // namespace clinicflow::common
