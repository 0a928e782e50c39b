// The workstation's local store (ARCHITECTURE §5): a SQLite file holding the station's settings, every confirmed
// event it applied, its outbox and its conflicts; and in memory the confirmed replica plus the optimistic overlay of
// the commands the server has not confirmed yet. Actions are validated by the shared rules against the effective
// state and stored durably before submit() returns; the sync engine feeds the server's events and answers back in.
// Lives on, and is used only from, the thread that opened it (the GUI thread): QSqlDatabase is per-thread.
#pragma once

#include "ClientTypes.h"
#include "StoreTypes.h"
#include "domain/Catalogue.h"
#include "domain/Diagnosis.h"
#include "domain/Examination.h"
#include "domain/Reception.h"
#include "domain/StatusView.h"

#include <QObject>
#include <functional>
#include <memory>

namespace clinicflow::client {

class ReplicaState;
class StoreDatabase;
struct VisitState;
struct StoreStatements;

class LocalStore final : public QObject
{
    Q_OBJECT

public:
    // <AppLocalDataLocation>/station-<code>.sqlite
    static QString defaultPath(const QString &stationCode);
    // Opens (creating when missing) the file, migrates it, and rebuilds the replica and the overlay from it.
    // How open() takes in the visits' rows: every one before it returns, or a part at a time through loadRows(), so
    // that a board over a day of 100,000 visits paints its window first and fills it while the rest is read.
    enum class Rows
    {
        AtOpen,
        InSteps,
    };
    static domain::Result<std::unique_ptr<LocalStore>> open(const QString &path, Rows rows = Rows::AtOpen);
    ~LocalStore() override;
    Q_DISABLE_COPY_MOVE(LocalStore)

    QString path() const;

    // ---- settings (each persisted at once) ----
    QString stationCode() const;
    domain::Result<bool> setStationCode(const QString &code); // InvalidTicket for a code a ticket cannot carry
    std::optional<domain::Role> role() const;
    domain::Result<bool> setRole(domain::Role role);
    QString serverEndpoint() const; // e.g. "tcp://10.0.0.5:7470"; several separated by commas
    domain::Result<bool> setServerEndpoint(const QString &endpoint);
    QString serverId() const;
    domain::Result<bool> setServerId(const QString &id);
    QString setting(const QString &key) const; // any other key the engine or screens keep (null when unset)
    // InvalidCommand for the keys the store keeps itself (last sequence, ticket counter, catalogue).
    domain::Result<bool> setSetting(const QString &key, const QString &value);
    const domain::Catalogue &catalogue() const;
    // The roster validation uses (the engine takes it from Welcome); pending commands are re-checked against it.
    domain::Result<bool> setCatalogue(const domain::Catalogue &catalogue);

    // The clock for command times and the ticket day (tests pin it). Returns UTC.
    void setClock(std::function<QDateTime()> clock);
    QDateTime now() const;

    // ---- actions ----
    // Validates against the effective state with the shared rules, then stores the command in the outbox in one
    // transaction; the returned command id is durable. An error stores nothing.
    domain::Result<QUuid> submit(const domain::Command &command);
    // RegisterVisit with the visit id (when null) and the ticket filled in; the daily ticket counter advances in the
    // same transaction as the outbox insert, so two registrations never share a ticket.
    domain::Result<SubmittedVisit> registerVisit(domain::RegisterVisit registration);
    // The ticket the next registration will get (it is only taken by registerVisit).
    domain::Ticket nextTicket() const;

