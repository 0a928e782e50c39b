// The status view's store at start-up, and where its rows come from. The view is derived data (ARCHITECTURE §4): a
// store that cannot be used is never a reason to stop the server. A store that cannot be opened, fails SQLite's
// quick_check, has a schema version this build does not know, or was projected from another event log (another
// main database's id, a cursor beyond the log's head, or a last projected event the log does not hold at that
// sequence: a main database deleted, or restored from a backup, beside an old view file) is moved aside, kept for
// the operators as <file>.corrupt-<UTC time> or <file>.mismatched-<UTC time>, and replaced by a fresh store that the
// view worker fills from the log, from sequence 0. One warning line says which file, why, where it went, and that the
// view is rebuilt from the log.
#pragma once

#include "storage/BatchStatement.h"
#include "storage/Database.h"

#include <QSqlQuery>
#include <QUuid>
#include <memory>

namespace clinicflow::server {

// The view worker's name, and its cursor's in consumer_cursors.
inline const QString kViewConsumer = QStringLiteral("view");

// The view_origin row: the log the rows were projected from. Written by the view worker with its cursor.
class ViewOrigin
{
    Q_DISABLE_COPY_MOVE(ViewOrigin)
public:
    explicit ViewOrigin(Database &viewDb);

    // The id of the last event projected, in the view worker's transaction (with its cursor).
    domain::Result<bool> setLastEvent(const QUuid &eventId);

private:
    BatchStatement m_setLastEvent; // one row: through the pipeline on PostgreSQL, with the view's commit
};

struct ViewStoreOptions
{
    QString connectionName;
    // The main database's id (server_identity): the log this view must be projected from.
    QString logId;
    // Whether this process may set a bad store aside: it runs the view module (which holds its lock), on SQLite.
    // Otherwise a store that cannot be used is an error, as before, and the origin is not checked.
    bool mayRebuild = false;
};

// Opens and migrates the view's store (log.settings().viewSettings()); see the header's first lines. `log` is the
// main database, read for its head and its events' ids.
domain::Result<std::unique_ptr<Database>> openViewStore(Database &log, const ViewStoreOptions &options);

} // namespace clinicflow::server
