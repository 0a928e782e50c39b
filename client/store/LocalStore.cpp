// The local store: opening and rebuilding the replica, settings, and the reads models use (see LocalStore.h).
// Actions are in LocalStoreActions.cpp, the sync engine's inputs in LocalStoreSync.cpp, the outbox, conflicts,
// history and state hash in LocalStoreRecords.cpp.
#include "LocalStore.h"

#include "LocalStorePrivate.h"
#include "ReplicaState.h"
#include "StoreRows.h"
#include "common/Logging.h"
#include "domain/CatalogueJson.h"

#include <QSqlRecord>
#include <QStandardPaths>
#include <algorithm>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStore;

namespace clinicflow::client {

using namespace domain;

QString outboxStateName(OutboxState state)
{
    switch (state) {
    case OutboxState::Pending:
        return u"pending"_s;
    case OutboxState::Queued:
        return u"queued"_s;
    case OutboxState::Applied:
        return u"applied"_s;
    case OutboxState::Rejected:
        return u"rejected"_s;
    }
    return {};
}

std::optional<OutboxState> outboxStateFromString(const QString &name)
{
    for (OutboxState s : {OutboxState::Pending, OutboxState::Queued, OutboxState::Applied, OutboxState::Rejected}) {
        if (outboxStateName(s) == name)
            return s;
    }
    return std::nullopt;
}

Result<std::unique_ptr<StoreStatements>> StoreStatements::prepare(const StoreDatabase &db)
{
    auto sql = std::make_unique<StoreStatements>();
    const QString visitSlots = u"?"_s + u",?"_s.repeated(rows::kVisitColumns - 1);
    const std::pair<QSqlQuery *, QString> statements[] = {
        {&sql->insertEvent, u"INSERT INTO events(sequence, visit_id, type, at_ms, body) VALUES (?,?,?,?,?)"_s},
        {&sql->insertVisit, u"INSERT INTO visits(%1) VALUES (%2)"_s.arg(rows::visitColumnList(), visitSlots)},
        {&sql->updateVisit, u"UPDATE visits SET (%1) = (%2) WHERE row = ?"_s.arg(rows::visitColumnList(), visitSlots)},
        {&sql->readEvent, u"SELECT body FROM events WHERE sequence = ?"_s},
        {&sql->writeSetting, u"INSERT OR REPLACE INTO settings(key, value) VALUES (?,?)"_s},
        {&sql->insertOutbox,
         u"INSERT INTO outbox(command_id, name, target, visit_id, at_ms, body) VALUES (?,?,?,?,?,?)"_s},
        {&sql->updateOutcome, u"UPDATE outbox SET state = ?, sequences = ?, max_sequence = ?, error_code = ?,"
                              " error_message = ?, answered_at_ms = ? WHERE command_id = ?"_s},
        {&sql->markQueued, u"UPDATE outbox SET state = 'queued' WHERE command_id = ? AND state = 'pending'"_s},
        {&sql->insertConflict, u"INSERT INTO conflicts(command_id, command_name, visit_id, ticket, code, message,"
                               " detail, at_ms) VALUES (?,?,?,?,?,?,?,?)"_s},
    };
    for (const auto &[query, text] : statements) {
        auto prepared = db.prepare(text);
        if (!prepared)
            return prepared.error();
        *query = std::move(prepared.value());
    }
    return sql;
}

QString LocalStore::defaultPath(const QString &stationCode)
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/station-"_s + stationCode +
           u".sqlite"_s;
}

LocalStore::LocalStore(std::unique_ptr<StoreDatabase> db)
    : m_db(std::move(db))
    , m_replica(std::make_unique<ReplicaState>())
    , m_catalogue(Catalogue::builtIn())
{
}

LocalStore::~LocalStore()
{
    m_sql.reset(); // statements before the connection they belong to
}

