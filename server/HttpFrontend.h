// The server's side of the operators' HTTP endpoints: answers HttpApi's reads from the contexts' tables and the
// status view, readiness from the Server, and metrics from the registry plus gauges read at scrape time (inbox
// depth per context, lag of each log consumer). Lives on the main thread with the main database connection.
#pragma once

#include "http/HttpApi.h"
#include "storage/Database.h"

#include <memory>

namespace clinicflow::server {

class Server;
class ReceptionContext;
class DiagnosisContext;
class ExaminationContext;
class StatusViewStore;
class EventLog;
class Cursors;
class CommandIntake;
class GroupCommit;

class HttpFrontend final : public ReadModel, public HealthSource, public MetricsSource
{
    Q_DISABLE_COPY_MOVE(HttpFrontend)
public:
    // `db` is the main database, `viewDb` the status view's store (the same one on PostgreSQL); the audit trail's
    // entries for the rows it serves are written through `commit`.
    HttpFrontend(Server &server, Database &db, Database &viewDb, GroupCommit &commit);
    ~HttpFrontend() override;

    void setBearerToken(const QByteArray &token);
    domain::Result<bool> listen(const QString &address, quint16 port);

    std::optional<QJsonObject> reception(const QUuid &id) override;
    std::optional<QJsonObject> diagnosis(const QUuid &id) override;
    std::optional<QJsonObject> examination(const QUuid &id) override;
    QJsonArray visits(const VisitQuery &query) override;
    std::optional<QJsonArray> audit(const AuditFilter &filter) override;
    bool recordReads(const QString &peer, const QString &what, const QList<QUuid> &visits) override;

    bool live() override { return true; }
    QJsonObject readiness() override;

    QByteArray prometheusText() override;

private:
    Server &m_server;
    Database &m_db;
    GroupCommit &m_commit;
    std::unique_ptr<ReceptionContext> m_receptions;
    std::unique_ptr<DiagnosisContext> m_diagnoses;
    std::unique_ptr<ExaminationContext> m_examinations;
    std::unique_ptr<StatusViewStore> m_view;
    std::unique_ptr<EventLog> m_log;
    std::unique_ptr<Cursors> m_cursors;
    std::unique_ptr<Cursors> m_viewCursors; // the view keeps its cursor with its rows
    std::unique_ptr<CommandIntake> m_inboxes;
    std::unique_ptr<HttpApi> m_api;
};

} // namespace clinicflow::server
