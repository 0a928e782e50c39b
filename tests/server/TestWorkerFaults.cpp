// A context worker whose writes fail for a reason of the database's own (an I/O error of its disk, the disk full, a
// lock, an operator's cancel) keeps the command and tries again later, however long that takes: only a command whose
// own data breaks the database's rules is set aside as rejected, so that it cannot hold up the commands behind it.
// In process, the reception worker over a real group commit, with a fault put into its inserts of the receptions
// table by a trigger: on SQLite a temporary one on the writer's connection, calling a function that fails with the
// SQLite code chosen; on PostgreSQL (TestWorkerFaults.postgresql) one raising the SQLSTATE chosen, which the worker
// meets when its deferred writes are sent with the unit's end. And which statement errors count as the system's,
// told from real errors of each database.
#include "TempDatabase.h"
#include "TestCommands.h"
#include "contexts/ContextWorker.h"
#include "storage/Dialect.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <atomic>
#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

namespace {

// The faults a test puts in, as each database reports them.
enum class Fault
{
    None,
    IoError,    // SQLITE_IOERR; PostgreSQL io_error (58030)
    DiskFull,   // SQLITE_FULL; PostgreSQL disk_full (53100)
    BreaksARule // SQLITE_CONSTRAINT; PostgreSQL check_violation (23514)
};

// SQLite: the fault's code, and the ticket whose reception it applies to (empty: every one).
std::atomic<int> g_sqliteCode{SQLITE_OK};
QString g_faultTicket;

void failingInsert(sqlite3_context *context, int, sqlite3_value **values)
{
    const int code = g_sqliteCode.load();
    const auto *ticket = reinterpret_cast<const char *>(sqlite3_value_text(values[0]));
    if (code == SQLITE_OK || (!g_faultTicket.isEmpty() && g_faultTicket != QString::fromUtf8(ticket))) {
        sqlite3_result_null(context);
        return;
    }
    sqlite3_result_error(context, "injected by the test", -1);
    sqlite3_result_error_code(context, code);
}

IntakeRequest requestFor(const Command &command, const QString &station)
{
    return intakeRequestFor(newId(), station, command);
}

} // namespace

class TestWorkerFaults : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void aFaultOfTheDatabasesOwnRejectsNothing();
    void aCommandBreakingARuleIsSetAsideAlone();
    void theSystemsFaultsAreToldFromTheStatements();

private:
    // The reception worker on a group commit of its own, with the fault's trigger in place.
    bool startWorker();
    bool setFault(Fault fault, const QString &ticket = {});
    // Stores the commands in the reception's inbox, as the gateway does; an empty list when it cannot.
    std::vector<QUuid> store(const std::vector<IntakeRequest> &requests);
    std::optional<CommandRecord> record(const QUuid &id);
    // Whether every one of them (any, when `all` is false) has an outcome.
    bool resolved(const std::vector<QUuid> &ids, bool all = true);

    std::unique_ptr<TempDatabase> m_data;
    std::unique_ptr<GroupCommit> m_commit;
    std::unique_ptr<Bus> m_bus;
    std::unique_ptr<ContextWorker> m_worker;
};

void TestWorkerFaults::init()
{
    g_sqliteCode = SQLITE_OK;
    g_faultTicket.clear();
    m_data = std::make_unique<TempDatabase>();
    QVERIFY2(m_data->open(), qPrintable(m_data->error()));
}

void TestWorkerFaults::cleanup()
{
    m_worker.reset();
    m_commit.reset();
    m_bus.reset();
    m_data.reset();
}

bool TestWorkerFaults::startWorker()
{
    m_commit = std::make_unique<GroupCommit>(m_data->settings());
    m_commit->tellOtherProcesses(false);
    if (auto started = m_commit->start(); !started) {
        qWarning().noquote() << started.error().message();
        return false;
    }
    bool armed = false;
    if (m_data->isPostgres()) {
        armed = m_data->exec(u"CREATE TABLE cf_fault (code TEXT NOT NULL, ticket TEXT)"_s) &&
                m_data->exec(uR"(CREATE FUNCTION cf_fault() RETURNS trigger AS $$
                    DECLARE f RECORD;
                    BEGIN
                        SELECT * INTO f FROM cf_fault LIMIT 1;
                        IF FOUND AND (f.ticket IS NULL OR f.ticket = NEW.ticket) THEN
                            RAISE EXCEPTION 'injected by the test' USING ERRCODE = f.code;
                        END IF;
                        RETURN NEW;
                    END $$ LANGUAGE plpgsql)"_s) &&
                m_data->exec(u"CREATE TRIGGER cf_fault BEFORE INSERT ON receptions FOR EACH ROW "
                             "EXECUTE FUNCTION cf_fault()"_s);
    } else {
        m_commit->call([&armed](Database &db) {
            const QVariant handle = db.connection().driver()->handle();
            sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.data());
            armed = sqlite3_create_function_v2(connection, "cf_fault", 1, SQLITE_UTF8, nullptr, failingInsert, nullptr,
                                               nullptr, nullptr) == SQLITE_OK &&
                    execSql(db.connection(), u"CREATE TEMP TRIGGER cf_fault BEFORE INSERT ON main.receptions "
                                             "BEGIN SELECT cf_fault(NEW.ticket); END"_s)
                        .ok();
        });
    }
    if (!armed)
        return false;
    m_bus = std::make_unique<Bus>();
    m_worker = std::make_unique<ContextWorker>(BoundedContext::Reception, *m_commit, Catalogue::builtIn(), *m_bus);
    m_worker->start();
    return true;
}

