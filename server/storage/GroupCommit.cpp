#include "GroupCommit.h"

#include "ChangeFeed.h"
#include "PgPipeline.h"
#include "common/Logging.h"
#include "common/Metrics.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <pthread.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcStorage;

namespace clinicflow::server {
namespace {
// How long a round waits for busy modules' next units: far below an fsync, long enough for a thread to come back.
constexpr std::chrono::microseconds kGatherWindow{1500};
// An idle writer proves this often that the database still takes a write (readiness).
constexpr std::chrono::seconds kProbeEvery{2};
// Writable again only once no write failed for this long: a database whose disk is full still takes the odd commit
// that fits in its log's room, and readiness must not flap with each.
constexpr std::chrono::seconds kSteadyAfterFailure{3};

// clinicflow_commit_round_seconds: each round from its BEGIN to its committed answer. Its count is the rounds, and
// its sum the time the process's writer was busy: a rate of the sum near 1 is a writer that runs its rounds back to
// back, whose modules' commands wait for the round under way before their own (docs/performance.md).
common::Histogram &roundSeconds()
{
    static common::Histogram &histogram = common::Metrics::global().histogram(
        u"clinicflow_commit_round_seconds"_s,
        u"Seconds each round of the process's writer took, from its BEGIN to its commit"_s, {},
        {0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1});
    return histogram;
}
} // namespace

GroupCommit::GroupCommit(DatabaseSettings settings)
    : m_settings(std::move(settings))
{
}

GroupCommit::~GroupCommit()
{
    stop();
}

Result<bool> GroupCommit::start()
{
    std::promise<Result<bool>> opened;
    auto ready = opened.get_future();
    m_thread = std::thread([this, &opened] {
        pthread_setname_np(pthread_self(), "cf-commit");
        auto db = Database::open(m_settings, u"group-commit"_s);
        if (!db) {
            opened.set_value(db.error());
            return;
        }
        m_db = std::move(db).value();
        if (auto configured = m_db->dialect().configureWriter(*m_db); !configured) {
            opened.set_value(configured.error());
            return;
        }
        m_notifies = m_tellsOthers && ChangeFeed::available(m_settings);
        // PostgreSQL prepares plain statements only: there each runs as text.
        const bool prepare = m_db->dialect().preparesTransactionControl();
        const auto prepared = [this, prepare](const QString &sql) {
            auto q = std::make_unique<Statement>(Statement{QSqlQuery(m_db->connection()), sql, prepare});
            if (prepare)
                q->query.prepare(sql);
            return q;
        };
        m_savepoint = prepared(u"SAVEPOINT unit"_s);
        m_release = prepared(u"RELEASE SAVEPOINT unit"_s);
        m_rollbackTo = prepared(u"ROLLBACK TO SAVEPOINT unit"_s);
        opened.set_value(true);
        loop();
        m_savepoint.reset();
        m_release.reset();
        m_rollbackTo.reset();
        m_db.reset();
    });
    auto result = ready.get();
    if (!result) {
        m_thread.join();
        std::lock_guard lock(m_mutex);
        m_stopped = true;
    }
    return result;
}

void GroupCommit::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

int GroupCommit::registerParticipant()
{
    std::lock_guard lock(m_mutex);
    return m_participants++;
}

void GroupCommit::pause(int participant)
{
    {
        std::lock_guard lock(m_mutex);
        m_lastRound.erase(std::remove(m_lastRound.begin(), m_lastRound.end(), participant), m_lastRound.end());
    }
    m_wake.notify_all();
}

Result<bool> GroupCommit::run(Unit unit, int participant, Opening opening)
{
    Job job{participant, std::move(unit), {}, {}, {}, opening};
    auto done = job.done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopped || !m_thread.joinable())
            return makeError(ErrorCode::ServerUnavailable, u"the database writer has stopped"_s);
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
    return done.get();
}

