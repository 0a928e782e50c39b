// Moves the SQLite write-ahead log into the database file on a thread and connection of its own. Left to SQLite,
// the checkpoint runs inside a commit on the group-commit connection every 1,000 pages: it reads the log back and
// writes it into the file, and every module waits behind it. Here the writer only appends to the log
// (wal_autocheckpoint=0 on its connection) and this thread checkpoints PASSIVE, which never blocks a writer or a
// reader; a hot page rewritten by many commits between two checkpoints is copied once.
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
                          std::chrono::milliseconds interval = std::chrono::milliseconds(250));
    ~Checkpointer();

    domain::Result<bool> start();
    void stop(); // a last checkpoint, then the thread ends

    quint64 checkpoints() const { return m_checkpoints.load(); }

private:
    void loop();
    bool checkpoint(); // false when the log could not be read

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
