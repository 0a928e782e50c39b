#include "EventLog.h"

#include "PgPipeline.h"
#include "SqlRows.h"
#include "clinicflow/v1/events.pb.h"
#include "domain/Saga.h"
#include "proto/Convert.h"

#include <QSqlError>
#include <atomic>

using namespace Qt::StringLiterals;
using clinicflow::domain::ErrorCode;
using clinicflow::domain::makeError;

namespace clinicflow::server {

namespace {
constexpr QStringView kEventColumns =
    u"event_id, type, context, aggregate_id, visit_id, causation_id, station, at_ms, payload";

QVariantList rowOf(const domain::Event &e)
{
    const std::string bytes = proto::toProto(e).SerializeAsString();
    return {domain::idString(e.id),
            domain::eventTypeName(e.payload),
            domain::toString(domain::eventContext(e.payload)),
            domain::idString(e.aggregateId),
            domain::idString(e.visitId),
            domain::idString(e.causationId),
            e.station,
            e.at.toMSecsSinceEpoch(),
            QByteArray(bytes.data(), qsizetype(bytes.size()))};
}
} // namespace

EventLog::EventLog(Database &db)
    : m_db(db)
    , m_insert(db.connection())
    , m_select(db.connection())
    , m_head(db.connection())
    , m_selectTypes(db.connection())
    , m_reserve(db.connection())
    , m_reserves(db.dialect().reservesSequences())
{
    // Where the database takes one writer at a time (SQLite), the sequence is the row id, read back without
    // RETURNING: RETURNING makes SQLite open a statement journal for every insert, a tenth of the write
    // connection's time under load. Elsewhere the transaction reserves its numbers first (Dialect.h), holding the
    // counter until it commits: an append reserves once and writes its events in a few statements of many rows, so
    // that the other processes wait for the counter as briefly as possible.
    if (m_reserves) {
        prepare(m_reserve, u"UPDATE log_head SET sequence = sequence + ? WHERE id = 1 RETURNING sequence"_s);
        m_inserts = std::make_unique<BatchStatement>(
            db, u"INSERT INTO event_log ("_s + kEventColumns.toString() + u", sequence) VALUES %1"_s,
            u"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
        m_insertsBeforeAnswer = std::make_unique<BatchStatement>(
            db, u"INSERT INTO event_log ("_s + kEventColumns.toString() + u", sequence) VALUES %1"_s,
            u"(?, ?, ?, ?, ?, ?, ?, ?, ?, "_s + lastReserved() + u" - CAST(? AS BIGINT))"_s);
    } else {
        prepare(m_insert, u"INSERT INTO event_log (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s.arg(kEventColumns));
    }
    prepare(m_select, u"SELECT sequence, payload FROM event_log WHERE sequence > ? ORDER BY sequence LIMIT ?"_s);
    prepare(m_head, u"SELECT COALESCE(MAX(sequence), 0) FROM event_log"_s);
}

EventLog::~EventLog() = default;

QString EventLog::lastReserved()
{
    // Read in the transaction that reserved it, which holds the row until its commit: no one else moves it meanwhile.
    return u"(SELECT sequence FROM log_head WHERE id = 1)"_s;
}

quint8 EventLog::changesOf(const domain::Events &events)
{
    quint8 changes = events.empty() ? 0 : Change::Log;
    for (const domain::Event &e : events) {
        for (const domain::Reaction &reaction : domain::reactionsTo(e))
            changes |= Change::workFor(reaction.context);
    }
    return changes;
}

bool EventLog::prepare(QSqlQuery &query, const QString &sql)
{
    query.setForwardOnly(true);
    return query.prepare(sql);
}

domain::Result<bool> EventLog::append(domain::Events &events)
{
    m_atAnswer = false;
    if (events.empty())
        return true;
    m_db.noteChange(changesOf(events));
    if (m_reserves)
        return appendReserved(events);
    for (domain::Event &e : events) {
        bindAll(m_insert, rowOf(e));
        if (!m_insert.exec())
            return sqlError(m_insert, "appending to the event log");
        e.sequence = m_insert.lastInsertId().toULongLong();
    }
    return true;
}

// One reservation for all the events, then statements of many rows.
domain::Result<bool> EventLog::appendReserved(domain::Events &events)
{
    const std::size_t count = events.size();
    if (PgPipeline *pipeline = m_db.isDeferring() ? m_db.pipeline() : nullptr) {
        // Queued with what the unit queued before it (Database::startDeferring), the events after it: each event's
        // sequence is counted back from the one reserved last, and the database computes it. The answer sets them
        // here, once every statement of the message ran (a reservation that found no log head fails the message:
        // its events' sequences would be NULL).
        pipeline->queue(
            "cf_reserve_sequences", u"UPDATE log_head SET sequence = sequence + $1 WHERE id = 1 RETURNING sequence"_s,
            {qint64(count)}, "reserving event sequences", true, [&events, count](const PgPipeline::Answer &answer) {
                const quint64 last = answer.values.empty() ? 0 : answer.values.front().value(0).toULongLong();
                quint64 next = last - count + 1;
                for (domain::Event &e : events)
                    e.sequence = next++;
            });
        m_atAnswer = true;
        return m_insertsBeforeAnswer->run(
            count,
            [&events, count](std::size_t i) {
                QVariantList row = rowOf(events[i]);
                row.append(qint64(count - 1 - i));
                return row;
            },
            "appending to the event log");
    }
    m_reserve.bindValue(0, qint64(count));
    if (!m_reserve.exec() || !m_reserve.next())
        return sqlError(m_reserve, "reserving event sequences");
    const quint64 last = m_reserve.value(0).toULongLong();
    m_reserve.finish();
    quint64 next = last - count + 1;
    for (domain::Event &e : events)
        e.sequence = next++;
    return m_inserts->run(
        count,
        [&events](std::size_t i) {
            QVariantList row = rowOf(events[i]);
            row.append(qint64(events[i].sequence));
            return row;
        },
        "appending to the event log");
}

namespace {

domain::Result<std::vector<EventLog::RawEvent>> rawRows(QSqlQuery &query, quint64 after, int limit)
{
    query.bindValue(0, qint64(after));
    query.bindValue(1, limit);
    if (!query.exec())
        return sqlError(query, "reading the event log");
    std::vector<EventLog::RawEvent> events;
    while (query.next())
        events.push_back(EventLog::RawEvent{query.value(0).toULongLong(), query.value(1).toByteArray()});
    query.finish();
    return events;
}

domain::Result<std::vector<v1::Event>> parsed(domain::Result<std::vector<EventLog::RawEvent>> raw)
{
    if (!raw)
        return raw.error();
    std::vector<v1::Event> events;
    events.reserve(raw->size());
    for (const EventLog::RawEvent &r : raw.value()) {
        v1::Event event;
        if (!event.ParseFromArray(r.payload.constData(), int(r.payload.size())))
            return makeError(ErrorCode::InternalError, u"event %1 in the log is unreadable"_s.arg(r.sequence));
        event.set_sequence(r.sequence);
        events.push_back(std::move(event));
    }
    return events;
}

domain::Result<domain::Events> converted(domain::Result<std::vector<v1::Event>> wire)
{
    if (!wire)
        return wire.error();
    domain::Events events;
    events.reserve(wire->size());
    for (const v1::Event &w : wire.value()) {
        auto e = proto::fromProto(w);
        if (!e)
            return makeError(ErrorCode::InternalError,
                             u"event %1 in the log is unreadable: %2"_s.arg(w.sequence()).arg(e.error().message()));
        events.push_back(std::move(e).value());
    }
    return events;
}

} // namespace

domain::Result<std::vector<EventLog::RawEvent>> EventLog::readRawAfter(quint64 after, int limit)
{
    return rawRows(m_select, after, limit);
}

domain::Result<std::vector<v1::Event>> EventLog::readWireAfter(quint64 after, int limit)
{
    return parsed(rawRows(m_select, after, limit));
}

domain::Result<domain::Events> EventLog::readAfter(quint64 after, int limit)
{
    return converted(readWireAfter(after, limit));
}

namespace {
// Type names are the domain's own constants, never input: safe to place in the statement. The range has both ends:
// PostgreSQL plans a prepared statement once for any values, and for a range open at one end with a filter it may
// choose to read the whole table (it did, at 4 ms a read, once the log had grown); a range closed at both ends is
// planned as a short index range whatever the values. The head comes with every row, and alone (sequence NULL) when
// no event is in the range.
QString windowSql(const QStringList &types)
{
    return u"WITH h AS (SELECT COALESCE(MAX(sequence), 0) AS head FROM event_log) "
           "SELECT h.head, e.sequence, e.payload FROM h LEFT JOIN (SELECT sequence, payload FROM event_log "
           "WHERE sequence > ? AND sequence <= ? AND sequence <= (SELECT head FROM h) AND type IN ('%1') "
           "ORDER BY sequence LIMIT ?) AS e ON 1 = 1 ORDER BY e.sequence"_s.arg(types.join(u"', '"_s));
}

domain::Result<EventLog::Window> windowOf(SqlRows &rows)
{
    EventLog::Window window;
    std::vector<EventLog::RawEvent> raw;
    while (rows.next()) {
        window.head = rows.value(0).toULongLong();
        if (!rows.value(1).isNull())
            raw.push_back(EventLog::RawEvent{rows.value(1).toULongLong(), rows.value(2).toByteArray()});
    }
    auto events = converted(parsed(std::move(raw)));
    if (!events)
        return events.error();
    window.events = std::move(events).value();
    return window;
}
} // namespace

domain::Result<EventLog::Window> EventLog::readAfter(quint64 after, quint64 through, int limit,
                                                     const QStringList &types)
{
    if (types != m_types) {
        prepare(m_selectTypes, windowSql(types));
        m_types = types;
    }
    m_selectTypes.bindValue(0, qint64(after));
    m_selectTypes.bindValue(1, qint64(through));
    m_selectTypes.bindValue(2, limit);
    if (!m_selectTypes.exec())
        return sqlError(m_selectTypes, "reading the event log");
    QueryRows rows(m_selectTypes);
    auto window = windowOf(rows);
    m_selectTypes.finish();
    return window;
}

std::size_t EventLog::queueReadAfter(PgPipeline &pipeline, quint64 after, quint64 through, int limit,
                                     const QStringList &types)
{
    if (types != m_pipelinedTypes || m_pipelinedName.isEmpty()) {
        if (!m_pipelinedName.isEmpty())
            pipeline.forget(m_pipelinedName);
        static std::atomic<int> names{0};
        m_pipelinedName = "log_window_" + QByteArray::number(++names);
        m_pipelinedTypes = types;
    }
    return pipeline.queue(m_pipelinedName, PgPipeline::numberedPlaces(windowSql(types)),
                          {qint64(after), qint64(through), limit}, "reading the event log", true);
}

domain::Result<EventLog::Window> EventLog::windowFrom(const std::vector<QVariantList> &rows)
{
    ListedRows listed(rows);
    return windowOf(listed);
}

domain::Result<quint64> EventLog::head()
{
    if (!m_head.exec() || !m_head.next())
        return sqlError(m_head, "reading the log head");
    const quint64 head = m_head.value(0).toULongLong();
    m_head.finish();
    return head;
}

} // namespace clinicflow::server
