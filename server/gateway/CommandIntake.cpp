#include "CommandIntake.h"

#include <QDateTime>

using namespace clinicflow::domain;

namespace clinicflow::server {

CommandIntake::CommandIntake(Database &db)
    : m_db(db)
{
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination})
        m_inboxes[std::size_t(context)] = std::make_unique<Inbox>(db, context);
}

Inbox &CommandIntake::inbox(BoundedContext context)
{
    return *m_inboxes[std::size_t(context)];
}

Result<std::vector<IntakeResult>> CommandIntake::accept(const std::vector<IntakeRequest> &requests)
{
    std::vector<IntakeResult> results;
    results.reserve(requests.size());
    WriteTransaction tx(m_db);
    if (!tx.isActive())
        return tx.beginError();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const IntakeRequest &r : requests) {
        Inbox &box = inbox(r.context);
        auto seen = box.find(r.commandId); // also finds one stored earlier in this same batch
        if (!seen)
            return seen.error();
        if (seen.value()) {
            results.push_back(IntakeResult{false, *seen.value()});
            continue;
        }
        if (auto stored = box.enqueue(r.commandId, r.station, r.type, r.payload, now, r.actedAtMs); !stored)
            return stored.error();
        results.push_back(IntakeResult{true, CommandRecord{r.commandId, r.station, CommandState::Pending, {}, 0, 0}});
    }
    if (auto done = tx.commit(); !done)
        return done.error();
    return results;
}

} // namespace clinicflow::server
