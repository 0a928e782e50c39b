#include "ContextWorker.h"

#include "DiagnosisContext.h"
#include "ExaminationContext.h"
#include "ReceptionContext.h"
#include "clinicflow/v1/commands.pb.h"
#include "common/Logging.h"
#include "domain/ActedAt.h"
#include "proto/Convert.h"
#include "storage/PgPipeline.h"

#include <iterator>
#include <optional>
#include <tuple>
#include <utility>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {
namespace {
constexpr int kBatchSize = 256; // events and commands per transaction: group commit keeps synchronous=FULL fast
constexpr quint64 kScanned = 8; // a read of the log looks at most this many times the batch's sequences

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The time a command's events carry: when the user acted, as the station saw it (a registration made offline at
// 09:00 says 09:00), unless the station's clock is ahead of the server's, which cannot be right.
QDateTime actedAt(const InboxCommand &command)
{
    const qint64 acted = command.actedAtMs > 0 ? command.actedAtMs : command.receivedAtMs;
    return QDateTime::fromMSecsSinceEpoch(std::min(acted, std::max(command.receivedAtMs, nowMs())), Qt::UTC);
}

Result<Command> decodeStored(const InboxCommand &command)
{
    v1::Command wire;
    if (!wire.ParseFromArray(command.payload.constData(), int(command.payload.size())))
        return makeError(ErrorCode::MalformedMessage, u"stored command is unreadable"_s);
    return proto::fromProto(wire);
}
} // namespace

LogCategory categoryOf(BoundedContext context)
{
    switch (context) {
    case BoundedContext::Reception:
        return common::lcReception;
    case BoundedContext::Diagnosis:
        return common::lcDiagnosis;
    case BoundedContext::Examination:
        break;
    }
    return common::lcExamination;
}

// A unit's work. Its events are appended together at its end (one reservation of sequences on PostgreSQL, held
// until the commit, so taken as late as possible), then the commands that made them are marked applied with them.
struct ContextWorker::Batch
{
    struct Applied
    {
        std::size_t outcome = 0; // in outcomes
        qint64 position = 0;     // in the inbox
        std::size_t first = 0;   // its events in events
        std::size_t count = 0;
    };
    std::vector<Outcome> outcomes;
    std::vector<AuditEntry> audits;
    Events events;
    std::vector<Applied> applied;
    std::optional<quint64> cursor; // to store with the unit's effects
    bool appended = false;
    quint8 changes = 0; // the events' Change bits: whom they wake
    bool more = false;

    // The first and last sequences of the events `a` made (0 and 0 for none), once append() set them.
    std::pair<quint64, quint64> sequencesOf(const Applied &a) const
    {
        if (a.count == 0)
            return {0, 0};
        return {events[a.first].sequence, events[a.first + a.count - 1].sequence};
    }
};

ContextWorker::ContextWorker(BoundedContext context, GroupCommit &commit, Catalogue catalogue, Bus &bus)
    : WorkerThread(toString(context), commit, doorbellOf(bus, context), categoryOf(context))
    , m_context(context)
    , m_catalogue(std::move(catalogue))
    , m_bus(bus)
{
}

ContextWorker::~ContextWorker()
{
    stop();
}

Doorbell &ContextWorker::doorbellOf(Bus &bus, BoundedContext context)
{
    switch (context) {
    case BoundedContext::Reception:
        return bus.reception();
    case BoundedContext::Diagnosis:
        return bus.diagnosis();
    case BoundedContext::Examination:
        break;
    }
    return bus.examination();
}

Result<bool> ContextWorker::open(Database &db)
{
    m_db = &db;
    m_log = std::make_unique<EventLog>(db);
    m_inbox = std::make_unique<Inbox>(db, m_context);
    m_cursors = std::make_unique<Cursors>(db);
    m_audit = std::make_unique<AuditTrail>(db);
    switch (m_context) {
    case BoundedContext::Reception:
        m_handler = std::make_unique<ReceptionContext>(db, m_catalogue, Keeping::Aggregates);
        break;
    case BoundedContext::Diagnosis:
        m_handler = std::make_unique<DiagnosisContext>(db, m_catalogue, Keeping::Aggregates);
        break;
    case BoundedContext::Examination:
        m_handler = std::make_unique<ExaminationContext>(db, m_catalogue, Keeping::Aggregates);
        break;
    }
    auto cursor = m_cursors->get(name());
    if (!cursor)
        return cursor.error();
    m_cursor = cursor.value();
    return true;
}

void ContextWorker::close()
{
    m_handler.reset();
    m_audit.reset();
    m_cursors.reset();
    m_inbox.reset();
    m_log.reset();
}