bool TestWorkerFaults::setFault(Fault fault, const QString &ticket)
{
    if (m_data->isPostgres()) {
        const char *code = fault == Fault::IoError ? "58030" : fault == Fault::DiskFull ? "53100" : "23514";
        return m_data->exec(u"DELETE FROM cf_fault"_s) &&
               (fault == Fault::None ||
                m_data->exec(u"INSERT INTO cf_fault (code, ticket) VALUES ('%1', %2)"_s.arg(
                    QLatin1StringView(code), ticket.isEmpty() ? u"NULL"_s : u"'"_s + ticket + u"'"_s)));
    }
    g_faultTicket = ticket;
    g_sqliteCode = fault == Fault::IoError    ? SQLITE_IOERR
                   : fault == Fault::DiskFull ? SQLITE_FULL
                   : fault == Fault::None     ? SQLITE_OK
                                              : SQLITE_CONSTRAINT;
    return true;
}

std::vector<QUuid> TestWorkerFaults::store(const std::vector<IntakeRequest> &requests)
{
    // As a station's outbox does: sent again when not stored, as happens when the round it shares with the worker's
    // failing unit fails whole (SQLite ends the transaction at an I/O error or a full disk).
    Result<bool> stored = false;
    for (int attempt = 0; attempt < 50; ++attempt) {
        stored = m_commit->run([&](Database &db) -> Result<bool> {
            CommandIntake intake(db);
            auto results = intake.accept(requests);
            if (!results)
                return results.error();
            return true;
        });
        if (stored)
            break;
        QTest::qWait(50);
    }
    if (!stored) {
        qWarning().noquote() << stored.error().message();
        return {};
    }
    ContextWorker::doorbellOf(*m_bus, BoundedContext::Reception).ring();
    std::vector<QUuid> ids;
    for (const IntakeRequest &r : requests)
        ids.push_back(r.commandId);
    return ids;
}

std::optional<CommandRecord> TestWorkerFaults::record(const QUuid &id)
{
    Inbox inbox(m_data->db(), BoundedContext::Reception);
    auto found = inbox.find(id);
    return found ? found.value() : std::nullopt;
}

bool TestWorkerFaults::resolved(const std::vector<QUuid> &ids, bool all)
{
    const auto hasOutcome = [this](const QUuid &id) {
        const auto r = record(id);
        return r && r->state != CommandState::Pending;
    };
    return all ? std::all_of(ids.begin(), ids.end(), hasOutcome) : std::any_of(ids.begin(), ids.end(), hasOutcome);
}

void TestWorkerFaults::aFaultOfTheDatabasesOwnRejectsNothing()
{
    QVERIFY(startWorker());
    // The disk fails under every reception the worker writes, a command after another: none may be rejected.
    for (const Fault fault : {Fault::IoError, Fault::DiskFull}) {
        QVERIFY(setFault(fault));
        const quint64 failuresBefore = m_worker->failures();
        const auto ids =
            store({requestFor(registerVisit(u"IM"_s), u"A"_s), requestFor(registerVisit(u"GS"_s), u"A"_s)});
        QCOMPARE(ids.size(), std::size_t(2));
        // Tried, and tried again (the worker waits 0.5 s, then 1 s): still pending.
        // Whichever comes first; both are checked below.
        static_cast<void>(
            QTest::qWaitFor([&] { return m_worker->failures() >= failuresBefore + 3 || resolved(ids, false); }, 10000));
        for (const QUuid &id : ids) {
            const auto r = record(id);
            QVERIFY(r);
            QVERIFY2(r->state == CommandState::Pending,
                     qPrintable(u"fault %1: the command was %2 while the database failed: %3"_s.arg(int(fault))
                                    .arg(r->state == CommandState::Rejected ? u"rejected"_s : u"applied"_s,
                                         r->rejection.message())));
        }
        QVERIFY(m_worker->failures() >= failuresBefore + 3);
        // The disk is mended: both are applied, once, without anyone's help.
        QVERIFY(setFault(Fault::None));
        QVERIFY(QTest::qWaitFor([&] { return resolved(ids); }, 15000));
        for (const QUuid &id : ids) {
            const auto r = record(id);
            QVERIFY2(r->state == CommandState::Applied, qPrintable(r->rejection.message()));
            QCOMPARE(r->lastSequence, r->firstSequence); // one ReceptionRegistered each
        }
    }
}

