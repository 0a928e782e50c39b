// The append-only event log with its global sequence: the source of truth that workers react to, the view projects,
// and stations sync on (ARCHITECTURE §4). Appends happen inside the caller's write transaction.
#pragma once

#include "BatchStatement.h"
#include "Database.h"
#include "domain/Events.h"

#include <QSqlQuery>
#include <memory>
#include <vector>

namespace clinicflow::v1 {
class Event;
}

namespace clinicflow::server {

class PgPipeline;
class SqlRows;

class EventLog
{
    Q_DISABLE_COPY_MOVE(EventLog)
public:
    explicit EventLog(Database &db);
    ~EventLog();

    // Appends in order and sets each event's sequence. Call inside a WriteTransaction. It notes changesOf(events)
    // (Database::noteChange), which the round tells the other processes after its commit.
    // While the database defers statements (PostgreSQL, Database::startDeferring), the reservation of the sequences
    // travels with the events and the rest of the unit, in one message with its COMMIT (or its savepoint's release):
    // the counter is then held only while the database runs that message, never across a round trip to this
    // process. The sequences are set on `events` when that message is answered (sequencesAtAnswer()), so `events`
    // must stay as it is until then; a statement queued after append() in the same transaction names them with
    // lastReserved().
    domain::Result<bool> append(domain::Events &events);
    // Whether the last append() left its sequences to be set when its message is answered.
    bool sequencesAtAnswer() const { return m_atAnswer; }
    // An SQL expression for the last sequence this transaction reserved: the last event of its last append().
    static QString lastReserved();
    // What appending `events` tells the other modules (Change bits): Log, and work for each context that reacts to
    // one of them (domain::reactionsTo), so that a context is not woken by events it would only skip.
    static quint8 changesOf(const domain::Events &events);

    // Up to `limit` events with a sequence above `after`, in order.
    domain::Result<domain::Events> readAfter(quint64 after, int limit);
    // Up to `limit` events of the given types with a sequence above `after`, at most `through` and at most the head,
    // in order, with that head (a worker reads only what it reacts to, up to the head it saw). One statement: the
    // head and the events are of one moment, and a worker's unit spends one round trip on both.
    struct Window
    {
        quint64 head = 0;
        domain::Events events;
    };
    domain::Result<Window> readAfter(quint64 after, quint64 through, int limit, const QStringList &types);
    // The same read queued in `pipeline` (PostgreSQL), to travel in one message with other statements: its place in
    // the answers; windowFrom() reads that answer's rows.
    std::size_t queueReadAfter(PgPipeline &pipeline, quint64 after, quint64 through, int limit,
                               const QStringList &types);
    static domain::Result<Window> windowFrom(const std::vector<QVariantList> &rows);
    // The same, as wire messages (sequence set), for sending to stations without a round trip through the domain.
    domain::Result<std::vector<v1::Event>> readWireAfter(quint64 after, int limit);

    // The same as stored bytes (a clinicflow.v1.Event without its sequence), for publishing without parsing.
    struct RawEvent
    {
        quint64 sequence = 0;
        QByteArray payload;
    };
    domain::Result<std::vector<RawEvent>> readRawAfter(quint64 after, int limit);

    // The highest sequence appended, 0 for an empty log.
    domain::Result<quint64> head();

private:
    bool prepare(QSqlQuery &query, const QString &sql);
    domain::Result<bool> appendReserved(domain::Events &events);

    Database &m_db;
    QSqlQuery m_insert;
    QSqlQuery m_select;
    QSqlQuery m_head;
    QSqlQuery m_selectTypes;
    QSqlQuery m_reserve;                                   // where the dialect reserves sequences
    std::unique_ptr<BatchStatement> m_inserts;             // there, many events per statement
    std::unique_ptr<BatchStatement> m_insertsBeforeAnswer; // the same, each sequence counted back from lastReserved()
    bool m_reserves = false;
    bool m_atAnswer = false;
    QStringList m_types;          // what m_selectTypes filters on
    QStringList m_pipelinedTypes; // what the statement prepared as m_pipelinedName filters on
    QByteArray m_pipelinedName;   // unique in the process: event logs of several workers may share a connection
};

} // namespace clinicflow::server