std::future<Result<bool>> GroupCommit::runAsync(Unit unit, std::function<void()> durable, Opening opening)
{
    Job job{-1, std::move(unit), {}, {}, std::move(durable), opening};
    auto done = job.done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopped || !m_thread.joinable()) {
            job.done.set_value(makeError(ErrorCode::ServerUnavailable, u"the database writer has stopped"_s));
            return done;
        }
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
    return done;
}

void GroupCommit::call(Call call)
{
    Job job{-1, {}, std::move(call), {}, {}};
    auto done = job.done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopped || !m_thread.joinable())
            return;
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
    done.wait();
}

void GroupCommit::loop()
{
    probe(); // readiness from the start
    for (;;) {
        std::deque<Job> jobs;
        {
            std::unique_lock lock(m_mutex);
            if (!m_wake.wait_for(lock, kProbeEvery, [this] { return m_stopping || !m_queue.empty(); })) {
                lock.unlock();
                probe();
                continue;
            }
            if (m_queue.empty()) {
                m_stopped = true;
                return;
            }
            // Give the modules that were busy last round a moment to hand in their next unit.
            const auto allIn = [this] {
                return std::all_of(m_lastRound.begin(), m_lastRound.end(), [this](int p) {
                    return std::any_of(m_queue.begin(), m_queue.end(),
                                       [p](const Job &j) { return j.participant == p; });
                });
            };
            m_wake.wait_for(lock, kGatherWindow, [&] { return m_stopping || allIn(); });
            jobs.swap(m_queue);
            m_lastRound.clear();
            for (const Job &j : jobs) {
                if (j.participant >= 0 && j.unit)
                    m_lastRound.push_back(j.participant);
            }
        }
        // Calls (statement set-up and tear-down) run first, outside the transaction.
        std::deque<Job> units;
        for (Job &job : jobs) {
            if (job.call) {
                job.call(*m_db);
                job.done.set_value(true);
            } else {
                units.push_back(std::move(job));
            }
        }
        // Units handed in from outside the workers (the gateway storing commands) run first, so a worker's unit
        // in the same round already sees those commands and can apply them before the one fsync.
        std::stable_partition(units.begin(), units.end(), [](const Job &j) { return j.participant < 0; });
        if (!units.empty())
            runRound(units);
        // Rounds that wrote nothing prove nothing, and failed ones disprove: a writer kept busy by either still
        // proves every 2 s whether the database takes a write.
        if (!writable(kProbeEvery) && std::chrono::steady_clock::now() - m_lastProbe >= kProbeEvery)
            probe();
    }
}

// A committed write of one row: it proves the connection, the write lock, the permissions, a writable database (not
// a read-only one, not a standby) and room on its disk, for one fsync every 2 s of a quiet writer. A write that is
// rolled back proves no room: SQLite only writes at the commit, and with its disk full it still took those. A round
// that committed a change counts as well, and a failing one disproves (runRound).
void GroupCommit::probe()
{
    m_lastProbe = std::chrono::steady_clock::now();
    WriteTransaction tx(*m_db);
    domain::Result<bool> wrote = tx.isActive() ? Result<bool>(true) : Result<bool>(tx.beginError());
    if (wrote) {
        QSqlQuery q(m_db->connection());
        q.prepare(u"UPDATE write_probe SET at_ms = ? WHERE id = 1"_s);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!q.exec())
            wrote = sqlError(q, "updating the write probe");
        else if (q.numRowsAffected() != 1)
            wrote = makeError(ErrorCode::InternalError, u"the write probe's row is missing"_s);
    }
    if (wrote)
        wrote = tx.commit();
    else
        tx.rollback();
    if (wrote) {
        writeSucceeded();
    } else {
        Error why = wrote.error();
        why.retryable = true; // whatever failed, the probe's one row did not go in
        writeFailed(why, u"the database does not take a write: "_s + why.message());
        checkConnection();
    }
}

