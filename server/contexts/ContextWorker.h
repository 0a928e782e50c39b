// The worker of one context (reception, diagnosis or examination). Each step, in ONE transaction, it reacts to the
// log's new events (advancing its cursor), then applies its inbox's pending commands, writing its own tables and
// appending the resulting events (ARCHITECTURE §4). Outcomes go to the gateway once the transaction committed.
#pragma once

#include "ContextHandler.h"
#include "WorkerThread.h"
#include "security/AuditTrail.h"
#include "storage/Cursors.h"
#include "storage/EventLog.h"
#include "storage/Inbox.h"

namespace clinicflow::server {

class ContextWorker final : public WorkerThread
{
public:
    ContextWorker(domain::BoundedContext context, GroupCommit &commit, domain::Catalogue catalogue, Bus &bus);
    ~ContextWorker() override;

    static Doorbell &doorbellOf(Bus &bus, domain::BoundedContext context);

protected:
    domain::Result<bool> open(Database &db) override;
    domain::Result<bool> step() override;
    void close() override;

private:
    struct Batch;
    domain::Result<bool> process(Batch &batch, int limit);
    domain::Result<EventLog::Window> readWork(quint64 bound, int limit, std::vector<InboxCommand> &commands);
    domain::Result<bool> prefetch(const domain::Events &events, const std::vector<InboxCommand> &commands);
    domain::Result<bool> reactTo(Batch &batch, const domain::Event &event);
    domain::Result<bool> apply(Batch &batch, const InboxCommand &command);
    domain::Result<bool> appendAndMarkApplied(Batch &batch);
    domain::Result<bool> writeUnit(Batch &batch);
    domain::Result<bool> quarantine(const domain::Error &error);
    // The outcome's entry in the audit trail, with the visit it concerns (null when none is known).
    domain::Result<AuditEntry> auditEntry(const InboxCommand &command, const domain::Result<domain::Command> &decoded,
                                          const Outcome &outcome, const domain::Events *events);

    domain::BoundedContext m_context;
    domain::Catalogue m_catalogue;
    Bus &m_bus;
    Database *m_db = nullptr; // the connection its units run on (open())
    std::unique_ptr<EventLog> m_log;
    std::unique_ptr<Inbox> m_inbox;
    std::unique_ptr<Cursors> m_cursors;
    std::unique_ptr<AuditTrail> m_audit;
    std::unique_ptr<ContextHandler> m_handler;
    quint64 m_cursor = 0;
    bool m_careful = false; // after a failed batch: one item per transaction, to find and set aside the bad one
    quint64 m_failedEvent = 0;
    std::optional<InboxCommand> m_failedCommand;
};

} // namespace clinicflow::server