void TestWorkerFaults::aCommandBreakingARuleIsSetAsideAlone()
{
    QVERIFY(startWorker());
    const RegisterVisit bad = registerVisit(u"IM"_s);
    QVERIFY(setFault(Fault::BreaksARule, bad.ticket.toString()));
    const auto ids = store({requestFor(registerVisit(u"IM"_s), u"A"_s), requestFor(bad, u"A"_s),
                            requestFor(registerVisit(u"GS"_s), u"A"_s)});
    QCOMPARE(ids.size(), std::size_t(3));
    QVERIFY(QTest::qWaitFor([&] { return resolved(ids); }, 15000));
    QCOMPARE(record(ids[0])->state, CommandState::Applied);
    QCOMPARE(record(ids[1])->state, CommandState::Rejected);
    QCOMPARE(record(ids[1])->rejection.code, ErrorCode::InternalError);
    QCOMPARE(record(ids[2])->state, CommandState::Applied);
}

void TestWorkerFaults::theSystemsFaultsAreToldFromTheStatements()
{
    QVERIFY(m_data->exec(u"CREATE TABLE cf_rules (id INTEGER PRIMARY KEY, n INTEGER NOT NULL CHECK (n > 0))"_s));
    QSqlQuery q(m_data->db().connection());
    // The statement's own data: a rule it breaks, twice over.
    QVERIFY(!q.exec(u"INSERT INTO cf_rules (id, n) VALUES (1, 0)"_s));
    QVERIFY2(!Dialect::isSystemFault(q.lastError()), qPrintable(q.lastError().nativeErrorCode()));
    QVERIFY(q.exec(u"INSERT INTO cf_rules (id, n) VALUES (1, 1)"_s));
    QVERIFY(!q.exec(u"INSERT INTO cf_rules (id, n) VALUES (1, 2)"_s));
    QVERIFY2(!Dialect::isSystemFault(q.lastError()), qPrintable(q.lastError().nativeErrorCode()));
    QVERIFY(!sqlError(q, "inserting").retryable);
    // The system's: a database that takes no write now.
    QVERIFY(q.exec(m_data->isPostgres() ? u"SET default_transaction_read_only = on"_s : u"PRAGMA query_only = 1"_s));
    QVERIFY(!q.exec(u"INSERT INTO cf_rules (id, n) VALUES (2, 1)"_s));
    QVERIFY2(Dialect::isSystemFault(q.lastError()),
             qPrintable(q.lastError().nativeErrorCode() + u" "_s + q.lastError().text()));
    QVERIFY(sqlError(q, "inserting").retryable);
    QVERIFY(q.exec(m_data->isPostgres() ? u"SET default_transaction_read_only = off"_s : u"PRAGMA query_only = 0"_s));
    if (m_data->isPostgres()) {
        // A statement an operator's timeout cancels.
        QVERIFY(q.exec(u"SET statement_timeout = 50"_s));
        QVERIFY(!q.exec(u"SELECT pg_sleep(1)"_s));
        QCOMPARE(q.lastError().nativeErrorCode(), u"57014"_s);
        QVERIFY(Dialect::isSystemFault(q.lastError()));
        QVERIFY(q.exec(u"SET statement_timeout = 0"_s));
    }
    // No answer at all: the connection failed. And SQLSTATEs as the pipeline gives them.
    QVERIFY(Dialect::isSystemFault(QSqlError(u"server closed the connection"_s, {}, QSqlError::ConnectionError)));
    QVERIFY(Dialect::isSystemSqlState("53100"));  // disk_full
    QVERIFY(Dialect::isSystemSqlState("40P01"));  // deadlock_detected
    QVERIFY(Dialect::isSystemSqlState({}));       // none: the connection failed
    QVERIFY(!Dialect::isSystemSqlState("23505")); // unique_violation
    QVERIFY(!Dialect::isSystemSqlState("22001")); // string_data_right_truncation
}

QTEST_GUILESS_MAIN(TestWorkerFaults)
#include "TestWorkerFaults.moc"