Result<bool> ContextWorker::step()
{
    Batch batch;
    const quint64 cursorBefore = m_cursor;
    auto processed = runUnit([&](Database &) { return process(batch, m_careful ? 1 : kBatchSize); },
                             GroupCommit::Opening::Pipelined);
    if (!processed) {
        m_handler->forget(); // the unit's writes were rolled back
        m_cursor = cursorBefore;
        // The database's own failure (its disk full or failing, its connection lost, a conflict, an operator's
        // cancel) is no item's: nothing is set aside for it, and the batch is tried again later as it is
        // (WorkerThread waits longer after each failure). Rejecting a command then would lose what a user did.
        if (processed.error().retryable)
            return processed.error();
        if (!m_careful) {
            m_careful = true; // retry one item at a time to find the one that fails
            qCWarning(log()).noquote() << name()
                                       << "batch failed, retrying item by item:" << processed.error().message();
            return true;
        }
        return quarantine(processed.error());
    }
    m_careful = false;
    // The events' sequences are set now that the unit committed (EventLog::append).
    for (const Batch::Applied &a : batch.applied) {
        Outcome &outcome = batch.outcomes[a.outcome];
        std::tie(outcome.firstSequence, outcome.lastSequence) = batch.sequencesOf(a);
    }
    if (!batch.outcomes.empty())
        m_bus.post(std::move(batch.outcomes));
    if (batch.appended)
        m_bus.logAdvanced(batch.changes);
    return batch.more;
}

Result<bool> ContextWorker::process(Batch &batch, int limit)
{
    m_failedEvent = 0;
    m_failedCommand.reset();
    // Events first: a command should meet the state the saga has already reached. Only the types this context
    // reacts to are read, up to the head read with them (every event up to it is committed and visible, on
    // PostgreSQL too: sequences commit in order), and at most kScanned sequences on: a step's work stays bounded
    // when the context is far behind. The cursor still moves over the other types.
    const quint64 bound = m_cursor + quint64(limit) * kScanned;
    std::vector<InboxCommand> commands;
    auto window = readWork(bound, limit, commands);
    if (!window)
        return window.error();
    const quint64 head = window->head;
    const quint64 through = std::min(head, bound);
    const Events &events = window->events;
    // Retried item by item, one event or else one command.
    const int commandLimit = m_careful && !events.empty() ? 0 : limit;
    if (commandLimit == 0)
        commands.clear();
    // What the events and the commands act on is read together, in a few statements, not one load each.
    if (auto fetched = prefetch(events, commands); !fetched)
        return fetched.error();
    for (const Event &event : events) {
        m_failedEvent = event.sequence;
        if (auto reacted = reactTo(batch, event); !reacted)
            return reacted.error();
        m_cursor = event.sequence;
    }
    m_failedEvent = 0;
    const bool eventsFull = int(events.size()) == limit;
    if (!eventsFull)
        m_cursor = std::max(m_cursor, through);
    const bool eventsLeft = eventsFull || m_cursor < head;
    // The cursor is stored with the effects it guards (writeUnit). Moving over events this context ignores needs no
    // write (and no fsync): after a restart they are read again and ignored again.
    if (!events.empty())
        batch.cursor = m_cursor;
    const quint64 lastEvent = events.empty() ? 0 : events.back().sequence;
    for (const InboxCommand &command : commands) {
        m_failedCommand = command;
        if (auto applied = apply(batch, command); !applied)
            return applied.error();
    }
    m_failedCommand.reset();
    // Retried item by item, a failure here is the one item's; and so is one that surfaces once the unit's writes are
    // sent, with its savepoint's release or its commit (PostgreSQL defers them): the unit carries that item alone.
    if (m_careful && commands.empty())
        m_failedEvent = lastEvent;
    else if (m_careful)
        m_failedCommand = commands.back();
    if (auto appended = appendAndMarkApplied(batch); !appended)
        return appended;
    batch.more = eventsLeft || int(commands.size()) == commandLimit;
    return true;
}

// The events and the commands of a unit. On PostgreSQL both reads go in one message, with the unit's BEGIN
// (GroupCommit::Opening::Pipelined): one round trip where there were three. Through the driver, one read each.
Result<EventLog::Window> ContextWorker::readWork(quint64 bound, int limit, std::vector<InboxCommand> &commands)
{
    const QStringList types = eventTypesReactedToBy(m_context);
    if (PgPipeline *pipeline = m_db->pipeline()) {
        const std::size_t windowAt = m_log->queueReadAfter(*pipeline, m_cursor, bound, limit, types);
        const std::size_t pendingAt = m_inbox->queuePending(*pipeline, limit);
        auto sent = pipeline->send();
        if (!sent)
            return sent.error();
        commands = Inbox::pendingFrom(sent->at(pendingAt).values);
        return EventLog::windowFrom(sent->at(windowAt).values);
    }
    auto window = m_log->readAfter(m_cursor, bound, limit, types);
    if (!window)
        return window.error();
    if (!m_careful || window->events.empty()) {
        auto pending = m_inbox->pending(limit);
        if (!pending)
            return pending.error();
        commands = std::move(pending).value();
    }
    return window;
}

