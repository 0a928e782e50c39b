// Group commit for every writer in this process (ARCHITECTURE §10: FULL durability kept fast by batching).
// SQLite takes one writer at a time and each durable commit costs an fsync, so a commit per module per batch caps
// the whole server at the disk's fsync rate (about 260/s on a virtual disk). GroupCommit owns the process's one
// write connection on a thread of its own and runs the units of work that modules hand it in shared transactions:
// each unit under a SAVEPOINT of its own, so a failing unit is undone alone and never holds up another module, and
// one fsync makes every unit of the round durable. A module's unit still writes only its own tables.
#pragma once

#include "Database.h"
#include "common/FailureStreak.h"

#include <QSqlQuery>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <thread>
#include <vector>

namespace clinicflow::server {

class GroupCommit
{
    Q_DISABLE_COPY_MOVE(GroupCommit)
public:
    using Unit = std::function<domain::Result<bool>(Database &)>;
    using Call = std::function<void(Database &)>;

    explicit GroupCommit(DatabaseSettings settings);
    ~GroupCommit();

    // Opens the write connection on the committer's thread.
    domain::Result<bool> start();
    // Whether other processes run modules that act on this one's commits (the split deployment): each round that
    // changed something then tells them (ChangeFeed), where the database carries notifications. Before start().
    void tellOtherProcesses(bool tell) { m_tellsOthers = tell; }
    // Runs what is queued, then stops. Units handed in afterwards fail with ServerUnavailable.
    void stop();

    // A module that runs units again and again (a worker) registers once; a round then waits briefly for every
    // registered module that had work in the previous round, so their units share one fsync instead of splitting
    // into rounds of one (a convoy).
    int registerParticipant();
    // The participant has no more work for now (it waits for its doorbell): rounds stop waiting for it.
    void pause(int participant);

    // Runs `unit` in the next shared transaction and blocks until that transaction is durable. Returns the unit's
    // own result; a unit that succeeded still fails if the transaction could not commit. A unit that opens with
    // statements sent through the pipeline (its first reads, on PostgreSQL) says so with `opening`: alone in its
    // round, its BEGIN then travels with them (WriteTransaction::Begin::WithFirstPipelined).
    enum class Opening
    {
        AnyStatement,
        Pipelined
    };
    domain::Result<bool> run(Unit unit, int participant = -1, Opening opening = Opening::AnyStatement);
    // The same without waiting, for a caller that has other work meanwhile (the gateway answering stations):
    // `durable` runs on the committer's thread once the result is set, to wake the caller.
    std::future<domain::Result<bool>> runAsync(Unit unit, std::function<void()> durable,
                                               Opening opening = Opening::AnyStatement);
    // Runs `call` on the committer's thread outside any transaction and waits for it: modules prepare and drop
    // their statements on the write connection this way.
    void call(Call call);

    // Whether a round committed a change within `within`, and none failed for a reason of the database's own in the
    // last 3 s: false as soon as one fails to begin or commit. A writer with no such round for 2 s, idle or not,
    // commits a probe (it updates the write_probe row), so this answers "does the database still take a write?" for
    // readiness, also on a quiet night and with the database's disk full. Failures are said once, then once a minute,
    // and their end once
    // ("the database takes writes again, after ...").
    bool writable(std::chrono::milliseconds within) const;
    // Whether the write connection is gone (a round failed to begin or commit, and the connection no longer answers):
    // the database server went away. Nothing half-done stays behind (the transaction died with the connection); the
    // modules must be started again on a new connection (main.cpp does).
    bool connectionLost() const { return m_lost.load(); }

    // Rounds committed and units run, for metrics.
    quint64 rounds() const { return m_rounds.load(); }
    quint64 units() const { return m_units.load(); }

private:
    struct Job
    {
        int participant = -1;
        Unit unit;
        Call call;
        std::promise<domain::Result<bool>> done;
        std::function<void()> durable;
        Opening opening = Opening::AnyStatement;
    };
    void loop();
    void runRound(std::deque<Job> &jobs);
    void probe();
    void writeSucceeded();
    // A failure of the database's own (Error::retryable; others are a unit's own data): not writable for a while,
    // and `line` (unless empty) said as the first of a streak of failures, then once a minute (FailureStreak).
    void writeFailed(const domain::Error &why, const QString &line);

    DatabaseSettings m_settings;
    std::unique_ptr<Database> m_db;
    // Transaction control, prepared once where the database allows it: a round runs three of these per unit.
    struct Statement
    {
        QSqlQuery query;
        QString sql;
        bool prepared = true;
        bool exec() { return prepared ? query.exec() : query.exec(sql); }
    };
    std::unique_ptr<Statement> m_savepoint;
    std::unique_ptr<Statement> m_release;
    std::unique_ptr<Statement> m_rollbackTo;
    bool m_notifies = false; // every round that changed something tells the other processes (ChangeFeed)
    bool m_tellsOthers = true;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    int m_participants = 0;
    std::vector<int> m_lastRound; // participants whose units ran in the previous round
    bool m_stopping = false;
    bool m_stopped = false;
    std::atomic<quint64> m_rounds{0};
    std::atomic<quint64> m_units{0};
    std::atomic<std::chrono::steady_clock::time_point> m_lastWrite{};
    std::atomic<std::chrono::steady_clock::time_point> m_lastFailure{};
    std::chrono::steady_clock::time_point m_lastProbe; // the committer's thread's own
    common::FailureStreak m_failures;                  // the same
    std::atomic<bool> m_lost{false};
    void checkConnection();
};

} // namespace clinicflow::server
