#include "Schema.h"

#include "common/Logging.h"

#include <QSqlQuery>
#include <QStringList>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStorage;
using clinicflow::domain::ErrorCode;
using clinicflow::domain::makeError;

namespace clinicflow::server {
namespace {

// Statements per version. `%SERIAL%` is the auto-increment primary key and `%BLOB%` the binary type, which differ
// between SQLite and PostgreSQL; a statement starting `%SQLITE%` or `%PG%` runs on that database only.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> all = {
        // 1: the event log, the inboxes, the three contexts' tables and consumer cursors.
        {
            uR"(CREATE TABLE event_log (
                sequence %SERIAL%,
                event_id TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                context TEXT NOT NULL,
                aggregate_id TEXT NOT NULL,
                visit_id TEXT NOT NULL,
                causation_id TEXT NOT NULL,
                station TEXT NOT NULL,
                at_ms BIGINT NOT NULL,
                payload %BLOB% NOT NULL))"_s,
            u"CREATE INDEX event_log_visit ON event_log (visit_id, sequence)"_s,
            u"CREATE TABLE server_identity (id TEXT NOT NULL)"_s,
            // IF NOT EXISTS: on PostgreSQL the status view's store (viewMigrations) shares the database and the table.
            u"CREATE TABLE IF NOT EXISTS consumer_cursors (consumer TEXT PRIMARY KEY, sequence BIGINT NOT NULL)"_s,
            // One inbox per context; a row stays as the command's record (audit trail and idempotency).
            // status: 0 pending, 1 applied, 2 rejected.
            uR"(CREATE TABLE %CTX%_inbox (
                position %SERIAL%,
                command_id TEXT NOT NULL UNIQUE,
                station TEXT NOT NULL,
                type TEXT NOT NULL,
                received_at_ms BIGINT NOT NULL,
                acted_at_ms BIGINT NOT NULL,
                payload %BLOB% NOT NULL,
                status INTEGER NOT NULL DEFAULT 0,
                result_code INTEGER,
                result_message TEXT,
                first_sequence BIGINT,
                last_sequence BIGINT,
                resolved_at_ms BIGINT))"_s,
            u"CREATE INDEX %CTX%_inbox_pending ON %CTX%_inbox (status, position)"_s,
            uR"(CREATE TABLE receptions (
                id TEXT PRIMARY KEY,
                ticket TEXT NOT NULL,
                station TEXT NOT NULL,
                patient_number TEXT NOT NULL,
                patient_name TEXT NOT NULL,
                birth_date TEXT NOT NULL,
                sex TEXT NOT NULL,
                phone TEXT NOT NULL,
                address TEXT NOT NULL,
                department TEXT NOT NULL,
                requested_doctor TEXT NOT NULL,
                chief_complaint TEXT NOT NULL,
                priority TEXT NOT NULL,
                received_at_ms BIGINT NOT NULL,
                status TEXT NOT NULL,
                diagnosis_id TEXT NOT NULL,
                doctor TEXT NOT NULL,
                cancel_reason TEXT NOT NULL))"_s,
            uR"(CREATE TABLE diagnoses (
                id TEXT PRIMARY KEY,
                reception_id TEXT NOT NULL UNIQUE,
                doctor TEXT NOT NULL,
                department TEXT NOT NULL,
                priority TEXT NOT NULL,
                registered_at_ms BIGINT NOT NULL,
                status TEXT NOT NULL,
                review_note TEXT NOT NULL,
                outcome_note TEXT NOT NULL))"_s,
            u"CREATE INDEX diagnoses_doctor ON diagnoses (doctor, status)"_s,
            uR"(CREATE TABLE prescriptions (
                examination_id TEXT PRIMARY KEY,
                diagnosis_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                code TEXT NOT NULL,
                note TEXT NOT NULL,
                status TEXT NOT NULL,
                result TEXT NOT NULL))"_s,
            u"CREATE INDEX prescriptions_diagnosis ON prescriptions (diagnosis_id, position)"_s,
            uR"(CREATE TABLE examinations (
                id TEXT PRIMARY KEY,
                diagnosis_id TEXT NOT NULL,
                reception_id TEXT NOT NULL,
                code TEXT NOT NULL,
                note TEXT NOT NULL,
                requested_at_ms BIGINT NOT NULL,
                performed_at_ms BIGINT,
                examiner TEXT NOT NULL,
                result TEXT NOT NULL,
                cancel_reason TEXT NOT NULL,
                status TEXT NOT NULL,
                withdraw_reason TEXT NOT NULL))"_s,
            u"CREATE INDEX examinations_diagnosis ON examinations (diagnosis_id, status)"_s,
        },
        // 2: doctor assignment counts a department's open diagnoses at every registration.
        {
            u"CREATE INDEX diagnoses_department_status ON diagnoses (department, status)"_s,
        },
        // 3: each doctor's open diagnoses as a counter kept with every change, so assigning a doctor reads a few
        // rows instead of counting a department's open diagnoses (thousands after an offline morning).
        {
            uR"(CREATE TABLE doctor_loads (
                doctor TEXT NOT NULL,
                department TEXT NOT NULL,
                open_diagnoses INTEGER NOT NULL,
                PRIMARY KEY (doctor, department)))"_s,
            uR"(INSERT INTO doctor_loads (doctor, department, open_diagnoses)
                SELECT doctor, department, COUNT(*) FROM diagnoses
                WHERE status IN ('waiting', 'exams_pending', 'results_ready', 'reviewed')
                GROUP BY doctor, department)"_s,
        },
        // 4: no unique index on event ids. Each append paid for a random insert into it and for a statement
        // journal; exactly-once comes from the inboxes and the cursors that commit with their effects, and event
        // ids are derived from their cause, so a repeat could only come from a bug those already guard against.
        // SQLite cannot drop an inline constraint: the table is rebuilt, keeping every sequence.
        {
            u"%PG%ALTER TABLE event_log DROP CONSTRAINT IF EXISTS event_log_event_id_key"_s,
            uR"(%SQLITE%CREATE TABLE event_log_v4 (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id TEXT NOT NULL,
                type TEXT NOT NULL,
                context TEXT NOT NULL,
                aggregate_id TEXT NOT NULL,
                visit_id TEXT NOT NULL,
                causation_id TEXT NOT NULL,
                station TEXT NOT NULL,
                at_ms BIGINT NOT NULL,
                payload BLOB NOT NULL))"_s,
            uR"(%SQLITE%INSERT INTO event_log_v4 (sequence, event_id, type, context, aggregate_id, visit_id,
                causation_id, station, at_ms, payload) SELECT sequence, event_id, type, context, aggregate_id,
                visit_id, causation_id, station, at_ms, payload FROM event_log ORDER BY sequence)"_s,
            u"%SQLITE%DROP TABLE event_log"_s,
            u"%SQLITE%ALTER TABLE event_log_v4 RENAME TO event_log"_s,
            u"%SQLITE%CREATE INDEX event_log_visit ON event_log (visit_id, sequence)"_s,
        },
        // 5: a command id names one command (docs/protocol.md, "Command ids"): its station, its content and one
        // outcome. Each inbox row keeps the content's fingerprint, and the gateway's own refusals are kept too, so
        // a refused id cannot later be applied for another station. An examination's end has one time per way of
        // ending (performed, cancelled, withdrawn); a patient with no known birth date may have an estimated age.
        {
            u"ALTER TABLE %CTX%_inbox ADD COLUMN fingerprint %BLOB%"_s,
            uR"(CREATE TABLE refused_commands (
                command_id TEXT PRIMARY KEY,
                station TEXT NOT NULL,
                type TEXT NOT NULL,
                fingerprint %BLOB% NOT NULL,
                result_code INTEGER NOT NULL,
                result_message TEXT NOT NULL,
                refused_at_ms BIGINT NOT NULL))"_s,
            u"ALTER TABLE examinations ADD COLUMN cancelled_at_ms BIGINT"_s,
            u"ALTER TABLE examinations ADD COLUMN withdrawn_at_ms BIGINT"_s,
            // Until now a cancellation's time was kept as the performance's.
            uR"(UPDATE examinations SET cancelled_at_ms = performed_at_ms, performed_at_ms = 0
                WHERE status = 'cancelled')"_s,
            // A withdrawal's time was not kept: its event in the log has it.
            uR"(UPDATE examinations SET withdrawn_at_ms = w.at_ms
                FROM (SELECT aggregate_id, MAX(at_ms) AS at_ms FROM event_log WHERE type = 'ExaminationWithdrawn'
                      GROUP BY aggregate_id) AS w
                WHERE w.aggregate_id = examinations.id)"_s,
            u"ALTER TABLE receptions ADD COLUMN estimated_age INTEGER"_s,
        },
        // 6: the enrolled stations (ARCHITECTURE §7): a station is its CURVE key. A code is never given to a second
        // key, revoked or not, since the tickets a desk issued carry its code.
        {
            uR"(CREATE TABLE stations (
                code TEXT PRIMARY KEY,
                role TEXT NOT NULL,
                name TEXT NOT NULL,
                doctor TEXT NOT NULL,
                public_key TEXT NOT NULL UNIQUE,
                enrolled_at_ms BIGINT NOT NULL,
                revoked_at_ms BIGINT))"_s,
        },
        // 7: the audit trail (security/AuditTrail.h): append-only, which the database itself enforces.
        {
            uR"(CREATE TABLE audit_log (
                position %SERIAL%,
                at_ms BIGINT NOT NULL,
                station TEXT NOT NULL,
                user_name TEXT NOT NULL,
                action TEXT NOT NULL,
                visit_id TEXT NOT NULL,
                command_id TEXT NOT NULL,
                result TEXT NOT NULL,
                code TEXT NOT NULL,
                detail TEXT NOT NULL))"_s,
            u"CREATE INDEX audit_log_visit ON audit_log (visit_id, position)"_s,
            u"CREATE INDEX audit_log_station ON audit_log (station, position)"_s,
            u"CREATE INDEX audit_log_at ON audit_log (at_ms)"_s,
            uR"(%SQLITE%CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END)"_s,
            uR"(%SQLITE%CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END)"_s,
            uR"(%PG%CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$)"_s,
            uR"(%PG%CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only())"_s,
        },
        // 8: PostgreSQL's writers run concurrently, in several processes: each transaction reserves its event
        // sequences from one counter row, which orders their commits and gives back what a rollback reserved
        // (Dialect::reservesSequences). And one row that readiness writes to: a database that takes no write is not
        // ready, whatever its connections say.
        {
            u"%PG%CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1), sequence BIGINT NOT NULL)"_s,
            u"%PG%INSERT INTO log_head (id, sequence) SELECT 1, COALESCE(MAX(sequence), 0) FROM event_log"_s,
            u"CREATE TABLE write_probe (id INTEGER PRIMARY KEY, at_ms BIGINT NOT NULL)"_s,
            u"INSERT INTO write_probe (id, at_ms) VALUES (1, 0)"_s,
        },
        // 9: each inbox numbers its resolutions in the order its worker commits them (Inbox::markApplied), so a
        // gateway in another process reads the outcomes it has not seen with one range read. Rows resolved before
        // have none: no gateway waits for them any more.
        {
            u"ALTER TABLE %CTX%_inbox ADD COLUMN resolution BIGINT"_s,
            u"CREATE INDEX %CTX%_inbox_resolution ON %CTX%_inbox (resolution)"_s,
        },
    };
    return all;
}

