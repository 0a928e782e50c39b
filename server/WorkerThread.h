// A module that runs on a thread of its own: calls step() whenever its doorbell rings (or every poll interval, for
// work other processes add), until stopped. Its statements live on the process's write connection (GroupCommit),
// where open() and close() run; step() hands its transaction to GroupCommit. A failing step is logged and retried
// after a pause; it never takes another module down.
#pragma once

#include "Bus.h"
#include "common/FailureStreak.h"
#include "storage/GroupCommit.h"

#include <QLoggingCategory>
#include <QString>
#include <atomic>
#include <memory>
#include <thread>

namespace clinicflow::server {

// A logging category as Q_DECLARE_LOGGING_CATEGORY declares it: a function returning the category.
using LogCategory = const QLoggingCategory &(*)();

class WorkerThread
{
    Q_DISABLE_COPY_MOVE(WorkerThread)
public:
    // A worker whose statements live on the process's write connection, committing through GroupCommit.
    WorkerThread(QString name, GroupCommit &commit, Doorbell &doorbell, LogCategory category);
    // A worker with a connection of its own, opened on its thread (the view: it commits without waiting for an
    // fsync, so it keeps its CPU work off the group commit's thread).
    WorkerThread(QString name, DatabaseSettings ownConnection, Doorbell &doorbell, LogCategory category);
    virtual ~WorkerThread();

    const QString &name() const { return m_name; }
    void start();
    // Finishes the batch in progress, then returns; safe to call twice.
    void stop();
    bool isRunning() const { return m_running.load(); }
    // Steps that failed since start, for readiness and metrics.
    quint64 failures() const { return m_failures.load(); }

protected:
    LogCategory log() const { return m_log; }
    // Once woken with nothing left over from its last round, the worker waits this long before the next, so that
    // one round (one transaction) takes what arrives meanwhile. For a worker nobody waits on. Set before start().
    void setGatherTime(std::chrono::milliseconds gather) { m_gather = gather; }

    // Runs a unit of this worker in the next group commit (GroupCommit::run says what `opening` saves).
    domain::Result<bool> runUnit(GroupCommit::Unit unit,
                                 GroupCommit::Opening opening = GroupCommit::Opening::AnyStatement)
    {
        return m_commit->run(std::move(unit), m_participant, opening);
    }
    // Prepares statements on the write connection (GroupCommit's thread) or on the worker's own connection.
    virtual domain::Result<bool> open(Database &db) = 0;
    // Does one batch through commit().run(). Returns true when more work is waiting. Called on the worker thread.
    virtual domain::Result<bool> step() = 0;
    // Drops whatever open() prepared, on the thread that ran open().
    virtual void close() = 0;

private:
    void run();

    QString m_name;
    GroupCommit *m_commit = nullptr;
    DatabaseSettings m_ownConnection;
    int m_participant = -1;
    Doorbell &m_doorbell;
    LogCategory m_log;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_running{false};
    std::atomic<quint64> m_failures{0};
    common::FailureStreak m_streak; // the run thread's own: its lines and its pauses while steps fail
    std::chrono::milliseconds m_gather{0};
};

} // namespace clinicflow::server
