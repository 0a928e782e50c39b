// Copies the SQLite write-ahead log into the database file ahead of the writer, on a thread and connection of its
// own. SQLite checkpoints inside a commit on the group-commit connection every 1,000 pages, and every module waits
// behind it; with this thread copying the log PASSIVE (never blocking a writer or a reader) every 50 ms, that
// checkpoint finds little left to copy. The writer must keep its own checkpoint: only a writer that starts after
// a complete checkpoint rewinds the log, and without it the log grows without bound (seen: 460 MB in 8 s).
#pragma once

#include "Database.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace clinicflow::server {

class Checkpointer
{
    Q_DISABLE_COPY_MOVE(Checkpointer)
public:
    // SQLite only; `interval` between checkpoints while the log grows.
    explicit Checkpointer(DatabaseSettings settings,
                          std::chrono::milliseconds interval = std::chrono::milliseconds(50));
    ~Checkpointer();

    domain::Result<bool> start();
    void stop(); // a last checkpoint, then the thread ends

    quint64 checkpoints() const { return m_checkpoints.load(); }

private:
    void loop();
    void checkpoint();

    DatabaseSettings m_settings;
    std::chrono::milliseconds m_interval;
    std::unique_ptr<Database> m_db;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::atomic<quint64> m_checkpoints{0};
};

} // namespace clinicflow::server