    // ---- for the sync engine ----
    QList<OutgoingCommand> unansweredCommands() const; // pending and queued, in outbox order
    quint64 lastSequence() const;

public Q_SLOTS:
    // The server's events in log order. Already applied ones (sequence <= lastSequence) are skipped; the rest must
    // continue at lastSequence() + 1 without a gap, or nothing is applied (MalformedMessage; gapDetected is
    // emitted). One transaction per call. Returns how many were applied.
    domain::Result<int> applyEvents(const QList<clinicflow::domain::Event> &events);
    void markQueued(const QUuid &commandId);
    // Applied or Rejected. A rejection rolls the change back (and anything pending that depended on it) and records
    // a conflict. An outcome for an unknown or already answered command is ignored.
    domain::Result<bool> markOutcome(const clinicflow::client::CommandOutcome &outcome);
    // A board's start: these rows replace the replica's rows; the aggregates stay.
    domain::Result<bool> applySnapshot(const QList<clinicflow::domain::VisitStatus> &rows, quint64 sequence);
    // The same in steps, so that a station with its window open keeps painting between them (a busy day's snapshot
    // is tens of thousands of rows; the Workstation runs a step or a few per pass of the event loop), and nothing
    // else may feed the store in between. beginSnapshot() forgets the rows (visitsReset), addSnapshotRows() stores
    // some of them, each call one transaction (visitsChanged), finishSnapshot() records the position. Interrupted by
    // a crash or a close, the next open finds the replica incomplete and rebuilds it from the server.
    domain::Result<bool> beginSnapshot(quint64 sequence);
    domain::Result<bool> addSnapshotRows(const QList<clinicflow::domain::VisitStatus> &rows);
    domain::Result<bool> finishSnapshot(quint64 sequence);
    // The station now follows another server: events, rows and aggregates go; the outbox and conflicts stay.
    domain::Result<bool> resetReplica();

public:
    // ---- rows read in steps (Rows::InSteps) ----
    // Whether stored rows are still to be read. loadRows() reads up to `limit` more, in the order they were stored
    // (visitsChanged for them), and returns how many it read. Any change to the replica first reads every row left,
    // so nothing ever changes, or is checked against, a row not read yet.
    bool rowsPending() const { return m_rowsRead < m_rowsEnd; }
    domain::Result<int> loadRows(int limit);

public:
    // ---- reads (effective: confirmed + this station's unconfirmed actions) ----
    std::optional<domain::VisitStatus> visit(const QUuid &visitId) const;
    // The same row without a copy, or nullptr: for models that read many rows at a time. Valid until the store next
    // changes; never kept.
    const domain::VisitStatus *visitRow(const QUuid &visitId) const;
    QList<QUuid> visitIds() const;
    std::optional<domain::Reception> reception(const QUuid &receptionId) const;
    std::optional<domain::Diagnosis> diagnosis(const QUuid &diagnosisId) const;
    std::optional<domain::Diagnosis> diagnosisOfVisit(const QUuid &visitId) const;
    std::optional<domain::Examination> examination(const QUuid &examinationId) const;
    QList<domain::Examination> examinationsOfVisit(const QUuid &visitId) const;
    QList<domain::Diagnosis> openDiagnoses(const QString &doctor = {}) const; // all doctors when empty
    QList<domain::Examination> requestedExaminations(const QString &code = {}) const;
    bool isPending(const QUuid &visitId) const; // an action of this station on it awaits the server
    // The same for one aggregate of the visit (an examination): a room's other examinations of that patient are not
    // waiting for anything.
    bool isPending(const QUuid &visitId, const QUuid &aggregateId) const;
    int pendingCount() const; // unanswered outbox entries
    std::optional<domain::VisitStatus> confirmedVisit(const QUuid &visitId) const;

    QList<OutboxRecord> outbox() const; // every entry ever, answered ones included, in order
    QList<Conflict> conflicts() const;
    domain::Result<bool> acknowledgeConflict(qint64 conflictId);
    QList<HistoryEntry> history(const QUuid &visitId) const;
    // SHA-256 (hex) of the confirmed status rows sorted by visit id: equal on stations that applied the same log.
    QByteArray stateHash() const;

Q_SIGNALS:
    void commandSubmitted(const clinicflow::client::OutgoingCommand &command);
    void visitChanged(const QUuid &visitId);          // inserted, changed or gone (visit() empty), effective
    void visitsChanged(const QList<QUuid> &visitIds); // the same for many visits at once (a part of a snapshot)
    void visitsReset();
    void conflictRecorded(const clinicflow::client::Conflict &conflict);
    void conflictsChanged();
    void pendingCountChanged(int count);
    void lastSequenceChanged(quint64 sequence);
    void catalogueChanged();
    void gapDetected(quint64 expectedSequence, quint64 receivedSequence);

private:
    explicit LocalStore(std::unique_ptr<StoreDatabase> db);
    domain::Result<bool> load(Rows rows);
    domain::Result<int> readRows(int limit, QList<QUuid> *visits); // limit < 0: every row left
    domain::Result<bool> readAllRows();                            // before any change to the replica
    void forgetUnreadRows() { m_rowsRead = m_rowsEnd; }            // every stored row is gone
    domain::Result<bool> loadEvents();
    domain::Result<bool> loadOutbox();
    domain::Result<bool> writeSetting(const QString &key, const QString &value);
    domain::Result<bool> writeVisit(VisitState &state);
    domain::Result<QUuid> store(const OutgoingCommand &command, const QUuid &visitId, const domain::Events &events,
                                const QList<std::pair<QString, QString>> &settingWrites);
    domain::Ticket ticketOn(const QDate &day) const;
    domain::Result<bool> updateOutcome(const CommandOutcome &outcome, const QString &state, quint64 maxSequence);
    domain::Result<Conflict> recordConflict(const CommandOutcome &outcome, const OutgoingCommand &command,
                                            const QUuid &visitId);
    void afterConfirmedChange(const QList<QUuid> &touched, quint64 previousLast, int previousPending);
    domain::CommandMeta newMeta() const;

    std::unique_ptr<StoreDatabase> m_db;
    std::unique_ptr<StoreStatements> m_sql;
    std::unique_ptr<ReplicaState> m_replica;
    QHash<QString, QString> m_settings;
    domain::Catalogue m_catalogue;
    std::function<QDateTime()> m_clock;
    quint64 m_lastSequence = 0;
    qint64 m_rowsRead = 0; // the key of the last row read from the visits table
    qint64 m_rowsEnd = 0;  // the last key the table had at open: rows stored since are already in memory
};

} // namespace clinicflow::client
