#include "CommandIntake.h"

#include <QDateTime>

using namespace clinicflow::domain;

namespace clinicflow::server {

CommandIntake::CommandIntake(Database &db)
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
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const IntakeRequest &r : requests) {
        // A command id is one key across the contexts: the same id under another command is the same command.
        std::optional<CommandRecord> seen;
        for (const auto &box : m_inboxes) {
            auto found = box->find(r.commandId); // also finds one stored earlier in this same batch
            if (!found)
                return found.error();
            if ((seen = found.value()))
                break;
        }
        if (seen) {
            results.push_back(IntakeResult{false, *seen});
            continue;
        }
        if (auto stored = inbox(r.context).enqueue(r.commandId, r.station, r.type, r.payload, now, r.actedAtMs);
            !stored)
            return stored.error();
        results.push_back(IntakeResult{true, CommandRecord{r.commandId, r.station, CommandState::Pending, {}, 0, 0}});
    }
    return results;
}

} // namespace clinicflow::server
