// The view module: projects the event log into the status view, one transaction per batch with its cursor.
#pragma once

#include "StatusViewStore.h"
#include "WorkerThread.h"
#include "storage/Cursors.h"
#include "storage/EventLog.h"

namespace clinicflow::server {

class ViewWorker final : public WorkerThread
{
public:
    ViewWorker(GroupCommit &commit, Bus &bus);
    ~ViewWorker() override;

protected:
    domain::Result<bool> open(Database &db) override;
    domain::Result<bool> step() override;
    void close() override;

private:
    domain::Result<bool> project(quint64 &last, bool &more);

    std::unique_ptr<EventLog> m_log;
    std::unique_ptr<Cursors> m_cursors;
    std::unique_ptr<StatusViewStore> m_view;
    quint64 m_cursor = 0;
};

} // namespace clinicflow::server