// The unit's writes that wait for its end, each in a few statements of many rows: its cursor, the aggregates it
// saved, the audit trail, then the events (the reservation of their sequences, on PostgreSQL, is held until the
// commit), then the commands they record as applied; the round tells the other processes after its commit. Where the
// database takes statements together (PostgreSQL), they all travel in one message with the COMMIT (or the release of
// the unit's savepoint) instead of a round trip each, the sequences computed by the database (EventLog::append): the
// reservation is held only while the database runs the rest of that message and makes it durable. Retried item by
// item, each statement goes alone, so that a failing one answers with its own error.
Result<bool> ContextWorker::appendAndMarkApplied(Batch &batch)
{
    if (!m_careful)
        m_db->startDeferring();
    auto written = writeUnit(batch);
    if (!written) {
        m_db->dropDeferred();
        return written;
    }
    m_db->finishDeferring(); // what waits travels with the commit
    return true;
}

Result<bool> ContextWorker::writeUnit(Batch &batch)
{
    if (batch.cursor) {
        if (auto saved = m_cursors->set(name(), *batch.cursor); !saved)
            return saved;
    }
    if (auto saved = m_handler->flush(); !saved)
        return saved;
    if (auto audited = m_audit->append(batch.audits); !audited)
        return audited;
    if (!batch.events.empty()) {
        batch.changes = EventLog::changesOf(batch.events);
        if (auto appended = m_log->append(batch.events); !appended)
            return appended;
        batch.appended = true;
    }
    // Each command's events by their sequences, or where those are known only once the commit is answered
    // (PostgreSQL), by their places back from the last one reserved: the database computes them.
    const bool back = batch.appended && m_log->sequencesAtAnswer();
    const std::size_t appended = batch.events.size();
    std::vector<Inbox::Applied> marks;
    marks.reserve(batch.applied.size());
    for (const Batch::Applied &a : batch.applied) {
        Inbox::Applied mark{a.position, 0, 0};
        if (a.count > 0 && back) {
            mark.firstSequence = appended - a.first;
            mark.lastSequence = appended - (a.first + a.count - 1);
        } else {
            std::tie(mark.firstSequence, mark.lastSequence) = batch.sequencesOf(a);
        }
        marks.push_back(mark);
    }
    return m_inbox->markApplied(marks, nowMs(),
                                back ? Inbox::Sequences::BackFromLastReserved : Inbox::Sequences::Given);
}

// The aggregates the unit's reactions and commands load: the reactions' own (not the open examinations of a
// diagnosis, which are looked up), and each readable command's target.
Result<bool> ContextWorker::prefetch(const Events &events, const std::vector<InboxCommand> &commands)
{
    QList<QUuid> ids;
    for (const Event &event : events) {
        for (const Reaction &reaction : reactionsTo(event)) {
            if (reaction.context == m_context && reaction.target == Reaction::Target::Aggregate)
                ids.append(reaction.key);
        }
    }
    for (const InboxCommand &command : commands) {
        if (const Result<Command> decoded = decodeStored(command))
            ids.append(commandTarget(decoded.value()));
    }
    return m_handler->prefetch(ids);
}

Result<bool> ContextWorker::reactTo(Batch &batch, const Event &event)
{
    const common::LogContext logContext({}, idString(event.visitId));
    for (const Reaction &reaction : reactionsTo(event)) {
        if (reaction.context != m_context)
            continue;
        auto events = m_handler->react(event, reaction, QDateTime::currentDateTimeUtc());
        if (!events) {
            if (events.error().code == ErrorCode::InternalError)
                return events.error();
            // The saga moved on or the target is unknown: nothing to do, but worth a look.
            qCWarning(log()).noquote() << name() << "ignores" << eventTypeName(event.payload) << event.sequence
                                       << "for visit" << idString(event.visitId) << ":" << events.error().message();
            continue;
        }
        std::move(events->begin(), events->end(), std::back_inserter(batch.events));
    }
    return true;
}

