#include "HttpFrontend.h"

#include "JsonViews.h"
#include "Server.h"
#include "common/Logging.h"
#include "common/Metrics.h"
#include "contexts/DiagnosisContext.h"
#include "contexts/ExaminationContext.h"
#include "contexts/ReceptionContext.h"
#include "gateway/CommandIntake.h"
#include "security/AuditTrail.h"
#include "storage/Cursors.h"
#include "storage/EventLog.h"
#include "storage/GroupCommit.h"
#include "view/StatusViewStore.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcHttp;

namespace clinicflow::server {
namespace {

template<typename T>
std::optional<QJsonObject> answer(const Result<std::optional<T>> &loaded, const char *what)
{
    if (!loaded) {
        qCWarning(lcHttp).noquote() << "cannot read" << what << ":" << loaded.error().message();
        return std::nullopt;
    }
    if (!loaded.value())
        return std::nullopt;
    return toJson(*loaded.value());
}

// A positive whole number from the environment, else the default. For tests, which shorten the HTTP timeouts and
// lower the connection cap; not a documented setting.
int fromEnvironment(const char *name, int defaultValue)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    if (!ok || value <= 0)
        return defaultValue;
    qCInfo(lcHttp).noquote() << name << "=" << value << "(instead of" << defaultValue << ")";
    return value;
}

} // namespace

HttpFrontend::HttpFrontend(Server &server, Database &db, Database &viewDb, GroupCommit &commit)
    : m_server(server)
    , m_db(db)
    , m_commit(commit)
    , m_receptions(std::make_unique<ReceptionContext>(db, Catalogue()))
    , m_diagnoses(std::make_unique<DiagnosisContext>(db, Catalogue()))
    , m_examinations(std::make_unique<ExaminationContext>(db, Catalogue()))
    , m_view(std::make_unique<StatusViewStore>(viewDb))
    , m_log(std::make_unique<EventLog>(db))
    , m_cursors(std::make_unique<Cursors>(db))
    , m_viewCursors(std::make_unique<Cursors>(viewDb))
    , m_inboxes(std::make_unique<CommandIntake>(db))
    , m_api(std::make_unique<HttpApi>(*this, *this, *this))
{
}

HttpFrontend::~HttpFrontend() = default;

void HttpFrontend::setBearerToken(const QByteArray &token)
{
    m_api->setBearerToken(token);
}

Result<bool> HttpFrontend::listen(const QString &address, quint16 port)
{
    HttpLimits limits;
    limits.headerTimeoutMs = fromEnvironment("CLINICFLOW_HTTP_HEADER_TIMEOUT_MS", limits.headerTimeoutMs);
    limits.idleTimeoutMs = fromEnvironment("CLINICFLOW_HTTP_IDLE_TIMEOUT_MS", limits.idleTimeoutMs);
    limits.maxConnections = fromEnvironment("CLINICFLOW_HTTP_MAX_CONNECTIONS", limits.maxConnections);
    limits.maxConnectionsPerAddress =
        fromEnvironment("CLINICFLOW_HTTP_MAX_CONNECTIONS_PER_ADDRESS", limits.maxConnectionsPerAddress);
    m_api->setLimits(limits);
    auto listening = m_api->listen(QHostAddress(address), port);
    if (!listening)
        return listening.error();
    return true;
}

std::optional<QJsonObject> HttpFrontend::reception(const QUuid &id)
{
    return answer(m_receptions->load(id), "a reception");
}

std::optional<QJsonObject> HttpFrontend::diagnosis(const QUuid &id)
{
    return answer(m_diagnoses->load(id), "a diagnosis");
}

std::optional<QJsonObject> HttpFrontend::examination(const QUuid &id)
{
    return answer(m_examinations->load(id), "an examination");
}

QJsonArray HttpFrontend::visits(const VisitQuery &query)
{
    VisitFilter filter;
    filter.status = fromString<ReceptionStatus>(query.status);
    filter.department = query.department;
    filter.limit = query.limit;
    filter.after = query.after;
    QJsonArray rows;
    auto found = m_view->list(filter);
    if (!found) {
        qCWarning(lcHttp).noquote() << "cannot read the status view:" << found.error().message();
        return rows;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const VisitStatus &v : found.value())
        rows.append(toJson(v, now));
    return rows;
}

std::optional<QJsonArray> HttpFrontend::audit(const AuditFilter &filter)
{
    auto found = AuditTrail::find(
        m_db, AuditQuery{filter.visit, filter.station, filter.fromMs, filter.toMs, filter.limit, filter.after});
    if (!found) {
        qCWarning(lcHttp).noquote() << "cannot read the audit trail:" << found.error().message();
        return std::nullopt;
    }
    QJsonArray entries;
    for (const AuditRecord &record : found.value())
        entries.append(record.toJson());
    return entries;
}

bool HttpFrontend::recordReads(const QString &peer, const QString &what, const QList<QUuid> &visits)
{
    std::vector<AuditEntry> entries;
    entries.reserve(std::size_t(visits.size()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const QUuid &visit : visits)
        entries.push_back(AuditEntry{now,
                                     u"http"_s,
                                     {},
                                     QString::fromLatin1(audit::kReadHttp),
                                     visit,
                                     {},
                                     u"served"_s,
                                     {},
                                     u"%1 from %2"_s.arg(what, peer.left(64))});
    // Durable before the rows are sent: a read that the trail misses is not served.
    auto recorded = m_commit.run([&entries](Database &db) { return AuditTrail(db).append(entries); });
    if (!recorded)
        qCCritical(lcHttp).noquote() << "audit trail: cannot record an HTTP read:" << recorded.error().message();
    return recorded.ok();
}

QJsonObject HttpFrontend::readiness()
{
    return m_server.readiness();
}

QByteArray HttpFrontend::prometheusText()
{
    auto &metrics = common::Metrics::global();
    const auto head = m_log->head();
    if (head)
        metrics.gauge(u"clinicflow_event_log_head"_s, u"Highest sequence in the event log"_s).set(double(head.value()));
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination}) {
        if (auto depth = m_inboxes->inbox(context).depth())
            metrics
                .gauge(u"clinicflow_inbox_depth"_s, u"Commands waiting in a context's inbox"_s,
                       {{u"context"_s, toString(context)}})
                .set(double(depth.value()));
    }
    for (const QString &consumer : {u"reception"_s, u"diagnosis"_s, u"examination"_s, u"view"_s}) {
        auto cursor = (consumer == u"view"_s ? m_viewCursors : m_cursors)->get(consumer);
        if (head && cursor)
            metrics
                .gauge(u"clinicflow_worker_lag_events"_s, u"Events in the log a worker has not processed yet"_s,
                       {{u"worker"_s, consumer}})
                .set(double(head.value() - std::min(head.value(), cursor.value())));
    }
    return metrics.prometheusText();
}

} // namespace clinicflow::server
