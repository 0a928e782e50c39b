#include "RemoteOutcomes.h"

#include "domain/Ids.h"
#include "storage/Inbox.h"
#include "storage/PgPipeline.h"
#include "storage/SqlRows.h"

#include <optional>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

namespace {
constexpr std::array kContexts{BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination};

Outcome outcomeFrom(const SqlRows &row, int idColumn)
{
    const CommandRecord r = Inbox::recordFrom(row, idFromString(row.value(idColumn).toString()));
    return Outcome{r.commandId,     r.station,      r.state == CommandState::Applied,
                   r.firstSequence, r.lastSequence, r.rejection};
}

Outcome outcomeFrom(QSqlQuery &q, int idColumn)
{
    return outcomeFrom(QueryRows(q), idColumn);
}
} // namespace

RemoteOutcomes::RemoteOutcomes(Database &db)
    : m_db(db)
    , m_queries{QSqlQuery(db.connection()), QSqlQuery(db.connection()), QSqlQuery(db.connection())}
    , m_since{QSqlQuery(db.connection()), QSqlQuery(db.connection()), QSqlQuery(db.connection())}
    , m_last(db.connection())
{
    QStringList marks;
    for (int i = 0; i < kIdsPerQuery; ++i)
        marks.append(u"?"_s);
    for (auto context : kContexts) {
        QSqlQuery &q = m_queries[std::size_t(context)];
        q.setForwardOnly(true);
        q.prepare(u"SELECT %1, command_id FROM %2_inbox WHERE status <> %3 AND command_id IN (%4)"_s.arg(
            QStringView(Inbox::kRecordColumns), toString(context), QString::number(int(CommandState::Pending)),
            marks.join(u", "_s)));
        QSqlQuery &since = m_since[std::size_t(context)];
        since.setForwardOnly(true);
        // A range closed at both ends, the last resolution read first (an index's end): PostgreSQL then plans a
        // short index range whatever the table's statistics say; open at one end, with a new table's guessed
        // statistics, it read the whole inbox and sorted it (4 ms a look).
        since.prepare(u"SELECT %1, command_id, resolution FROM %2_inbox WHERE resolution > ? AND resolution <= ? "
                      "ORDER BY resolution LIMIT %3"_s.arg(QStringView(Inbox::kRecordColumns), toString(context))
                          .arg(kPage));
        // On PostgreSQL the range ends at the inbox's last resolution read in the same statement: one round trip.
        m_uptoSql[std::size_t(context)] =
            u"SELECT %1, command_id, resolution FROM %2_inbox WHERE resolution > $1 AND resolution <= "
            "(SELECT COALESCE(MAX(resolution), 0) FROM %2_inbox) ORDER BY resolution LIMIT %3"_s
                .arg(QStringView(Inbox::kRecordColumns), toString(context))
                .arg(kPage);
    }
    QStringList lasts; // in kContexts' order, which is BoundedContext's
    for (auto context : kContexts)
        lasts.append(u"(SELECT COALESCE(MAX(resolution), 0) FROM %1_inbox)"_s.arg(toString(context)));
    m_last.setForwardOnly(true);
    m_last.prepare(u"SELECT "_s + lasts.join(u", "_s));
}

Result<std::array<qint64, 3>> RemoteOutcomes::lastResolutions()
{
    if (PgPipeline *pipeline = m_db.pipeline()) {
        const std::size_t at =
            pipeline->queue("remote_last", m_last.lastQuery(), {}, "reading the last resolutions", true);
        auto sent = pipeline->send();
        if (!sent)
            return sent.error();
        const std::vector<QVariantList> &rows = sent->at(at).values;
        if (rows.size() != 1 || rows.front().size() != 3)
            return makeError(ErrorCode::InternalError, u"reading the last resolutions: no row"_s);
        std::array<qint64, 3> last{};
        for (auto context : kContexts)
            last[std::size_t(context)] = rows.front().at(int(context)).toLongLong();
        return last;
    }
    if (!m_last.exec() || !m_last.next())
        return sqlError(m_last, "reading the last resolutions");
    std::array<qint64, 3> last{};
    for (auto context : kContexts)
        last[std::size_t(context)] = m_last.value(int(context)).toLongLong();
    m_last.finish();
    return last;
}