Result<bool> ContextWorker::apply(Batch &batch, const InboxCommand &command)
{
    common::LogContext logContext(command.station);
    Outcome outcome{command.commandId, command.station, false, 0, 0, {}};
    Result<Command> decoded = decodeStored(command);
    Result<Events> events = decoded ? Result<Events>(Events{}) : Result<Events>(decoded.error());
    if (decoded) {
        // The station's time, judged against the server's when the command arrived (docs/protocol.md, "Times").
        if (auto inWindow = checkActedAt(command.actedAtMs, command.receivedAtMs); !inWindow) {
            events = inWindow.error();
        } else {
            const CommandMeta meta{command.commandId, command.station, actedAt(command)};
            events = m_handler->execute(decoded.value(), meta);
            if (!events && events.error().code == ErrorCode::InternalError)
                return events.error();
        }
    }
    if (!events) {
        outcome.rejection = events.error();
        if (auto marked = m_inbox->markRejected(command.position, outcome.rejection, nowMs()); !marked)
            return marked.error();
    } else {
        outcome.applied = true; // its sequences and its mark once the unit's events are appended
    }
    auto entry = auditEntry(command, decoded, outcome, events ? &events.value() : nullptr);
    if (!entry)
        return entry.error();
    const QUuid visit = entry->visitId;
    batch.audits.push_back(std::move(entry).value());
    if (outcome.applied) {
        batch.applied.push_back(
            Batch::Applied{batch.outcomes.size(), command.position, batch.events.size(), events->size()});
        std::move(events->begin(), events->end(), std::back_inserter(batch.events));
    }
    if (!outcome.applied) {
        if (!visit.isNull())
            logContext.setVisit(idString(visit));
        qCInfo(log()).noquote() << name() << "rejected command" << idString(command.commandId) << "from"
                                << command.station << ":" << errorName(outcome.rejection.code);
    }
    batch.outcomes.push_back(std::move(outcome));
    return true;
}

// The command's outcome in the audit trail, written in the transaction that decided it.
Result<AuditEntry> ContextWorker::auditEntry(const InboxCommand &command, const Result<Command> &decoded,
                                             const Outcome &outcome, const Events *events)
{
    AuditEntry entry;
    entry.atMs = nowMs();
    entry.station = command.station;
    entry.action = decoded ? commandName(decoded.value()) : u"unknown"_s;
    entry.commandId = command.commandId;
    if (events && !events->empty()) {
        entry.visitId = events->front().visitId;
    } else if (decoded) {
        if (auto saved = m_handler->flush(); !saved) // visitOf reads this context's tables
            return saved.error();
        auto visit = m_audit->visitOf(m_context, commandTarget(decoded.value()));
        if (!visit)
            return visit.error();
        entry.visitId = visit.value();
    }
    entry.result = outcome.applied ? u"applied"_s : u"rejected"_s;
    if (const auto *handOver = decoded ? std::get_if<HandOverVisit>(&decoded.value()) : nullptr)
        entry.detail = u"to %1"_s.arg(handOver->toDoctor); // who has the patient now
    if (!outcome.applied) {
        entry.code = QString::fromLatin1(errorName(outcome.rejection.code));
        entry.detail = outcome.rejection.detail;
    }
    return entry;
}

Result<bool> ContextWorker::quarantine(const Error &error)
{
    if (m_failedEvent == 0 && !m_failedCommand)
        return error; // the failure came before any item (reading the work): retry later
    Outcome rejected;
    auto setAside = runUnit([&](Database &) -> Result<bool> {
        if (m_failedEvent != 0) {
            qCCritical(log()).noquote() << name() << "skips event" << m_failedEvent
                                        << "that it cannot process:" << error.message();
            return m_cursors->set(name(), m_failedEvent);
        }
        qCCritical(log()).noquote() << name() << "rejects command" << idString(m_failedCommand->commandId)
                                    << "that it cannot process:" << error.message();
        rejected.rejection = makeError(ErrorCode::InternalError);
        rejected.commandId = m_failedCommand->commandId;
        rejected.station = m_failedCommand->station;
        if (auto marked = m_inbox->markRejected(m_failedCommand->position, rejected.rejection, nowMs()); !marked)
            return marked;
        auto entry = auditEntry(*m_failedCommand, decodeStored(*m_failedCommand), rejected, nullptr);
        if (!entry)
            return entry.error();
        return m_audit->append(entry.value());
    });
    if (!setAside) {
        m_handler->forget();
        return setAside.error();
    }
    if (m_failedEvent != 0)
        m_cursor = m_failedEvent;
    if (!rejected.commandId.isNull())
        m_bus.post({rejected});
    m_careful = false;
    return true;
}

} // namespace clinicflow::server