Result<std::unique_ptr<LocalStore>> LocalStore::open(const QString &path, Rows rows)
{
    auto db = StoreDatabase::open(path);
    if (!db)
        return db.error();
    auto statements = StoreStatements::prepare(*db.value());
    if (!statements)
        return statements.error();
    std::unique_ptr<LocalStore> store(new LocalStore(std::move(db.value())));
    store->m_sql = std::move(statements.value());
    if (auto loaded = store->load(rows); !loaded)
        return loaded.error();
    return store;
}

QString LocalStore::path() const
{
    return m_db->path();
}

Result<bool> LocalStore::load(Rows rows)
{
    QSqlQuery q(m_db->database());
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT key, value FROM settings"_s))
        return makeError(ErrorCode::InternalError, u"cannot read settings"_s);
    while (q.next())
        m_settings.insert(q.value(0).toString(), q.value(1).toString());
    if (m_settings.contains(settings::kSnapshotUnfinished)) {
        // Rows of a snapshot were being stored when the app stopped: the replica is a part of two states. It starts
        // again empty (the outbox stays), and the engine fetches everything from the server.
        qCWarning(lcStore) << "a snapshot was interrupted: the replica is rebuilt from the server";
        Transaction tx(*m_db);
        for (const QString &sql : {u"DELETE FROM events"_s, u"DELETE FROM visits"_s,
                                   u"DELETE FROM settings WHERE key = '%1'"_s.arg(settings::kSnapshotUnfinished)}) {
            if (auto done = m_db->exec(sql, "finish an interrupted snapshot"); !done)
                return done;
        }
        if (auto done = writeSetting(settings::kLastSequence, u"0"_s); !done)
            return done;
        if (auto done = tx.commit(); !done)
            return done;
        m_settings.remove(settings::kSnapshotUnfinished);
        m_settings.insert(settings::kLastSequence, u"0"_s);
    }
    m_lastSequence = m_settings.value(settings::kLastSequence).toULongLong();
    if (const QString json = m_settings.value(settings::kCatalogue); !json.isEmpty()) {
        if (auto catalogue = catalogueFromJson(json.toUtf8()))
            m_catalogue = catalogue.value();
        else
            qCWarning(lcStore) << "stored catalogue is unusable, using the built-in one:"
                               << catalogue.error().message();
    }

    // Room for every visit at once (the last row key: as many rows as there are, or a few more): a board's 100,000
    // rows go in without the table growing (and moving) 17 times.
    // The rows themselves are read by readRows(), at once or in steps (open()).
    if (!q.exec(u"SELECT coalesce(max(row), 0) FROM visits"_s) || !q.next())
        return makeError(ErrorCode::InternalError, u"cannot read visits"_s);
    m_rowsEnd = q.value(0).toLongLong();
    m_replica->reserve(m_rowsEnd);
    q.finish();
    // Read in steps, a row replaces the one the stored events made meanwhile (fold() projects them): it is the same
    // or newer, since a row is stored with the events it includes.
    if (rows == Rows::AtOpen) {
        if (auto read = readRows(-1, nullptr); !read)
            return read.error();
    }
    if (auto events = loadEvents(); !events)
        return events;
    return loadOutbox();
}

// The aggregates are not stored: folding the log again with the shared evolve functions is what guarantees they
// are the server's. The rows came from the visits table, and project() skips events they already include.
Result<bool> LocalStore::loadEvents()
{
    QSqlQuery q(m_db->database());
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT body FROM events ORDER BY sequence"_s))
        return makeError(ErrorCode::InternalError, u"cannot read events"_s);
    while (q.next()) {
        auto event = rows::decodeEvent(q.value(0).toByteArray());
        if (!event)
            return event.error();
        m_replica->index(event.value());
        VisitState &state = m_replica->confirmedState(event->visitId);
        state.fold(event.value());
        state.sequences.append(event->sequence);
    }
    return true;
}