Result<bool> RemoteOutcomes::start()
{
    auto last = lastResolutions();
    if (!last)
        return last.error();
    m_seen = last.value();
    return true;
}

Result<bool> RemoteOutcomes::resolvedElsewhere(const std::array<bool, 3> &localContexts, std::vector<Outcome> &outcomes)
{
    if (m_db.pipeline())
        return readAllSince(localContexts, outcomes);
    auto last = lastResolutions();
    if (!last)
        return last.error();
    for (auto context : kContexts) {
        if (localContexts[std::size_t(context)])
            continue;
        if (auto read = readSince(context, last.value()[std::size_t(context)], outcomes); !read)
            return read;
    }
    return true;
}

Result<bool> RemoteOutcomes::readSince(BoundedContext context, qint64 last, std::vector<Outcome> &outcomes)
{
    QSqlQuery &q = m_since[std::size_t(context)];
    qint64 &seen = m_seen[std::size_t(context)];
    while (seen < last) {
        q.bindValue(0, seen);
        q.bindValue(1, last);
        if (!q.exec())
            return sqlError(q, "reading outcomes resolved by another process");
        int rows = 0;
        while (q.next()) {
            outcomes.push_back(outcomeFrom(q, kIdColumn));
            seen = q.value(kIdColumn + 1).toLongLong();
            ++rows;
        }
        q.finish();
        if (rows < kPage)
            break;
    }
    return true;
}

// On PostgreSQL the range reads of every context not local here go in one message, their values bound, each to its
// inbox's last resolution as the statement sees it: one round trip a look, where reading the last resolutions first
// took two (and the gateway's loop waits for it).
Result<bool> RemoteOutcomes::readAllSince(const std::array<bool, 3> &localContexts, std::vector<Outcome> &outcomes)
{
    PgPipeline &pipeline = *m_db.pipeline();
    static const std::array<QByteArray, 3> kNames{"remote_upto_0", "remote_upto_1", "remote_upto_2"};
    std::array<bool, 3> reading{}; // a context whose range has rows left to read
    for (auto context : kContexts)
        reading[std::size_t(context)] = !localContexts[std::size_t(context)];
    for (;;) {
        std::array<std::optional<std::size_t>, 3> asked;
        for (auto context : kContexts) {
            const auto c = std::size_t(context);
            if (reading[c])
                asked[c] = pipeline.queue(kNames[c], m_uptoSql[c], {m_seen[c]},
                                          "reading outcomes resolved by another process", true);
        }
        if (!pipeline.hasQueued())
            return true;
        auto sent = pipeline.send();
        if (!sent)
            return sent.error();
        bool more = false;
        for (auto context : kContexts) {
            const auto c = std::size_t(context);
            if (!asked[c])
                continue;
            const std::vector<QVariantList> &rows = sent->at(*asked[c]).values;
            ListedRows row(rows);
            while (row.next()) {
                outcomes.push_back(outcomeFrom(row, kIdColumn));
                m_seen[c] = row.value(kIdColumn + 1).toLongLong();
            }
            reading[c] = int(rows.size()) == kPage; // a full page: the rest of the range is read next
            more = more || reading[c];
        }
        if (!more)
            return true;
    }
}

Result<std::vector<Outcome>> RemoteOutcomes::resolved(BoundedContext context, const QList<QUuid> &commandIds)
{
    QSqlQuery &q = m_queries[std::size_t(context)];
    std::vector<Outcome> outcomes;
    for (qsizetype first = 0; first < commandIds.size(); first += kIdsPerQuery) {
        for (int i = 0; i < kIdsPerQuery; ++i) {
            const qsizetype at = first + i;
            // Unused places match nothing: no command id is empty.
            q.bindValue(i, at < commandIds.size() ? idString(commandIds.at(at)) : u""_s);
        }
        if (!q.exec())
            return sqlError(q, "reading outcomes resolved by another process");
        while (q.next())
            outcomes.push_back(outcomeFrom(q, kIdColumn));
        q.finish();
    }
    return outcomes;
}

} // namespace clinicflow::server
