#include "ViewWorker.h"

#include "common/Logging.h"

#include <QHash>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {
namespace {
constexpr int kBatchSize = 1000;
// Rows kept in memory between batches (a few MB): far more than the visits under way in a hospital's day.
constexpr qsizetype kRecentRows = 20000;
// Nobody waits on the view's rows as on an answer (the board and the stations get events from the gateway's feed), so
// its rounds wait for events to gather: under load a third as many rounds, each a transaction with its cursor and
// origin (2,139 -> 678 in the PostgreSQL bench), for rows at most this much later.
constexpr std::chrono::milliseconds kGatherTime{20};
} // namespace

ViewWorker::ViewWorker(DatabaseSettings log, Bus &bus)
    : WorkerThread(kViewConsumer, log.viewSettings(), bus.view(), common::lcView)
    , m_logSettings(std::move(log))
{
    setGatherTime(kGatherTime);
}

ViewWorker::~ViewWorker()
{
    stop();
}

Result<bool> ViewWorker::open(Database &db)
{
    m_db = &db;
    if (auto relaxed = db.dialect().relaxDurability(db); !relaxed)
        return relaxed.error();
    auto logDb = Database::open(m_logSettings, u"view-log"_s);
    if (!logDb)
        return logDb.error();
    m_logDb = std::move(logDb).value();
    m_log = std::make_unique<EventLog>(*m_logDb);
    m_cursors = std::make_unique<Cursors>(db);
    m_view = std::make_unique<StatusViewStore>(db);
    m_origin = std::make_unique<ViewOrigin>(db);
    auto cursor = m_cursors->get(kViewConsumer);
    if (!cursor)
        return cursor.error();
    m_cursor = cursor.value();
    return true;
}

void ViewWorker::close()
{
    m_origin.reset();
    m_view.reset();
    m_cursors.reset();
    m_log.reset();
    m_logDb.reset();
    m_db = nullptr;
    m_recent.clear();
}

Result<bool> ViewWorker::step()
{
    // Reading needs no lock: WAL gives the log connection a snapshot, and only this worker writes the view.
    auto events = m_log->readAfter(m_cursor, kBatchSize);
    if (!events)
        return events.error();
    if (events->empty())
        return false;
    // Rows touched in this batch stay in memory and are written once each. Those not kept from earlier batches are
    // read together first (a new visit's row is not there yet: most of them, under load).
    QHash<QUuid, std::optional<VisitStatus>> rows;
    QList<QUuid> unknown;
    for (const Event &event : events.value()) {
        if (rows.contains(event.visitId))
            continue;
        const auto recent = m_recent.constFind(event.visitId);
        if (recent != m_recent.cend()) {
            rows.insert(event.visitId, recent.value());
        } else {
            rows.insert(event.visitId, std::nullopt);
            unknown.append(event.visitId);
        }
    }
    auto loaded = m_view->loadMany(unknown);
    if (!loaded)
        return loaded.error();
    for (auto row = loaded->cbegin(); row != loaded->cend(); ++row)
        rows[row.key()] = row.value();
    for (const Event &event : events.value())
        project(rows[event.visitId], event);
    const quint64 last = events->back().sequence;
    WriteTransaction tx(*m_db);
    if (!tx.isActive())
        return tx.beginError();
    std::vector<VisitStatus> changed;
    changed.reserve(std::size_t(rows.size()));
    for (const auto &row : std::as_const(rows)) {
        if (row)
            changed.push_back(*row);
    }
    // On PostgreSQL the rows, the cursor and the origin travel with the COMMIT, in one message.
    m_db->startDeferring();
    auto saved = m_view->save(changed);
    if (saved)
        saved = m_cursors->set(kViewConsumer, last);
    if (saved)
        saved = m_origin->setLastEvent(events->back().id);
    m_db->finishDeferring();
    if (!saved)
        return saved.error();
    if (auto done = tx.commit(); !done)
        return done.error();
    m_cursor = last;
    // Only committed rows are kept: a batch that failed is projected again from what the store holds.
    if (m_recent.size() + rows.size() > kRecentRows)
        m_recent.clear();
    for (auto row = rows.cbegin(); row != rows.cend(); ++row) {
        if (row.value())
            m_recent.insert(row.key(), *row.value());
    }
    return int(events->size()) == kBatchSize;
}

} // namespace clinicflow::server
