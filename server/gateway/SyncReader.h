// The reads a station syncs with: Welcome (head and catalogue), pages of the event log, and pages of the status view
// for a snapshot. Each page stays under the codec's message size.
#pragma once

#include "clinicflow/v1/envelope.pb.h"
#include "domain/Catalogue.h"
#include "storage/Cursors.h"
#include "storage/EventLog.h"
#include "view/StatusViewStore.h"

namespace clinicflow::server {

class SyncReader
{
    Q_DISABLE_COPY_MOVE(SyncReader)
public:
    // `db` reads the log, `viewDb` the status view's store (DatabaseSettings::viewSettings).
    SyncReader(Database &db, Database &viewDb, domain::Catalogue catalogue, QString serverId);

    domain::Result<quint64> head() { return m_log.head(); }
    domain::Result<std::vector<EventLog::RawEvent>> rawEventsAfter(quint64 after, int limit)
    {
        return m_log.readRawAfter(after, limit);
    }

    domain::Result<v1::Envelope> welcome(quint64 stationSequence);
    // A page of the log as a station of `role` may read it (proto/Redaction.h).
    domain::Result<v1::Envelope> events(const v1::FetchEvents &request, domain::Role role);
    domain::Result<v1::Envelope> snapshot(const v1::FetchSnapshot &request);

private:
    EventLog m_log;
    StatusViewStore m_view;
    Cursors m_cursors; // the view's, beside its rows
    domain::Catalogue m_catalogue;
    QString m_serverId;
};

// A station this far behind is better served by a snapshot than by replaying the log.
inline constexpr quint64 kSnapshotThreshold = 50000;

} // namespace clinicflow::server