// The status view's store (DatabaseSettings::viewSettings): its rows and its own cursor, so a batch of rows and the
// position it reflects commit together. `IF NOT EXISTS` because on PostgreSQL it shares the main database.
const QList<QStringList> &viewMigrations()
{
    static const QList<QStringList> all = {
        {
            u"CREATE TABLE IF NOT EXISTS consumer_cursors (consumer TEXT PRIMARY KEY, sequence BIGINT NOT NULL)"_s,
            uR"(CREATE TABLE IF NOT EXISTS status_view (
                visit_id TEXT PRIMARY KEY,
                ticket TEXT NOT NULL,
                patient_number TEXT NOT NULL,
                patient_name TEXT NOT NULL,
                department TEXT NOT NULL,
                doctor TEXT NOT NULL,
                priority TEXT NOT NULL,
                reception_status TEXT NOT NULL,
                diagnosis_status TEXT NOT NULL,
                diagnosis_id TEXT NOT NULL,
                exams_requested INTEGER NOT NULL,
                exams_performed INTEGER NOT NULL,
                exams_cancelled INTEGER NOT NULL,
                exams_withdrawn INTEGER NOT NULL,
                received_at_ms BIGINT NOT NULL,
                treatment_started_at_ms BIGINT,
                finished_at_ms BIGINT,
                updated_at_ms BIGINT NOT NULL,
                last_sequence BIGINT NOT NULL))"_s,
            u"CREATE INDEX IF NOT EXISTS status_view_sequence ON status_view (last_sequence)"_s,
            u"CREATE INDEX IF NOT EXISTS status_view_status ON status_view (reception_status, last_sequence)"_s,
        },
        // 2: which event log the rows were projected from (view/ViewStoreRecovery.h): the main database's id, and
        // the id of the last event projected, kept with the cursor. A view beside another log, or beside a log
        // restored from another history, is then rebuilt instead of served.
        {
            u"CREATE TABLE IF NOT EXISTS view_origin (log_id TEXT NOT NULL, last_event_id TEXT NOT NULL)"_s,
        },
    };
    return all;
}

