// clinicflow_test_commitshim: a failpoint for PostgreSQL, loaded into the server with LD_PRELOAD by crash tests (the
// counterpart of SyncShim, whose syncs of SQLite's write-ahead log a server on PostgreSQL never makes). It stands in
// for the libpq functions Qt's QPSQL driver calls to run statements, follows each connection's transactions in the
// results they return, and ends the process with SIGKILL right after its n-th durable commit has returned: the
// commit is on the database's disk, and nothing the server would do after it happens. Nothing of it is in the product.
//   CLINICFLOW_TEST_KILL_AFTER_COMMIT=<n>   SIGKILL right after the n-th durable commit of this process (unset: never)
//
// A durable commit is what SyncShim counts on SQLite, a commit that waits for the disk:
// - a COMMIT that libpq answers with the tag COMMIT (a failed transaction's COMMIT is answered ROLLBACK) after the
//   transaction changed a row (an INSERT, UPDATE, DELETE or MERGE whose tag counts more than 0 rows);
// - a statement that changed a row outside any transaction (autocommit), once its query string has run. The server
//   sends none today: outside its transactions it only reads, takes session locks (pg_try_advisory_lock), LISTENs and
//   SETs. Counted all the same, so a write added there is a crash point too;
// - on a connection whose synchronous_commit is on. The view relaxes it (SET synchronous_commit = off: its commits
//   return before they reach the disk), as it keeps its own store with synchronous=NORMAL on SQLite, whose syncs
//   SyncShim does not count either. Its commits then also interleave with the group commit's in no fixed order.
// A transaction that only read, or only ran DDL (the schema's version is read under CREATE TABLE IF NOT EXISTS at
// every start), commits without waiting for the disk and is not counted.
//
// Qt 6.4's driver runs a query with PQsendQuery and reads its results with PQgetResult; it PREPAREs, DEALLOCATEs and
// sets a connection up with PQexec, and it commits with PQexec(conn, "COMMIT") in QSqlDatabase::commit() (the server
// sends its own COMMIT as a query). This libpq's PQexec calls its PQsendQuery and PQgetResult through the PLT, so
// they come here too; PQexec is wrapped as well for a libpq that binds them inside itself. The shim needs no libpq
// headers to build (libpq-dev): it declares the few functions and constants it uses (their ABI has not changed since
// PostgreSQL 7.4) and finds libpq, loaded by the driver, when it is first called.
#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <string>
#include <unordered_map>

extern "C" {
struct pg_conn;
struct pg_result;
}

