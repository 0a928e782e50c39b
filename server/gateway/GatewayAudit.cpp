// The gateway's part of the audit trail (security/AuditTrail.h): every read of a patient's personal data it serves,
// in a page of events or of the snapshot, or published to a station subscribed to its role's topic. Entries are
// gathered during a turn of the loop and written in one unit of work at its end, without holding up the loop.
#include "GatewayLoop.h"
#include "PageReader.h"
#include "common/Logging.h"
#include "proto/Redaction.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcGateway;

namespace clinicflow::server {

std::vector<AuditEntry> auditEntriesOf(const QString &station, Role role, const v1::Envelope &page)
{
    std::vector<AuditEntry> entries;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString as = u"as %1"_s.arg(toString(role));
    if (page.has_event_batch()) {
        for (const v1::Event &e : page.event_batch().events()) {
            if (!proto::hasPersonalFields(e))
                continue;
            entries.push_back(AuditEntry{now,
                                         station,
                                         {},
                                         QString::fromLatin1(audit::kReadEvents),
                                         idFromString(QString::fromStdString(e.visit_id())),
                                         {},
                                         u"served"_s,
                                         {},
                                         u"%1, event %2"_s.arg(as).arg(e.sequence())});
        }
    } else if (page.has_snapshot()) {
        for (const v1::VisitStatus &v : page.snapshot().visits()) {
            entries.push_back(AuditEntry{now,
                                         station,
                                         {},
                                         QString::fromLatin1(audit::kReadSnapshot),
                                         idFromString(QString::fromStdString(v.visit_id())),
                                         {},
                                         u"served"_s,
                                         {},
                                         as});
        }
    }
    return entries;
}

void Gateway::Loop::auditPublished(Role role, const v1::Event &event, quint64 sequence)
{
    // The stations that hear the role's topic: subscribed to it, and connected (a session that the socket monitor
    // has not ended). A station that subscribed and went away is not counted as having received it.
    const auto subscribed = m_subscribers.constFind(proto::roleTopic(role));
    if (subscribed == m_subscribers.cend())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QUuid visit = idFromString(QString::fromStdString(event.visit_id()));
    for (const QString &station : *subscribed) {
        if (!m_sessions.hasStation(station))
            continue;
        m_auditReads.push_back(AuditEntry{now,
                                          station,
                                          {},
                                          QString::fromLatin1(audit::kReadPublished),
                                          visit,
                                          {},
                                          u"served"_s,
                                          {},
                                          u"as %1, event %2"_s.arg(toString(role)).arg(sequence)});
    }
}

void Gateway::Loop::noteSubscription(const std::string &topic, const QString &station, bool subscribe)
{
    if (subscribe)
        m_subscribers[topic].insert(station);
    else if (auto it = m_subscribers.find(topic); it != m_subscribers.end())
        it->remove(station);
}

void Gateway::Loop::flushAudit()
{
    if (m_auditReads.empty())
        return;
    auto entries = std::make_shared<std::vector<AuditEntry>>(std::move(m_auditReads));
    m_auditReads.clear();
    // Not waited for: the reads were served. A failure is said loudly, since the trail then misses them.
    m_commit.runAsync(
        [entries](Database &db) -> Result<bool> {
            AuditTrail trail(db);
            auto written = trail.append(*entries);
            if (!written)
                qCCritical(lcGateway).noquote()
                    << "audit trail: cannot record" << entries->size() << "read(s):" << written.error().message();
            return written;
        },
        [] {});
}

} // namespace clinicflow::server