void GroupCommit::writeSucceeded()
{
    m_lastWrite = std::chrono::steady_clock::now();
    if (const auto ended = m_failures.succeeded())
        qCInfo(lcStorage).noquote() << "the database takes writes again," << ended->text();
}

void GroupCommit::writeFailed(const Error &why, const QString &line)
{
    if (!why.retryable)
        return; // a unit's own data (a rule it breaks) says nothing of the database
    m_lastWrite = std::chrono::steady_clock::time_point{};
    m_lastFailure = std::chrono::steady_clock::now();
    if (const auto report = m_failures.failed(line.isEmpty() ? QString() : why.message()); report.write)
        qCCritical(lcStorage).noquote() << line + report.suffix();
}

void GroupCommit::checkConnection()
{
    QSqlQuery ping(m_db->connection());
    if (ping.exec(u"SELECT 1"_s))
        return;
    if (!m_lost.exchange(true))
        qCCritical(lcStorage).noquote() << "the database connection is lost:"
                                        << (ping.lastError().text().isEmpty() ? u"it no longer answers"_s
                                                                              : ping.lastError().text());
}

bool GroupCommit::writable(std::chrono::milliseconds within) const
{
    const auto now = std::chrono::steady_clock::now();
    const auto last = m_lastWrite.load();
    const auto failed = m_lastFailure.load();
    return last.time_since_epoch().count() > 0 && now - last <= within &&
           (failed.time_since_epoch().count() == 0 || now - failed >= kSteadyAfterFailure);
}