namespace {

using PGconn = pg_conn;
using PGresult = pg_result;

// libpq-fe.h: ExecStatusType and PGTransactionStatusType.
constexpr int kCommandOk = 1; // PGRES_COMMAND_OK
constexpr int kTuplesOk = 2;  // PGRES_TUPLES_OK (an INSERT ... RETURNING)
constexpr int kIdle = 0;      // PQTRANS_IDLE

struct Libpq
{
    PGresult *(*exec)(PGconn *, const char *) = nullptr;
    int (*sendQuery)(PGconn *, const char *) = nullptr;
    PGresult *(*getResult)(PGconn *) = nullptr;
    void (*finish)(PGconn *) = nullptr;
    int (*resultStatus)(const PGresult *) = nullptr;
    char *(*cmdStatus)(PGresult *) = nullptr;
    int (*transactionStatus)(const PGconn *) = nullptr;
};

template<typename F>
void resolve(void *library, const char *name, F &function)
{
    void *symbol = library ? dlsym(library, name) : nullptr;
    if (!symbol)
        symbol = dlsym(RTLD_NEXT, name);
    if (!symbol)
        std::abort(); // called by libpq's user, so libpq is loaded: a missing function is a broken shim
    function = reinterpret_cast<F>(symbol);
}

// libpq as the driver loaded it: not in the global scope when the Qt plugin brought it in, hence by name.
const Libpq &libpq()
{
    static const Libpq pq = [] {
        Libpq l;
        void *library = dlopen("libpq.so.5", RTLD_LAZY | RTLD_NOLOAD);
        resolve(library, "PQexec", l.exec);
        resolve(library, "PQsendQuery", l.sendQuery);
        resolve(library, "PQgetResult", l.getResult);
        resolve(library, "PQfinish", l.finish);
        resolve(library, "PQresultStatus", l.resultStatus);
        resolve(library, "PQcmdStatus", l.cmdStatus);
        resolve(library, "PQtransactionStatus", l.transactionStatus);
        return l;
    }();
    return pq;
}

struct Connection
{
    bool relaxed = false;       // synchronous_commit is off
    bool wrote = false;         // the transaction under way (or the autocommit query) changed a row
    bool autocommit = false;    // the query under way was sent outside a transaction and has begun none
    bool inTransaction = false; // between a BEGIN's result and the end of the transaction
};

struct State
{
    std::mutex mutex;
    std::unordered_map<const PGconn *, Connection> connections;
    int killAfter = 0; // 0: never
    int durable = 0;
};

State &state()
{
    // Never destroyed: a thread may still commit while the process exits.
    static State *s = [] {
        auto *created = new State;
        if (const char *count = std::getenv("CLINICFLOW_TEST_KILL_AFTER_COMMIT"))
            created->killAfter = std::max(0, std::atoi(count));
        return created;
    }();
    return *s;
}

// Whether `sql` sets synchronous_commit, and to a value that does not wait for the local disk (off, false, no, 0).
bool setsSynchronousCommit(const char *sql, bool &relaxed)
{
    std::string text(sql);
    for (char &c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t name = text.find("synchronous_commit");
    if (text.compare(0, 3, "set") != 0 || name == std::string::npos)
        return false;
    std::size_t at = name + std::strlen("synchronous_commit");
    auto skip = [&](const char *characters) {
        while (at < text.size() && std::strchr(characters, text[at]))
            ++at;
    };
    skip(" \t\n");
    if (text.compare(at, 2, "to") == 0)
        at += 2;
    skip(" \t\n=");
    skip("'\"");
    const std::size_t end = text.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789", at);
    const std::string value = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    relaxed = value == "off" || value == "false" || value == "no" || value == "0";
    return true;
}

// Whether a command tag says rows changed: "INSERT 0 3", "UPDATE 1", "DELETE 2", "MERGE 1" (not "UPDATE 0").
bool changedRows(const char *tag)
{
    static const char *const writes[] = {"INSERT ", "UPDATE ", "DELETE ", "MERGE "};
    bool write = false;
    for (const char *prefix : writes)
        write = write || std::strncmp(tag, prefix, std::strlen(prefix)) == 0;
    if (!write)
        return false;
    const char *count = std::strrchr(tag, ' ');
    return count && std::strtoull(count + 1, nullptr, 10) > 0;
}

void durableCommit(State &s, std::unique_lock<std::mutex> &lock)
{
    if (s.killAfter > 0 && ++s.durable == s.killAfter) {
        lock.unlock();
        std::raise(SIGKILL); // the commit is on disk; nothing after it happens
    }
}

void querySent(PGconn *conn, const char *sql)
{
    const bool idle = libpq().transactionStatus(conn) == kIdle;
    State &s = state();
    std::lock_guard lock(s.mutex);
    Connection &c = s.connections[conn];
    c.autocommit = idle;
    if (idle) {
        c.wrote = false;
        c.inTransaction = false;
    }
    if (bool relaxed = false; sql && setsSynchronousCommit(sql, relaxed))
        c.relaxed = relaxed;
}

// One result of the query under way on `conn`, or nullptr at its end.
void resultRead(PGconn *conn, PGresult *result)
{
    State &s = state();
    std::unique_lock lock(s.mutex);
    Connection &c = s.connections[conn];
    if (!result) {
        const bool committed = c.autocommit && c.wrote && !c.relaxed;
        if (libpq().transactionStatus(conn) == kIdle) {
            c.wrote = false;
            c.inTransaction = false;
        }
        c.autocommit = false;
        if (committed)
            durableCommit(s, lock);
        return;
    }
    const int status = libpq().resultStatus(result);
    if (status != kCommandOk && status != kTuplesOk)
        return; // rows of a single-row query, errors, COPY
    const char *tag = libpq().cmdStatus(result);
    if (!tag)
        return;
    if (std::strcmp(tag, "BEGIN") == 0) {
        c.inTransaction = true;
        c.autocommit = false;
        c.wrote = false;
    } else if (std::strcmp(tag, "COMMIT") == 0) {
        const bool committed = c.inTransaction && c.wrote && !c.relaxed;
        c.inTransaction = false;
        c.wrote = false;
        if (committed)
            durableCommit(s, lock);
    } else if (changedRows(tag)) {
        c.wrote = true;
    }
}

// Whether this thread is inside the real PQexec, and whether its results came through PQgetResult below (this
// libpq's PQexec calls PQsendQuery and PQgetResult through the PLT): then PQexec need not look at its last one again.
thread_local int t_execDepth = 0;
thread_local bool t_execResultsSeen = false;

} // namespace

extern "C" {

__attribute__((visibility("default"))) int PQsendQuery(PGconn *conn, const char *query)
{
    querySent(conn, query);
    return libpq().sendQuery(conn, query);
}

__attribute__((visibility("default"))) PGresult *PQgetResult(PGconn *conn)
{
    if (t_execDepth > 0)
        t_execResultsSeen = true;
    PGresult *result = libpq().getResult(conn);
    resultRead(conn, result);
    return result;
}

__attribute__((visibility("default"))) PGresult *PQexec(PGconn *conn, const char *query)
{
    const bool outermost = t_execDepth == 0;
    if (outermost) {
        querySent(conn, query); // the same again when PQexec sends it through PQsendQuery below
        t_execResultsSeen = false;
    }
    ++t_execDepth;
    PGresult *result = libpq().exec(conn, query);
    --t_execDepth;
    if (outermost && !t_execResultsSeen) { // a libpq that keeps its calls inside: one statement, its last result
        resultRead(conn, result);
        resultRead(conn, nullptr);
    }
    return result;
}

__attribute__((visibility("default"))) void PQfinish(PGconn *conn)
{
    {
        State &s = state();
        std::lock_guard lock(s.mutex);
        s.connections.erase(conn); // its address may be a new connection's next
    }
    libpq().finish(conn);
}

} // extern "C"
