// What the operators' HTTP API reads, as small interfaces: the status view and the contexts' rows (ReadModel), the
// health of the process (HealthSource) and its metrics (MetricsSource). The server's storage and workers implement
// them; HttpApi never touches a database itself, so its tests use small fakes.
//
// HttpApi calls every method on the thread it lives on (the thread running its event loop), one request at a time.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QUuid>
#include <optional>

namespace clinicflow::common {
class Metrics;
}

namespace clinicflow::server {

// GET /visits?status=&department=&limit=&after=
struct VisitQuery
{
    QString status;     // a reception status name (domain::toString(ReceptionStatus), e.g. "in_treatment"); empty = any
    QString department; // a department code, e.g. "IM"; empty = any
    int limit = 100;    // 1..1000, checked by HttpApi
    // Keyset cursor: the view row's last event sequence ("lastSequence" in the row JSON). Rows come in ascending last
    // sequence, only those above after; 0 = from the start. It reads as a change feed: a visit that changes while a
    // client pages moves to a later page, so it may be seen twice, but no row is ever skipped.
    quint64 after = 0;

    friend bool operator==(const VisitQuery &, const VisitQuery &) = default;
};

// GET /audit?visit=&station=&from=&to=&limit=&after=
struct AuditFilter
{
    QUuid visit;       // null: any
    QString station;   // empty: any
    qint64 fromMs = 0; // inclusive; 0: from the start
    qint64 toMs = 0;   // exclusive; 0: to the end
    int limit = 100;   // 1..1000, checked by HttpApi
    quint64 after = 0; // keyset cursor: the last entry's "position"

    friend bool operator==(const AuditFilter &, const AuditFilter &) = default;
};

class ReadModel
{
public:
    virtual ~ReadModel();
    // The row as JSON, or nothing when there is no such id. Rows carry ids, tickets, codes and statuses; the HTTP API
    // is for operators, so implementations leave out the patient's name, phone and address.
    virtual std::optional<QJsonObject> reception(const QUuid &id) = 0;
    virtual std::optional<QJsonObject> diagnosis(const QUuid &id) = 0;
    virtual std::optional<QJsonObject> examination(const QUuid &id) = 0;
    // Status view rows matching the query, at most query.limit, in ascending last sequence. Each row carries it as an
    // integer "lastSequence"; HttpApi turns the last row's into the next page's "after".
    virtual QJsonArray visits(const VisitQuery &query) = 0;

    // Audit trail entries matching the filter, in the order written, each with an integer "position"; nothing when
    // the trail cannot be read (HttpApi answers 503).
    virtual std::optional<QJsonArray> audit(const AuditFilter &filter) = 0;
    // Records in the audit trail that `peer` read these visits' rows over HTTP (`what`: the path); false when it
    // could not be recorded, and HttpApi then serves nothing (503).
    virtual bool recordReads(const QString &peer, const QString &what, const QList<QUuid> &visits) = 0;
};

class HealthSource
{
public:
    virtual ~HealthSource();
    // The process runs its event loop and is not wedged (the liveness probe: false = restart me).
    virtual bool live() = 0;
    // {"ready": bool, "database": bool, "modules": {"reception": bool, ...}}; ready = true when the process can serve
    // (database open, every module it runs started). GET /health/ready answers 200 when ready, else 503, with this
    // body.
    virtual QJsonObject readiness() = 0;
};

class MetricsSource
{
public:
    virtual ~MetricsSource();
    // The Prometheus text exposition (version 0.0.4).
    virtual QByteArray prometheusText() = 0;
};

// A MetricsSource over a common::Metrics registry.
class RegistryMetricsSource final : public MetricsSource
{
public:
    explicit RegistryMetricsSource(const common::Metrics &metrics);
    QByteArray prometheusText() override;

private:
    const common::Metrics &m_metrics;
};

} // namespace clinicflow::server