Result<bool> LocalStore::loadOutbox()
{
    QSqlQuery q(m_db->database());
    q.setForwardOnly(true);
    q.prepare(u"SELECT position, visit_id, state, max_sequence, body FROM outbox WHERE state IN ('pending','queued')"
              " OR (state = 'applied' AND max_sequence > ?) ORDER BY position"_s);
    q.addBindValue(qint64(m_lastSequence));
    if (!q.exec())
        return makeError(ErrorCode::InternalError, u"cannot read the outbox"_s);
    while (q.next()) {
        auto command = rows::decodeCommand(q.value(4).toByteArray());
        if (!command)
            return command.error();
        OutboxEntry entry;
        entry.position = q.value(0).toLongLong();
        entry.visitId = rows::idFrom(q.value(1));
        entry.state = outboxStateFromString(q.value(2).toString()).value_or(OutboxState::Pending);
        entry.maxSequence = q.value(3).toULongLong();
        entry.command = std::move(command.value());
        m_replica->addEntry(std::move(entry));
    }
    m_replica->recomputeAll(m_catalogue);
    return true;
}

// ---- settings -----------------------------------------------------------------------------------------------------

Result<bool> LocalStore::writeSetting(const QString &key, const QString &value)
{
    m_sql->writeSetting.bindValue(0, key);
    m_sql->writeSetting.bindValue(1, value);
    return StoreDatabase::run(m_sql->writeSetting, "write setting");
}

QString LocalStore::setting(const QString &key) const
{
    return m_settings.value(key);
}

Result<bool> LocalStore::setSetting(const QString &key, const QString &value)
{
    // These move only with the data they describe, inside the store's own transactions.
    for (const QString &own : {settings::kLastSequence, settings::kTicketDay, settings::kTicketCounter,
                               settings::kCatalogue, settings::kSnapshotUnfinished}) {
        if (key == own)
            return makeError(ErrorCode::InvalidCommand, u"setting '%1' belongs to the store"_s.arg(key));
    }
    // Every Welcome and every start sets the same values again: no write (and no fsync) for those.
    if (const auto it = m_settings.constFind(key); it != m_settings.cend() && *it == value)
        return true;
    // A transaction of its own, synced: a lone statement would commit at whatever synchronous level the connection
    // was left at, NORMAL after the last events applied, and a power cut could take the setting back.
    Transaction tx(*m_db, StoreDatabase::Durability::Synced);
    if (auto written = writeSetting(key, value); !written)
        return written;
    if (auto committed = tx.commit(); !committed)
        return committed;
    m_settings.insert(key, value);
    return true;
}

QString LocalStore::stationCode() const
{
    return setting(settings::kStationCode);
}

Result<bool> LocalStore::setStationCode(const QString &code)
{
    if (!isValidStationCode(code))
        return makeError(ErrorCode::InvalidTicket, u"station code '%1' is not 1-4 letters or digits"_s.arg(code));
    return setSetting(settings::kStationCode, code);
}

std::optional<Role> LocalStore::role() const
{
    return fromString<Role>(setting(settings::kRole));
}

Result<bool> LocalStore::setRole(Role role)
{
    return setSetting(settings::kRole, toString(role));
}

QString LocalStore::serverEndpoint() const
{
    return setting(settings::kServerEndpoint);
}

Result<bool> LocalStore::setServerEndpoint(const QString &endpoint)
{
    return setSetting(settings::kServerEndpoint, endpoint);
}

QString LocalStore::serverId() const
{
    return setting(settings::kServerId);
}

Result<bool> LocalStore::setServerId(const QString &id)
{
    return setSetting(settings::kServerId, id);
}

const Catalogue &LocalStore::catalogue() const
{
    return m_catalogue;
}

Result<bool> LocalStore::setCatalogue(const Catalogue &catalogue)
{
    if (auto read = readAllRows(); !read)
        return read;
    if (auto valid = catalogue.validate(); !valid)
        return valid;
    if (catalogue == m_catalogue)
        return true;
    const QString json = QString::fromUtf8(catalogueToJson(catalogue));
    if (auto written = writeSetting(settings::kCatalogue, json); !written)
        return written;
    m_settings.insert(settings::kCatalogue, json);
    m_catalogue = catalogue;
    QList<QUuid> visits;
    for (const QUuid &id : m_replica->allVisitIds()) {
        if (m_replica->hasEntries(id))
            visits.append(id);
    }
    m_replica->recomputeAll(m_catalogue);
    emit catalogueChanged();
    for (const QUuid &id : std::as_const(visits))
        emit visitChanged(id);
    return true;
}

