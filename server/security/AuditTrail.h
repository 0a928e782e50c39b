// The audit trail (schema version 7, table `audit_log`): who did or read what, on which visit, when, with what
// result. It is append-only: the server only inserts, and the database itself refuses an UPDATE or a DELETE (SQLite
// triggers), so a row once written stays as written.
//
// What is recorded, and by whom:
//   - every command's outcome: applied or rejected with its code, by the context worker that decided it, in the same
//     transaction as the decision; the gateway's refusals (a role that may not issue it, another station's ticket,
//     a reused id) by the gateway's intake, in the same transaction as the kept refusal;
//   - every read of a patient's personal data: a page of events or of the snapshot that carried a visit's
//     registration, a registration published to a subscribed station, a row read over HTTP.
// Reads are recorded once served; commands once decided. `clinicflow-server audit` and `GET /audit` answer queries.
#pragma once

#include "domain/Result.h"
#include "domain/Types.h"
#include "storage/BatchStatement.h"

#include <QJsonObject>
#include <QSqlQuery>
#include <QString>
#include <QUuid>
#include <vector>

namespace clinicflow::server {

class Database;

struct AuditEntry
{
    qint64 atMs = 0;
    QString station; // a station code; "http" for the operators' API
    QString user;    // the person signed in at the station; empty: the station has no sign-in
    QString action;  // a command's type ("RegisterVisit"), or a read: "read:events", "read:snapshot",
                     // "read:published", "read:http"
    QUuid visitId;   // null when the command names no known visit
    QUuid commandId; // a command's id; null for a read
    QString result;  // "applied", "rejected", "refused" (by the gateway, before any context saw it), "served"
    QString code;    // the error's name for "rejected" and "refused" (e.g. "role_not_allowed")
    QString detail;  // the error's detail, or what was read (e.g. the role's fields)
};

struct AuditRecord
{
    quint64 position = 0;
    AuditEntry entry;
    QJsonObject toJson() const;
};

struct AuditQuery
{
    QUuid visit;       // null: any
    QString station;   // empty: any
    qint64 fromMs = 0; // inclusive; 0: from the start
    qint64 toMs = 0;   // exclusive; 0: to the end
    int limit = 1000;
    quint64 after = 0; // keyset: positions above this one
};

// The entries' actions for reads.
namespace audit {
inline constexpr auto kReadEvents = "read:events";
inline constexpr auto kReadSnapshot = "read:snapshot";
inline constexpr auto kReadPublished = "read:published";
inline constexpr auto kReadHttp = "read:http";
} // namespace audit

class AuditTrail
{
    Q_DISABLE_COPY_MOVE(AuditTrail)
public:
    // Prepares its statements on `db`'s connection: use it on that connection's thread, inside its transactions.
    explicit AuditTrail(Database &db);

    domain::Result<bool> append(const AuditEntry &entry);
    domain::Result<bool> append(const std::vector<AuditEntry> &entries); // in order, many per statement

    // The visit a command's target belongs to: a reception is its visit; a diagnosis or an examination names its
    // reception. Null when the target is unknown (a command on nothing is still recorded, without a visit).
    domain::Result<QUuid> visitOf(domain::BoundedContext context, const QUuid &target);

    // Matching entries in the order they were written, at most query.limit.
    static domain::Result<std::vector<AuditRecord>> find(Database &db, const AuditQuery &query);

private:
    QSqlQuery m_insert;
    BatchStatement m_inserts;
    QSqlQuery m_diagnosisVisit;
    QSqlQuery m_examinationVisit;
};

} // namespace clinicflow::server
