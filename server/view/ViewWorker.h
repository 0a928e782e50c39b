// The view module: projects the event log into the status view, one transaction per batch with its cursor. It reads
// the log through a connection of its own, and writes the rows and its cursor in one short transaction to the view's
// store (DatabaseSettings::viewSettings: on SQLite a file of its own) with synchronous=NORMAL: the view is derived
// data, so a commit lost to a power cut is projected again from the log. Rows it wrote lately stay in memory, as
// most events are for visits under way: only this worker writes the view, so they are never stale.
#pragma once

#include "StatusViewStore.h"
#include "ViewStoreRecovery.h"
#include "WorkerThread.h"
#include "storage/Cursors.h"
#include "storage/EventLog.h"

#include <QHash>

namespace clinicflow::server {

class ViewWorker final : public WorkerThread
{
public:
    // `log` is the main database; the rows go to log.viewSettings().
    ViewWorker(DatabaseSettings log, Bus &bus);
    ~ViewWorker() override;

protected:
    domain::Result<bool> open(Database &db) override;
    domain::Result<bool> step() override;
    void close() override;

private:
    DatabaseSettings m_logSettings;
    Database *m_db = nullptr;          // the view's store, opened by WorkerThread
    std::unique_ptr<Database> m_logDb; // the event log, read only

    std::unique_ptr<EventLog> m_log;
    std::unique_ptr<Cursors> m_cursors;
    std::unique_ptr<StatusViewStore> m_view;
    std::unique_ptr<ViewOrigin> m_origin; // the last event projected, kept with the cursor
    quint64 m_cursor = 0;
    QHash<QUuid, domain::VisitStatus> m_recent; // rows as last committed, at most kRecentRows
};

} // namespace clinicflow::server
