#include "Inbox.h"

#include "EventLog.h"
#include "PgPipeline.h"
#include "SqlRows.h"
#include "domain/Ids.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

Inbox::Inbox(Database &db, BoundedContext context)
    : m_db(db)
    , m_context(context)
    , m_table(toString(context) + u"_inbox"_s)
    , m_find(db.connection())
    , m_pending(db.connection())
    , m_resolve(db.connection())
    , m_depth(db.connection())
    , m_lastResolution(db.connection())
{
    for (QSqlQuery *q : {&m_find, &m_pending, &m_resolve, &m_depth, &m_lastResolution})
        q->setForwardOnly(true);
    m_find.prepare(u"SELECT %1 FROM %2 WHERE command_id = ?"_s.arg(QStringView(kRecordColumns), m_table));
    // Each station's turn in the queue (issue #12): the first pending command of every station,
    // then the second of every station, and so on, each station's in the order they arrived. A station with
    // thousands pending (a flood, or a workstation back from a day offline) delays another's next command by one
    // turn, not by its whole backlog. Orders across stations are not a promise: each was accepted on its own.
    m_pending.prepare(u"SELECT i.position, i.command_id, i.station, i.received_at_ms, i.acted_at_ms, i.payload "
                      "FROM %1 AS i JOIN (SELECT position, ROW_NUMBER() OVER (PARTITION BY station ORDER BY position) "
                      "AS turn FROM %1 WHERE status = 0) AS p ON p.position = i.position "
                      "ORDER BY p.turn, p.position LIMIT ?"_s.arg(m_table));
    m_resolve.prepare(
        u"UPDATE %1 SET status = ?, result_code = ?, result_message = ?, first_sequence = ?, "
        "last_sequence = ?, resolved_at_ms = ?, resolution = ? WHERE position = ? AND status = 0"_s.arg(m_table));
    m_depth.prepare(u"SELECT COUNT(*) FROM %1 WHERE status = 0"_s.arg(m_table));
    m_lastResolution.prepare(u"SELECT COALESCE(MAX(resolution), 0) FROM %1"_s.arg(m_table));
    m_insertMany = std::make_unique<BatchStatement>(
        db,
        u"INSERT INTO %1 (command_id, station, type, received_at_ms, acted_at_ms, payload, fingerprint) VALUES "_s.arg(
            m_table) +
            u"%1"_s,
        u"(?, ?, ?, ?, ?, ?, ?)"_s);
    m_resolveMany = resolveMany(u"v.f"_s, u"v.l"_s);
}

// Both databases take UPDATE ... FROM (SQLite since 3.33) and a UNION ALL of rows as its source.
std::unique_ptr<BatchStatement> Inbox::resolveMany(const QString &first, const QString &last)
{
    return std::make_unique<BatchStatement>(
        m_db,
        u"UPDATE %1 SET status = %2, result_code = %3, result_message = NULL, first_sequence = %4, "
        "last_sequence = %5, resolved_at_ms = v.ts, resolution = v.r FROM (%6) AS v "
        "WHERE %1.position = v.p AND %1.status = 0"_s.arg(m_table)
            .arg(int(CommandState::Applied))
            .arg(int(ErrorCode::None))
            .arg(first, last, u"%1"_s),
        u"SELECT CAST(? AS BIGINT) AS p, CAST(? AS BIGINT) AS f, CAST(? AS BIGINT) AS l, CAST(? AS BIGINT) AS ts, "
        "CAST(? AS BIGINT) AS r"_s,
        u" UNION ALL "_s);
}

Result<std::optional<CommandRecord>> Inbox::find(const QUuid &commandId)
{
    m_find.bindValue(0, idString(commandId));
    if (!m_find.exec())
        return sqlError(m_find, "looking up a command");
    if (!m_find.next())
        return std::optional<CommandRecord>();
    CommandRecord r = recordFrom(m_find, commandId);
    m_find.finish();
    return std::optional<CommandRecord>(std::move(r));
}

namespace {

template<typename Row>
CommandRecord recordOf(const Row &row, const QUuid &commandId)
{
    CommandRecord r;
    r.commandId = commandId;
    r.station = row.value(0).toString();
    r.state = CommandState(row.value(1).toInt());
    if (r.state == CommandState::Rejected)
        r.rejection = Error{errorCodeFromInt(row.value(2).toInt()), row.value(3).toString()};
    r.firstSequence = row.value(4).toULongLong();
    r.lastSequence = row.value(5).toULongLong();
    r.fingerprint = row.value(6).toByteArray();
    return r;
}

} // namespace

CommandRecord Inbox::recordFrom(const QSqlQuery &row, const QUuid &commandId)
{
    return recordOf(row, commandId);
}

CommandRecord Inbox::recordFrom(const SqlRows &row, const QUuid &commandId)
{
    return recordOf(row, commandId);
}

Result<bool> Inbox::enqueue(const QUuid &commandId, const QString &station, const QString &type,
                            const QByteArray &payload, const QByteArray &fingerprint, qint64 receivedAtMs,
                            qint64 actedAtMs)
{
    return enqueue({Stored{commandId, station, type, payload, fingerprint, receivedAtMs, actedAtMs}});
}

Result<bool> Inbox::enqueue(const std::vector<Stored> &commands)
{
    if (commands.empty())
        return true;
    auto stored = m_insertMany->run(
        commands.size(),
        [&commands](std::size_t i) -> QVariantList {
            const Stored &c = commands[i];
            return {idString(c.commandId), c.station, c.type, c.receivedAtMs, c.actedAtMs, c.payload, c.fingerprint};
        },
        "storing commands in the inbox");
    if (!stored)
        return stored;
    m_db.noteChange(Change::workFor(m_context));
    return true;
}