void LocalStore::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

// Milliseconds only: that is what the disk and the wire keep, so a command reads back equal to what was executed.
QDateTime LocalStore::now() const
{
    const QDateTime t = m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
    return QDateTime::fromMSecsSinceEpoch(t.toMSecsSinceEpoch(), Qt::UTC);
}

// ---- reads --------------------------------------------------------------------------------------------------------

QList<OutgoingCommand> LocalStore::unansweredCommands() const
{
    return m_replica->unanswered();
}

quint64 LocalStore::lastSequence() const
{
    return m_lastSequence;
}

std::optional<VisitStatus> LocalStore::visit(const QUuid &visitId) const
{
    const VisitState *s = m_replica->effective(visitId);
    return s ? s->row : std::nullopt;
}

const VisitStatus *LocalStore::visitRow(const QUuid &visitId) const
{
    const VisitState *s = m_replica->effective(visitId);
    return s && s->row ? &*s->row : nullptr;
}

std::optional<VisitStatus> LocalStore::confirmedVisit(const QUuid &visitId) const
{
    const VisitState *s = m_replica->confirmed(visitId);
    return s ? s->row : std::nullopt;
}

QList<QUuid> LocalStore::visitIds() const
{
    return m_replica->visitIds();
}

std::optional<Reception> LocalStore::reception(const QUuid &receptionId) const
{
    const VisitState *s = m_replica->effective(receptionId);
    return s ? s->reception.get() : std::nullopt;
}

std::optional<Diagnosis> LocalStore::diagnosis(const QUuid &diagnosisId) const
{
    const auto d = diagnosisOfVisit(m_replica->visitOfDiagnosis(diagnosisId));
    return d && d->id == diagnosisId ? d : std::nullopt;
}

std::optional<Diagnosis> LocalStore::diagnosisOfVisit(const QUuid &visitId) const
{
    const VisitState *s = m_replica->effective(visitId);
    return s ? s->diagnosis.get() : std::nullopt;
}

std::optional<Examination> LocalStore::examination(const QUuid &examinationId) const
{
    const VisitState *s = m_replica->effective(m_replica->visitOfExamination(examinationId));
    const Examination *x = s ? s->examination(examinationId) : nullptr;
    return x ? std::optional<Examination>(*x) : std::nullopt;
}

QList<Examination> LocalStore::examinationsOfVisit(const QUuid &visitId) const
{
    const VisitState *s = m_replica->effective(visitId);
    return s ? s->examinations : QList<Examination>();
}

QList<Diagnosis> LocalStore::openDiagnoses(const QString &doctor) const
{
    QList<Diagnosis> open;
    for (const QUuid &id : m_replica->allVisitIds()) {
        const auto &d = m_replica->effective(id)->diagnosis;
        if (d && isOpen(d->status) && (doctor.isEmpty() || d->doctor == doctor))
            open.append(*d);
    }
    return open;
}

QList<Examination> LocalStore::requestedExaminations(const QString &code) const
{
    QList<Examination> requested;
    for (const QUuid &id : m_replica->allVisitIds()) {
        for (const Examination &x : m_replica->effective(id)->examinations) {
            if (x.status == ExaminationStatus::Requested && (code.isEmpty() || x.code == code))
                requested.append(x);
        }
    }
    return requested;
}

bool LocalStore::isPending(const QUuid &visitId) const
{
    return m_replica->hasEntries(visitId);
}

bool LocalStore::isPending(const QUuid &visitId, const QUuid &aggregateId) const
{
    const QList<const OutboxEntry *> entries = m_replica->entriesOf(visitId);
    return std::any_of(entries.begin(), entries.end(), [&aggregateId](const OutboxEntry *entry) {
        return domain::commandTarget(entry->command.command) == aggregateId;
    });
}

int LocalStore::pendingCount() const
{
    return m_replica->unansweredCount();
}

} // namespace clinicflow::client
