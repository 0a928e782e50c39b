// The bounded, non-blocking path of the log lines to stdout (see LogWriter.h).
#include "LogWriter.h"

#include "Metrics.h"

#include <QDateTime>
#include <QString>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <poll.h>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace clinicflow::common {

namespace {

constexpr std::size_t kChunk = 4096; // at most PIPE_BUF after POLLOUT: a write to a pipe then never blocks
constexpr int kPollMs = 200;         // how often a writer waiting for stdout looks at its stop flag

struct Writer
{
    std::mutex mutex;
    std::condition_variable wake;    // lines queued, or stop
    std::condition_variable drained; // the queue became empty
    std::deque<QByteArray> lines;
    std::size_t queuedBytes = 0;
    bool writing = false; // a line taken from the queue is being written
    bool stop = false;
    std::thread thread;
    std::atomic<bool> running{false};
    std::atomic<std::uint64_t> dropped{0};
    std::uint64_t droppedReported = 0; // writer thread only
    Counter *droppedCounter = nullptr;
    LogWriterSettings settings;
    int fd = 1;
};

Writer &writer()
{
    static Writer *instance = new Writer; // never destroyed: lines may come from threads ending after main()
    return *instance;
}

// Writes all of `bytes`, waiting for the descriptor when it is full; false when it is closed (EPIPE) or the writer
// is told to stop while waiting.
bool writeAll(Writer &w, const char *data, std::size_t size)
{
    while (size > 0) {
        pollfd p{w.fd, POLLOUT, 0};
        const int ready = ::poll(&p, 1, kPollMs);
        if (ready < 0 && errno != EINTR)
            return false;
        if (ready <= 0) {
            std::lock_guard lock(w.mutex);
            if (w.stop)
                return false;
            continue;
        }
        if (p.revents & (POLLERR | POLLNVAL))
            return false;
        const ssize_t n = ::write(w.fd, data, std::min(size, kChunk));
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return false; // EPIPE (SIGPIPE is ignored by the server), EBADF...
        }
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

void drop(Writer &w, std::uint64_t lines)
{
    w.dropped.fetch_add(lines, std::memory_order_relaxed);
    if (w.droppedCounter)
        w.droppedCounter->inc(lines);
}

void run(Writer &w)
{
    std::unique_lock lock(w.mutex);
    for (;;) {
        w.wake.wait(lock, [&] { return w.stop || !w.lines.empty(); });
        if (w.lines.empty()) {
            w.drained.notify_all();
            if (w.stop)
                return;
            continue;
        }
        QByteArray batch;
        while (!w.lines.empty() && batch.size() < 64 * 1024) {
            batch += w.lines.front();
            w.queuedBytes -= std::size_t(w.lines.front().size());
            w.lines.pop_front();
        }
        w.writing = true;
        const std::uint64_t dropped = w.dropped.load(std::memory_order_relaxed);
        lock.unlock();
        if (dropped > w.droppedReported) {
            // Said once stdout takes lines again, before the lines that follow the gap.
            const QByteArray note =
                u"{\"ts\":\"%1\",\"level\":\"warning\",\"category\":\"clinicflow.app\",\"msg\":\"%2 log line(s) "
                "dropped: stdout was not read fast enough (clinicflow_log_lines_dropped_total)\"}\n"_s
                    .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs))
                    .arg(dropped - w.droppedReported)
                    .toUtf8();
            w.droppedReported = dropped;
            (void)writeAll(w, note.constData(), std::size_t(note.size()));
        }
        const bool written = writeAll(w, batch.constData(), std::size_t(batch.size()));
        lock.lock();
        w.writing = false;
        if (!written)
            drop(w, std::uint64_t(std::count(batch.cbegin(), batch.cend(), '\n')));
        if (w.lines.empty())
            w.drained.notify_all();
        if (w.stop && !written) {
            // Told to stop while stdout takes nothing: what is left is dropped, not waited for.
            drop(w, w.lines.size());
            w.lines.clear();
            w.queuedBytes = 0;
            w.drained.notify_all();
            return;
        }
    }
}

} // namespace

void startLogWriter(int fd, LogWriterSettings settings)
{
    Writer &w = writer();
    std::lock_guard lock(w.mutex);
    if (w.running)
        return;
    w.fd = fd;
    w.settings = settings;
    w.stop = false;
    w.droppedCounter = &Metrics::global().counter(u"clinicflow_log_lines_dropped_total"_s,
                                                  u"Log lines dropped because stdout was not read fast enough"_s);
    w.thread = std::thread([&w] { run(w); });
    w.running = true;
}

bool writeLogLine(const QByteArray &line)
{
    Writer &w = writer();
    if (!w.running.load(std::memory_order_acquire)) {
        Writer &sync = w;
        return writeAll(sync, line.constData(), std::size_t(line.size()));
    }
    {
        std::lock_guard lock(w.mutex);
        if (w.queuedBytes + std::size_t(line.size()) > w.settings.maxQueuedBytes) {
            drop(w, 1);
            return false;
        }
        w.lines.push_back(line);
        w.queuedBytes += std::size_t(line.size());
    }
    w.wake.notify_one();
    return true;
}

void flushLogWriter(std::chrono::milliseconds timeout)
{
    Writer &w = writer();
    if (!w.running)
        return;
    std::unique_lock lock(w.mutex);
    w.drained.wait_for(lock, timeout, [&] { return w.lines.empty() && !w.writing; });
}

void stopLogWriter(std::chrono::milliseconds timeout)
{
    Writer &w = writer();
    if (!w.running)
        return;
    flushLogWriter(timeout);
    {
        std::lock_guard lock(w.mutex);
        w.stop = true;
    }
    w.wake.notify_all();
    w.thread.join(); // returns within kPollMs: a writer waiting for stdout looks at the flag
    std::lock_guard lock(w.mutex);
    w.running = false;
}

std::uint64_t droppedLogLines()
{
    return writer().dropped.load(std::memory_order_relaxed);
}

} // namespace clinicflow::common