QStringList expand(const QString &statement, const Dialect &dialect)
{
    const bool sqlite = dialect.isSqlite();
    QString s = statement;
    // A statement for one database only.
    if (s.startsWith(u"%SQLITE%"_s) || s.startsWith(u"%PG%"_s)) {
        if (s.startsWith(u"%SQLITE%"_s) != sqlite)
            return {};
        s.remove(0, s.indexOf(u'%', 1) + 1);
    }
    s.replace(u"%SERIAL%"_s, dialect.serialKey());
    s.replace(u"%BLOB%"_s, dialect.blobType());
    if (!s.contains(u"%CTX%"_s))
        return {s};
    QStringList perContext;
    for (const auto &ctx : {u"reception"_s, u"diagnosis"_s, u"examination"_s})
        perContext.append(QString(s).replace(u"%CTX%"_s, ctx));
    return perContext;
}

domain::Result<int> storedVersion(Database &db, const QString &table)
{
    if (auto ok = execSql(db.connection(), u"CREATE TABLE IF NOT EXISTS %1 (version INTEGER NOT NULL)"_s.arg(table));
        !ok)
        return ok.error();
    QSqlQuery q(db.connection());
    if (!q.exec(u"SELECT MAX(version) FROM %1"_s.arg(table)))
        return sqlError(q, "reading the schema version");
    return q.next() ? q.value(0).toInt() : 0;
}

