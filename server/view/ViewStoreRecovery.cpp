// The status view's store at start-up (see ViewStoreRecovery.h).
#include "ViewStoreRecovery.h"

#include "common/Logging.h"
#include "domain/Ids.h"
#include "storage/Schema.h"

#include <QDateTime>
#include <QFile>
#include <QSqlError>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcView;

namespace clinicflow::server {
namespace {

enum class Verdict
{
    Usable,
    Corrupt,    // unreadable: set aside as .corrupt-<time>
    Mismatched, // readable, but not this log's view: set aside as .mismatched-<time>
};

struct Inspection
{
    Verdict verdict = Verdict::Usable;
    QString why; // what is wrong with the store, for the operators' log line
};

// The first column of the first row, or a null QVariant when there is no row (or no table).
QVariant scalar(Database &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery q(db.connection());
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return {};
    bindAll(q, values);
    if (!q.exec() || !q.next())
        return {};
    return q.value(0);
}

Inspection readable(Database &db)
{
    if (const QString problems = db.dialect().integrityProblem(db); !problems.isEmpty())
        return {Verdict::Corrupt, problems};
    const int version = scalar(db, u"SELECT MAX(version) FROM view_schema_version"_s).toInt(); // 0: a new file
    if (version > currentViewSchemaVersion())
        return {Verdict::Mismatched,
                u"has view schema version %1, and this server knows versions up to %2"_s.arg(version).arg(
                    currentViewSchemaVersion())};
    return {};
}

// Whether the rows were projected from this log. A store from before view_origin existed is adopted when its
// cursor is within the log: nothing else can be told about it.
Result<Inspection> sameLog(Database &log, Database &view, const QString &logId)
{
    const quint64 cursor =
        scalar(view, u"SELECT sequence FROM consumer_cursors WHERE consumer = ?"_s, {kViewConsumer}).toULongLong();
    QSqlQuery origin(view.connection());
    origin.setForwardOnly(true);
    if (!origin.exec(u"SELECT log_id, last_event_id FROM view_origin"_s))
        return sqlError(origin, "reading the view's origin");
    const bool known = origin.next();
    const QString viewLogId = known ? origin.value(0).toString() : QString();
    const QString lastEvent = known ? origin.value(1).toString() : QString();
    origin.finish();
    if (known && viewLogId != logId)
        return Inspection{Verdict::Mismatched, u"was projected from another event log (main database %1; this one "
                                               "is %2)"_s.arg(viewLogId, logId)};
    QSqlQuery head(log.connection());
    if (!head.exec(u"SELECT COALESCE(MAX(sequence), 0) FROM event_log"_s) || !head.next())
        return sqlError(head, "reading the event log's head");
    if (cursor > head.value(0).toULongLong())
        return Inspection{Verdict::Mismatched,
                          u"has projected the event log up to sequence %1, but the log ends at %2 (the main database "
                          "was replaced, or restored from an older backup)"_s.arg(cursor)
                              .arg(head.value(0).toULongLong())};
    if (cursor > 0 && !lastEvent.isEmpty()) {
        const QString atCursor =
            scalar(log, u"SELECT event_id FROM event_log WHERE sequence = ?"_s, {qint64(cursor)}).toString();
        if (atCursor != lastEvent)
            return Inspection{Verdict::Mismatched,
                              u"projected event %1 at sequence %2, which the event log holds no "
                              "more (the main database was restored from another history)"_s.arg(lastEvent)
                                  .arg(cursor)};
    }
    if (!known) {
        WriteTransaction tx(view);
        if (!tx.isActive())
            return tx.beginError();
        QSqlQuery adopt(view.connection());
        adopt.prepare(u"INSERT INTO view_origin (log_id, last_event_id) VALUES (?, '')"_s);
        adopt.addBindValue(logId);
        if (!adopt.exec())
            return sqlError(adopt, "recording the view's origin");
        if (auto done = tx.commit(); !done)
            return done.error();
    }
    return Inspection{};
}

// Renames the store and its logs to <file>.<kind>-<UTC time>[-n]; the new name of the store.
Result<QString> setAside(const QString &path, const QString &kind)
{
    const QString base =
        u"%1.%2-%3"_s.arg(path, kind, QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd'T'HHmmss'Z'"_s));
    QString target = base;
    for (int n = 2; QFile::exists(target) || QFile::exists(target + u"-wal"_s); ++n)
        target = u"%1-%2"_s.arg(base).arg(n);
    // The logs first: a write-ahead log left beside the fresh store would be replayed into it.
    for (const QString &suffix : {u"-wal"_s, u"-shm"_s, u""_s}) {
        if (QFile::exists(path + suffix) && !QFile::rename(path + suffix, target + suffix))
            return makeError(ErrorCode::InternalError,
                             u"cannot move %1 aside to %2"_s.arg(path + suffix, target + suffix));
    }
    return target;
}

Result<std::unique_ptr<Database>> openMigrated(const DatabaseSettings &settings, const QString &name)
{
    auto db = Database::open(settings, name);
    if (!db)
        return db.error();
    if (auto migrated = migrateView(*db.value()); !migrated)
        return migrated.error();
    return std::move(db).value();
}

} // namespace

ViewOrigin::ViewOrigin(Database &viewDb)
    : m_setLastEvent(viewDb, u"UPDATE view_origin SET last_event_id = %1"_s, u"?"_s)
{
}

Result<bool> ViewOrigin::setLastEvent(const QUuid &eventId)
{
    return m_setLastEvent.run(
        1, [&eventId](std::size_t) { return QVariantList{idString(eventId)}; }, "recording the last event projected");
}

Result<std::unique_ptr<Database>> openViewStore(Database &log, const ViewStoreOptions &options)
{
    const DatabaseSettings settings = log.settings().viewSettings();
    if (!options.mayRebuild || !Dialect::of(settings).viewHasItsOwnStore())
        return openMigrated(settings, options.connectionName);

    Inspection found;
    {
        auto opened = Database::open(settings, options.connectionName);
        if (!opened) {
            found = {Verdict::Corrupt, u"cannot be opened (%1)"_s.arg(opened.error().detail)};
        } else {
            std::unique_ptr<Database> db = std::move(opened).value();
            found = readable(*db);
            if (found.verdict == Verdict::Usable) {
                if (auto migrated = migrateView(*db); !migrated)
                    found = {Verdict::Corrupt, u"cannot be migrated (%1)"_s.arg(migrated.error().detail)};
            }
            if (found.verdict == Verdict::Usable) {
                auto origin = sameLog(log, *db, options.logId);
                if (!origin)
                    return origin.error(); // the main database could not be read: not the view's fault
                found = origin.value();
            }
            if (found.verdict == Verdict::Usable)
                return db;
        } // the bad store's connection closes here, before its file moves
    }
    const QString path = settings.sqlitePath;
    auto moved = setAside(path, found.verdict == Verdict::Corrupt ? u"corrupt"_s : u"mismatched"_s);
    if (!moved)
        return moved.error();
    qCWarning(lcView).noquote() << u"status view %1 %2: moved aside to %3, and a fresh view is rebuilt from the event "
                                   "log"_s.arg(path, found.why, moved.value());
    auto fresh = openMigrated(settings, options.connectionName);
    if (!fresh)
        return fresh.error();
    if (auto origin = sameLog(log, *fresh.value(), options.logId); !origin)
        return origin.error();
    return fresh;
}

} // namespace clinicflow::server