void GroupCommit::runRound(std::deque<Job> &jobs)
{
    // Timed before its units hear the answer: once run() returns, an operator's /metrics counts the round.
    const auto started = std::chrono::steady_clock::now();
    bool timed = false;
    const auto timeRound = [&started, &timed] {
        if (!std::exchange(timed, true))
            roundSeconds().observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
    std::vector<Result<bool>> results;
    results.reserve(jobs.size());
    // A unit alone in its round needs no savepoint of its own: if it fails, the round is rolled back (two round trips
    // fewer, which a module in a process of its own saves on nearly every round).
    const bool alone = jobs.size() == 1;
    // Where the first unit opens with statements sent through the pipeline, the round's BEGIN waits for them, and so
    // does that unit's savepoint in a shared round: one message where there were three.
    const bool beginWithFirst = m_db->pipeline() && jobs.front().opening == Opening::Pipelined;
    WriteTransaction tx(*m_db,
                        beginWithFirst ? WriteTransaction::Begin::WithFirstPipelined : WriteTransaction::Begin::Now);
    const auto failRound = [this, &jobs, &timeRound](std::size_t from, const Error &why) {
        writeFailed(why, {}); // its units' callers say why
        checkConnection();
        timeRound();
        for (std::size_t i = from; i < jobs.size(); ++i) {
            jobs[i].done.set_value(why);
            if (jobs[i].durable)
                jobs[i].durable();
        }
    };
    if (!tx.isActive()) {
        failRound(0, tx.beginError());
        return;
    }
    // On PostgreSQL a unit's release travels with what it left waiting, and with the next unit's savepoint: one
    // message between two units instead of three round trips (the gateway's rounds of commands and audit entries).
    // The savepoint is made before the next unit starts, so whatever that unit runs through the driver is inside it.
    PgPipeline *shared = alone ? nullptr : m_db->pipeline();
    bool savepointMade = false; // the next unit's, sent with the previous unit's release
    if (shared && beginWithFirst) {
        shared->queue(m_savepoint->sql, "the first unit's savepoint");
        savepointMade = true;
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        Job &job = jobs[i];
        Result<bool> result = alone || std::exchange(savepointMade, false) || m_savepoint->exec()
                                  ? Result<bool>(true)
                                  : sqlError(m_savepoint->query, "savepoint");
        bool released = false;
        if (result) {
            try {
                result = job.unit(*m_db);
            } catch (const std::exception &e) {
                result = makeError(ErrorCode::InternalError, QString::fromLocal8Bit(e.what()));
            }
            if (result && shared) {
                shared->queue(m_release->sql, "releasing a unit's savepoint");
                const bool last = i + 1 == jobs.size();
                if (!last)
                    shared->queue(m_savepoint->sql, "the next unit's savepoint");
                // What the unit left waiting is its own, answered before its savepoint goes. When it fails, neither
                // the release nor the next savepoint runs (the message stops at the error), and both are made below.
                result = m_db->sendQueued();
                released = result.ok();
                savepointMade = released && !last;
            } else if (result && !alone) {
                result = m_db->sendQueued();
            }
            if (alone) {
                results.push_back(std::move(result));
                break;
            }
            if (!result) {
                m_db->dropDeferred(); // what it left waiting is undone with it
                if (i == 0 && beginWithFirst && !shared->inTransaction()) {
                    // The round's BEGIN went unsent with the first unit's statements (it failed before sending any),
                    // or failed: nothing of the unit ran. The others still need their transaction.
                    if (auto begun = execSql(m_db->connection(), m_db->dialect().beginWrite()); !begun) {
                        tx.rollback();
                        m_db->takeChanges(); // nothing was done: nobody to tell
                        timeRound();
                        jobs.front().done.set_value(std::move(result));
                        if (jobs.front().durable)
                            jobs.front().durable();
                        failRound(1, begun.error());
                        return;
                    }
                    results.push_back(std::move(result));
                    continue;
                }
                if (!m_db->dialect().transactionOpen(m_db->connection())) {
                    // The database ended the whole transaction at this unit's failure (SQLite does on an I/O error
                    // or a full disk): what every unit did so far is undone, and the units after it must not run
                    // outside a transaction, a statement committed at a time. All hear that the round failed.
                    m_db->takeChanges();
                    failRound(0, result.error());
                    return;
                }
                if (!m_rollbackTo->exec())
                    qCCritical(lcStorage).noquote()
                        << "cannot undo a failed unit:" << sqlError(m_rollbackTo->query, "rollback").message();
            }
            if (!released && !m_release->exec() && result)
                result = sqlError(m_release->query, "release");
        }
        results.push_back(std::move(result));
    }
    if (alone && !results.front()) {
        tx.rollback();
        m_db->takeChanges();                      // undone: nobody to tell
        writeFailed(results.front().error(), {}); // its caller says why
        checkConnection();                        // a unit fails on a database error: is the database still there?
        ++m_rounds;
        ++m_units;
        timeRound();
        jobs.front().done.set_value(std::move(results.front()));
        if (jobs.front().durable)
            jobs.front().durable();
        return;
    }
    // Other processes on the database hear of this round once it committed, and what it changed (ChangeFeed.h); on
    // PostgreSQL the NOTIFY follows the COMMIT in the same message (WriteTransaction::commit). Units undone by their
    // savepoint may have noted changes too: a needless wake-up, never a missed one.
    const quint8 changes = m_db->takeChanges();
    const QString notify =
        m_notifies && changes != 0 ? ChangeFeed::notifyStatement(m_db->dialect(), changes) : QString();
    auto committed = tx.commit(notify);
    if (!committed) {
        Error why = committed.error();
        why.retryable = true; // nothing of the round was kept, whatever the reason
        writeFailed(why, u"group commit of %1 units failed: %2"_s.arg(jobs.size()).arg(why.message()));
        checkConnection();
    } else if (changes != 0) {
        // The database took a write: the round committed a change (a unit fails only on a database error; a
        // rejected command is recorded, not failed). A round that changed nothing proves nothing: SQLite commits
        // one even with its disk full.
        writeSucceeded();
    }
    ++m_rounds;
    m_units += jobs.size();
    timeRound();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        jobs[i].done.set_value(committed ? std::move(results[i]) : Result<bool>(committed.error()));
        if (jobs[i].durable)
            jobs[i].durable();
    }
}

} // namespace clinicflow::server
