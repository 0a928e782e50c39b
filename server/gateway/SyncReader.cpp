#include "SyncReader.h"

#include "proto/Codec.h"
#include "proto/Convert.h"
#include "proto/ConvertView.h"
#include "proto/Redaction.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {
namespace {
constexpr quint32 kDefaultEventPage = 1000;
constexpr quint32 kMaxEventPage = 5000;
constexpr quint32 kDefaultSnapshotPage = 500;
constexpr quint32 kMaxSnapshotPage = 2000;
// Room left under the codec's limit for the envelope around a page.
constexpr std::size_t kPageBudget = proto::kMaxMessageSize - 4096;
} // namespace

SyncReader::SyncReader(Database &db, Database &viewDb, Catalogue catalogue, QString serverId)
    : m_log(db)
    , m_view(viewDb)
    , m_cursors(viewDb)
    , m_catalogue(std::move(catalogue))
    , m_serverId(std::move(serverId))
{
}

Result<v1::Envelope> SyncReader::welcome(quint64 stationSequence)
{
    auto head = m_log.head();
    if (!head)
        return head.error();
    v1::Envelope envelope;
    auto *w = envelope.mutable_welcome();
    w->set_protocol_version(proto::kProtocolVersion);
    w->set_server_id(m_serverId.toStdString());
    w->set_head_sequence(head.value());
    *w->mutable_catalogue() = proto::toProto(m_catalogue);
    // Ahead of the server means the station synced with another database: only a snapshot can set it right.
    w->set_snapshot_advised(stationSequence > head.value() || head.value() - stationSequence > kSnapshotThreshold);
    return envelope;
}

Result<v1::Envelope> SyncReader::events(const v1::FetchEvents &request, Role role)
{
    const quint32 limit = request.limit() == 0 ? kDefaultEventPage : std::min(request.limit(), kMaxEventPage);
    auto head = m_log.head();
    if (!head)
        return head.error();
    auto events = m_log.readWireAfter(request.after_sequence(), int(limit));
    if (!events)
        return events.error();
    v1::Envelope envelope;
    auto *batch = envelope.mutable_event_batch();
    batch->set_head_sequence(head.value());
    std::size_t size = 0;
    for (v1::Event &e : events.value()) {
        proto::redactFor(role, e);
        size += e.ByteSizeLong() + 8;
        if (size > kPageBudget && batch->events_size() > 0)
            break;
        *batch->add_events() = std::move(e);
    }
    // The head was read first; events appended since then may be in the page, and the head never trails them. A
    // request beyond the head gets the real head, so a station that is ahead learns it (another or restored server).
    const quint64 lastInPage = batch->events_size() > 0 ? batch->events(batch->events_size() - 1).sequence() : 0;
    const quint64 reached = std::max<quint64>(lastInPage, request.after_sequence());
    batch->set_head_sequence(std::max(head.value(), lastInPage));
    batch->set_more(reached < head.value());
    return envelope;
}

Result<v1::Envelope> SyncReader::snapshot(const v1::FetchSnapshot &request)
{
    const quint32 limit = request.limit() == 0 ? kDefaultSnapshotPage : std::min(request.limit(), kMaxSnapshotPage);
    const QUuid after = idFromString(QString::fromStdString(request.after_visit_id()));
    if (!request.after_visit_id().empty() && after.isNull())
        return makeError(ErrorCode::MalformedMessage, u"after_visit_id is not a UUID"_s);
    // The view's cursor first: every row read afterwards reflects at least this position.
    auto position = m_cursors.get(u"view"_s);
    if (!position)
        return position.error();
    auto rows = m_view.page(after, int(limit));
    if (!rows)
        return rows.error();
    v1::Envelope envelope;
    auto *snapshot = envelope.mutable_snapshot();
    snapshot->set_sequence(position.value());
    std::size_t size = 0;
    for (const VisitStatus &row : rows.value()) {
        v1::VisitStatus wire = proto::toProto(row);
        size += wire.ByteSizeLong() + 8;
        if (size > kPageBudget && snapshot->visits_size() > 0)
            break;
        *snapshot->add_visits() = std::move(wire);
    }
    const bool full = std::size_t(snapshot->visits_size()) == rows->size() && rows->size() == limit;
    const bool cut = std::size_t(snapshot->visits_size()) < rows->size();
    snapshot->set_more(full || cut);
    if (snapshot->more())
        snapshot->set_next_visit_id(snapshot->visits(snapshot->visits_size() - 1).visit_id());
    return envelope;
}

} // namespace clinicflow::server
