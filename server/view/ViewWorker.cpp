#include "ViewWorker.h"

#include "common/Logging.h"

#include <QHash>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {
namespace {
constexpr int kBatchSize = 1000;
const QString kConsumer = u"view"_s;
} // namespace

ViewWorker::ViewWorker(GroupCommit &commit, Bus &bus)
    : WorkerThread(kConsumer, commit, bus.view(), common::lcView)
{
}

ViewWorker::~ViewWorker()
{
    stop();
}

Result<bool> ViewWorker::open(Database &db)
{
    m_log = std::make_unique<EventLog>(db);
    m_cursors = std::make_unique<Cursors>(db);
    m_view = std::make_unique<StatusViewStore>(db);
    auto cursor = m_cursors->get(kConsumer);
    if (!cursor)
        return cursor.error();
    m_cursor = cursor.value();
    return true;
}

void ViewWorker::close()
{
    m_view.reset();
    m_cursors.reset();
    m_log.reset();
}

Result<bool> ViewWorker::step()
{
    quint64 last = m_cursor;
    bool more = false;
    auto projected = runUnit([&](Database &) { return project(last, more); });
    if (!projected)
        return projected.error();
    m_cursor = last;
    return more;
}

Result<bool> ViewWorker::project(quint64 &last, bool &more)
{
    auto events = m_log->readAfter(m_cursor, kBatchSize);
    if (!events)
        return events.error();
    if (events->empty())
        return true;
    // Rows touched in this batch stay in memory and are written once each.
    QHash<QUuid, std::optional<VisitStatus>> rows;
    for (const Event &event : events.value()) {
        auto it = rows.find(event.visitId);
        if (it == rows.end()) {
            auto loaded = m_view->load(event.visitId);
            if (!loaded)
                return loaded.error();
            it = rows.insert(event.visitId, loaded.value());
        }
        clinicflow::domain::project(it.value(), event);
    }
    for (const auto &row : std::as_const(rows)) {
        if (row) {
            if (auto saved = m_view->save(*row); !saved)
                return saved.error();
        }
    }
    last = events->back().sequence;
    more = int(events->size()) == kBatchSize;
    return m_cursors->set(kConsumer, last);
}

} // namespace clinicflow::server
