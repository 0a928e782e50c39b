// The view module: projects the event log into the status view, one transaction per batch with its cursor. It reads
// the log and the rows it needs outside the write lock, then writes the rows and the cursor in one short transaction
// on a connection of its own with synchronous=NORMAL: the view is derived data, so a commit lost to a power cut is
// projected again from the log (whose commits are FULL, and any later FULL commit syncs the shared WAL anyway).
#pragma once

#include "StatusViewStore.h"
#include "WorkerThread.h"
#include "storage/Cursors.h"
#include "storage/EventLog.h"

namespace clinicflow::server {

class ViewWorker final : public WorkerThread
{
public:
    ViewWorker(DatabaseSettings settings, Bus &bus);
    ~ViewWorker() override;

protected:
    domain::Result<bool> open(Database &db) override;
    domain::Result<bool> step() override;
    void close() override;

private:
    Database *m_db = nullptr;

    std::unique_ptr<EventLog> m_log;
    std::unique_ptr<Cursors> m_cursors;
    std::unique_ptr<StatusViewStore> m_view;
    quint64 m_cursor = 0;
};

} // namespace clinicflow::server