namespace {
std::vector<InboxCommand> commandsOf(SqlRows &rows)
{
    std::vector<InboxCommand> commands;
    while (rows.next()) {
        commands.push_back(InboxCommand{rows.value(0).toLongLong(), idFromString(rows.value(1).toString()),
                                        rows.value(2).toString(), rows.value(3).toLongLong(),
                                        rows.value(4).toLongLong(), rows.value(5).toByteArray()});
    }
    return commands;
}
} // namespace

Result<std::vector<InboxCommand>> Inbox::pending(int limit)
{
    m_pending.bindValue(0, limit);
    if (!m_pending.exec())
        return sqlError(m_pending, "reading the inbox");
    QueryRows rows(m_pending);
    auto commands = commandsOf(rows);
    m_pending.finish();
    return commands;
}

std::size_t Inbox::queuePending(PgPipeline &pipeline, int limit)
{
    if (m_pendingName.isEmpty())
        m_pendingName = toString(m_context).toLatin1() + "_inbox_pending";
    return pipeline.queue(m_pendingName, PgPipeline::numberedPlaces(m_pending.lastQuery()), {limit},
                          "reading the inbox", true);
}

std::vector<InboxCommand> Inbox::pendingFrom(const std::vector<QVariantList> &rows)
{
    ListedRows listed(rows);
    return commandsOf(listed);
}

Result<bool> Inbox::markApplied(qint64 position, quint64 firstSequence, quint64 lastSequence, qint64 nowMs)
{
    return markApplied({Applied{position, firstSequence, lastSequence}}, nowMs);
}

Result<bool> Inbox::markApplied(const std::vector<Applied> &applied, qint64 nowMs, Sequences sequences)
{
    if (applied.empty())
        return true;
    if (sequences == Sequences::BackFromLastReserved && !m_resolveManyBack) {
        const auto back = [](const QString &distance) {
            return u"CASE %1 WHEN 0 THEN 0 ELSE %2 + 1 - %1 END"_s.arg(distance, EventLog::lastReserved());
        };
        m_resolveManyBack = resolveMany(back(u"v.f"_s), back(u"v.l"_s));
    }
    BatchStatement &statement = sequences == Sequences::Given ? *m_resolveMany : *m_resolveManyBack;
    std::vector<qint64> numbers;
    numbers.reserve(applied.size());
    for (std::size_t i = 0; i < applied.size(); ++i) {
        auto number = nextResolution();
        if (!number)
            return number.error();
        numbers.push_back(number.value());
    }
    auto marked = statement.runExact(
        applied.size(),
        [&](std::size_t i) -> QVariantList {
            return {applied[i].position, qint64(applied[i].firstSequence), qint64(applied[i].lastSequence), nowMs,
                    numbers[i]};
        },
        "recording applied commands",
        [&](std::size_t first, std::size_t count) {
            return u"a command among positions %1 to %2 in the %3 was resolved elsewhere meanwhile: not applied "
                   "twice"_s.arg(applied[first].position)
                       .arg(applied[first + count - 1].position)
                       .arg(m_table);
        });
    if (marked)
        m_db.noteChange(Change::Resolved);
    return marked;
}

Result<bool> Inbox::markRejected(qint64 position, const Error &error, qint64 nowMs)
{
    m_resolve.bindValue(0, int(CommandState::Rejected));
    m_resolve.bindValue(1, int(error.code));
    m_resolve.bindValue(2, error.detail);
    m_resolve.bindValue(3, 0);
    m_resolve.bindValue(4, 0);
    m_resolve.bindValue(5, nowMs);
    if (auto numbered = bindResolution(); !numbered)
        return numbered;
    m_resolve.bindValue(7, position);
    if (!m_resolve.exec())
        return sqlError(m_resolve, "recording a rejected command");
    return resolvedHere(position);
}

// The context's one worker numbers its resolutions from where the committed ones end; a unit that is rolled back
// leaves its numbers unused, a gap nobody waits for.
Result<qint64> Inbox::nextResolution()
{
    if (m_resolution < 0) {
        if (!m_lastResolution.exec() || !m_lastResolution.next())
            return sqlError(m_lastResolution, "reading the last resolution");
        m_resolution = m_lastResolution.value(0).toLongLong();
        m_lastResolution.finish();
    }
    return ++m_resolution;
}

Result<bool> Inbox::bindResolution()
{
    auto number = nextResolution();
    if (!number)
        return number.error();
    m_resolve.bindValue(6, number.value());
    return true;
}

// A command is resolved once: if another process resolved it meanwhile (a second worker of the context, which the
// module locks exist to prevent), this unit fails and rolls back instead of applying it twice.
Result<bool> Inbox::resolvedHere(qint64 position)
{
    if (m_resolve.numRowsAffected() == 1) {
        m_db.noteChange(Change::Resolved);
        return true;
    }
    return makeError(
        ErrorCode::InternalError,
        u"command %1 in the %2 was resolved elsewhere meanwhile: not applied twice"_s.arg(position).arg(m_table));
}

Result<qint64> Inbox::depth()
{
    if (!m_depth.exec() || !m_depth.next())
        return sqlError(m_depth, "counting the inbox");
    const qint64 n = m_depth.value(0).toLongLong();
    m_depth.finish();
    return n;
}

} // namespace clinicflow::server
