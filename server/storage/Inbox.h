// A context's durable inbox. The gateway stores accepted commands here (that is what `Queued` promises); the
// context's worker takes them in order and records each one's outcome on the same row, which then serves as the
// command's idempotency record and audit trail (station, content fingerprint, time, result).
#pragma once

#include "BatchStatement.h"
#include "Database.h"
#include "domain/Types.h"

#include <QSqlQuery>
#include <QUuid>
#include <memory>
#include <optional>
#include <vector>

namespace clinicflow::server {

class PgPipeline;

enum class CommandState
{
    Pending = 0,
    Applied = 1,
    Rejected = 2
};

struct CommandRecord
{
    QUuid commandId;
    QString station;
    CommandState state = CommandState::Pending;
    domain::Error rejection;   // when rejected: the code and its detail
    quint64 firstSequence = 0; // when applied: the events it appended (none for a command that changed nothing)
    quint64 lastSequence = 0;
    QByteArray fingerprint; // of the command's content (CommandIntake); empty for rows stored before schema 5
};

struct InboxCommand
{
    qint64 position = 0;
    QUuid commandId;
    QString station;
    qint64 receivedAtMs = 0; // when the gateway stored it
    qint64 actedAtMs = 0;    // when the user acted, by the station's clock (it may have been offline)
    QByteArray payload;      // a serialized clinicflow.v1.Command
};

class Inbox
{
    Q_DISABLE_COPY_MOVE(Inbox)
public:
    Inbox(Database &db, domain::BoundedContext context);

    domain::BoundedContext context() const { return m_context; }

    // Gateway side.
    domain::Result<std::optional<CommandRecord>> find(const QUuid &commandId);
    domain::Result<bool> enqueue(const QUuid &commandId, const QString &station, const QString &type,
                                 const QByteArray &payload, const QByteArray &fingerprint, qint64 receivedAtMs,
                                 qint64 actedAtMs);
    struct Stored
    {
        QUuid commandId;
        QString station;
        QString type;
        QByteArray payload;
        QByteArray fingerprint;
        qint64 receivedAtMs = 0;
        qint64 actedAtMs = 0;
    };
    // The same for many commands, in that order, in a few statements.
    domain::Result<bool> enqueue(const std::vector<Stored> &commands);

    // Worker side, inside the worker's transaction.
    // Up to `limit` pending commands, the stations taking turns (each station's in the order they arrived).
    domain::Result<std::vector<InboxCommand>> pending(int limit);
    // The same read queued in `pipeline` (PostgreSQL), to travel in one message with other statements: its place in
    // the answers; pendingFrom() reads that answer's rows.
    std::size_t queuePending(PgPipeline &pipeline, int limit);
    static std::vector<InboxCommand> pendingFrom(const std::vector<QVariantList> &rows);
    domain::Result<bool> markApplied(qint64 position, quint64 firstSequence, quint64 lastSequence, qint64 nowMs);
    struct Applied
    {
        qint64 position = 0;
        quint64 firstSequence = 0;
        quint64 lastSequence = 0;
    };
    // Where the sequences of Applied are: given, or counted back from the last sequence this transaction reserved
    // (EventLog::lastReserved(), 1 being that last one), for events whose sequences are set only when their message
    // is answered (EventLog::sequencesAtAnswer()); the database computes them. 0 is none in both.
    enum class Sequences
    {
        Given,
        BackFromLastReserved
    };
    // The same for many commands, in that order, in a few statements.
    domain::Result<bool> markApplied(const std::vector<Applied> &applied, qint64 nowMs,
                                     Sequences sequences = Sequences::Given);
    domain::Result<bool> markRejected(qint64 position, const domain::Error &error, qint64 nowMs);
    // Each resolution (applied or rejected) is numbered, in the order this context's one worker commits them
    // (module locks make it one, and it commits from one connection): another process reads the outcomes after the
    // last it has seen in one range read (RemoteOutcomes) instead of asking for every command it waits for.

    domain::Result<qint64> depth(); // commands still pending

    // A record from a row of (station, status, result_code, result_message, first_sequence, last_sequence,
    // fingerprint): kRecordColumns, in that order.
    static CommandRecord recordFrom(const QSqlQuery &row, const QUuid &commandId);
    static CommandRecord recordFrom(const SqlRows &row, const QUuid &commandId);
    static constexpr const char16_t *kRecordColumns =
        u"station, status, result_code, result_message, first_sequence, last_sequence, fingerprint";

private:
    domain::Result<bool> resolvedHere(qint64 position);
    domain::Result<bool> bindResolution();
    // The statement that marks many commands applied, with these expressions for their sequences (of v.f, v.l).
    std::unique_ptr<BatchStatement> resolveMany(const QString &first, const QString &last);
    domain::Result<qint64> nextResolution();

    Database &m_db;
    domain::BoundedContext m_context;
    QString m_table;
    QSqlQuery m_find;
    QSqlQuery m_pending;
    QByteArray m_pendingName; // as queuePending() prepares it
    QSqlQuery m_resolve;
    QSqlQuery m_depth;
    QSqlQuery m_lastResolution;
    std::unique_ptr<BatchStatement> m_resolveMany;
    std::unique_ptr<BatchStatement> m_resolveManyBack; // Sequences::BackFromLastReserved, made when first needed
    std::unique_ptr<BatchStatement> m_insertMany;
    qint64 m_resolution = -1; // the last number given, once read
};

} // namespace clinicflow::server
