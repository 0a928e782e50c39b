// Internal to the local store's .cpp files: the statements it prepares once and reuses, and its settings keys.
#pragma once

#include "StoreDatabase.h"

#include <QSqlQuery>
#include <QString>

namespace clinicflow::client {

// Prepared once at open: re-preparing per row would cost more than the insert itself when catching up.
struct StoreStatements
{
    QSqlQuery insertEvent;   // sequence, visit_id, type, at_ms, body
    QSqlQuery insertVisit;   // rows::visitColumnList(); the row key is assigned by SQLite
    QSqlQuery updateVisit;   // rows::visitColumnList(), then row
    QSqlQuery readEvent;     // sequence -> body
    QSqlQuery writeSetting;  // key, value
    QSqlQuery insertOutbox;  // command_id, name, target, visit_id, at_ms, body
    QSqlQuery updateOutcome; // state, sequences, max_sequence, error_code, error_message, answered_at_ms, command_id
    QSqlQuery markQueued;    // command_id
    QSqlQuery insertConflict;

    static domain::Result<std::unique_ptr<StoreStatements>> prepare(const StoreDatabase &db);
};

namespace settings {
inline const QString kStationCode = QStringLiteral("station_code");
inline const QString kRole = QStringLiteral("role");
inline const QString kServerEndpoint = QStringLiteral("server_endpoint");
inline const QString kServerId = QStringLiteral("server_id");
inline const QString kCatalogue = QStringLiteral("catalogue");
inline const QString kLastSequence = QStringLiteral("last_sequence");
inline const QString kTicketDay = QStringLiteral("ticket_day");         // ISO local date of the counter
inline const QString kTicketCounter = QStringLiteral("ticket_counter"); // last number given out that day
// Set while a snapshot is stored in steps (its sequence): found at open, the replica is incomplete.
inline const QString kSnapshotUnfinished = QStringLiteral("snapshot_unfinished");
} // namespace settings

} // namespace clinicflow::client