// Applies `migrations` after the version recorded in `table` up to `target`, each version in its own transaction.
domain::Result<int> migrate(Database &db, const QList<QStringList> &migrations, const QString &table, int target)
{
    // Read under the schema lock: processes starting together on one PostgreSQL database would otherwise race to
    // create the version table itself.
    auto version = [&]() -> domain::Result<int> {
        WriteTransaction tx(db);
        if (!tx.isActive())
            return tx.beginError();
        if (auto locked = lockSchema(db); !locked)
            return locked.error();
        auto stored = storedVersion(db, table);
        if (!stored)
            return stored.error();
        if (auto ok = tx.commit(); !ok)
            return ok.error();
        return stored;
    }();
    if (!version)
        return version.error();
    if (version.value() > int(migrations.size())) {
        return makeError(ErrorCode::InternalError,
                         u"the database has %1 %2, newer than this server's %3: upgrade the server"_s.arg(table)
                             .arg(version.value())
                             .arg(migrations.size()));
    }
    for (int v = version.value() + 1; v <= target; ++v) {
        WriteTransaction tx(db);
        if (!tx.isActive())
            return tx.beginError();
        if (auto locked = lockSchema(db); !locked)
            return locked.error();
        // Another process sharing the database may have migrated while this one waited for the write lock.
        auto now = storedVersion(db, table);
        if (!now)
            return now.error();
        if (now.value() >= v)
            continue;
        for (const QString &statement : migrations.at(v - 1)) {
            for (const QString &sql : expand(statement, db.dialect())) {
                if (auto ok = execSql(db.connection(), sql); !ok)
                    return ok.error();
            }
        }
        QSqlQuery q(db.connection());
        q.prepare(u"INSERT INTO %1 (version) VALUES (?)"_s.arg(table));
        q.addBindValue(v);
        if (!q.exec())
            return sqlError(q, "recording the schema version");
        if (auto ok = tx.commit(); !ok)
            return ok.error();
        qCInfo(lcStorage).noquote() << table << "migrated to version" << v;
    }
    return std::max(target, version.value());
}

} // namespace

domain::Result<bool> lockSchema(Database &db)
{
    const QString lock = db.dialect().lockSchema();
    return lock.isEmpty() ? domain::Result<bool>(true) : execSql(db.connection(), lock);
}

int currentSchemaVersion()
{
    return int(migrations().size());
}

domain::Result<int> migrate(Database &db)
{
    return migrate(db, migrations(), u"schema_version"_s, currentSchemaVersion());
}

domain::Result<int> migrateTo(Database &db, int version)
{
    return migrate(db, migrations(), u"schema_version"_s, std::min(version, currentSchemaVersion()));
}

int currentViewSchemaVersion()
{
    return int(viewMigrations().size());
}

domain::Result<int> migrateView(Database &db)
{
    return migrate(db, viewMigrations(), u"view_schema_version"_s, currentViewSchemaVersion());
}

} // namespace clinicflow::server
