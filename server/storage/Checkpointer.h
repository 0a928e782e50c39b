// Copies the SQLite write-ahead log into the database file on a thread and connection of its own, so that the
// group-commit connection does not checkpoint inside its commits, with every module waiting behind it: a
// checkpoint ends with an fsync of the database file, 2-15 ms on a virtual disk.
//
// Every 50 ms a PASSIVE pass copies the log, blocking no writer and no reader. Copying is not enough: the log only
// rewinds when a writer starts after a complete checkpoint with no reader left in the log, and a writer that keeps
// committing, with readers following its every commit, never meets that by chance (seen: 460 MB of log in 8 s).
// So once the log is long (4,000 pages, 16 MiB), the thread rewinds it: a second pass, which leaves only the
// frames committed meanwhile, then RESTART with this process's writer held off, which copies those and waits for
// the readers. The writer is held off for that last copy, typically 2-4 ms, a few times a second at full load.
// The writer keeps SQLite's own checkpoint at a far higher mark (GroupCommit), for writers in other processes.
// A pass that may start on a log already copied whole holds the writer off too, against SQLite's WAL-reset bug (up to
// 3.51.2; Debian 12 has 3.40.1): such a pass has nothing to copy (Checkpointer.cpp).
#pragma once

#include "Database.h"
#include "common/FailureStreak.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace clinicflow::server {

class Checkpointer
{
    Q_DISABLE_COPY_MOVE(Checkpointer)
public:
    // SQLite only; `interval` between passes, and the log's length in pages that makes a pass rewind it.
    explicit Checkpointer(DatabaseSettings settings, std::chrono::milliseconds interval = std::chrono::milliseconds(50),
                          qint64 rewindFrames = 4000);
    ~Checkpointer();

    domain::Result<bool> start();
    void stop(); // a last checkpoint, then the thread ends

    quint64 checkpoints() const { return m_checkpoints.load(); }
    quint64 rewinds() const { return m_rewinds.load(); }
    // Passes that held this process's writer off, as one may start on a log copied whole (Checkpointer.cpp).
    quint64 guardedPasses() const { return m_guardedPasses.load(); }
    // Whether this process's SQLite has the WAL-reset bug (before 3.51.3), which those passes guard against.
    static bool sqliteHasWalResetBug();

    struct Pass // what a `PRAGMA wal_checkpoint` answered
    {
        bool ok = false;
        bool complete = false; // every frame copied (and, for a rewind, no reader left in the log)
        qint64 logFrames = 0;
        qint64 copied = 0;
        QString error; // why it failed
    };

private:
    void loop();
    void checkpoint();
    void failed(const Pass &pass); // said once, then once a minute; the passes then come less often
    Pass guardedPass(const QString &mode);
    bool mayStartOnACopiedLog();
    std::optional<qint64> dataVersion();

    DatabaseSettings m_settings;
    std::chrono::milliseconds m_interval;
    qint64 m_rewindFrames;
    std::unique_ptr<Database> m_db;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::atomic<quint64> m_checkpoints{0};
    std::atomic<quint64> m_rewinds{0};
    std::atomic<quint64> m_guardedPasses{0};
    common::FailureStreak m_failures; // the thread's own
    struct State
    {
        bool known = false;                  // a pass ran since the start or the last rewind, and answered
        std::optional<qint64> copiedWholeAt; // that pass copied the whole log: the data version just after it
    } m_state;
};

} // namespace clinicflow::server
