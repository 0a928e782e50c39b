// GET /audit: the audit trail for operators, filtered by visit, station and time (see HttpApi.h).
#include "HttpApi.h"
#include "HttpReplies.h"

#include <QJsonArray>
#include <limits>

using namespace Qt::StringLiterals;

namespace clinicflow::server {

using http::echo;
using http::error;
using http::json;
using http::parseTime;

HttpReply HttpApi::audit(const QUrlQuery &query)
{
    static const QStringList known{u"visit"_s, u"station"_s, u"from"_s, u"to"_s, u"limit"_s, u"after"_s};
    AuditFilter filter;
    const auto items = http::knownItems(query, known);
    if (const auto *refused = std::get_if<HttpReply>(&items))
        return *refused;
    for (const auto &[key, value] : std::get<0>(items)) {
        bool ok = false;
        if (key == u"visit"_s) {
            filter.visit = QUuid::fromString(value);
            if (filter.visit.isNull())
                return error(400, u"bad_request"_s, u"visit '%1' is not a visit id (a UUID)"_s.arg(echo(value)));
        } else if (key == u"station"_s) {
            if (value.isEmpty() || value.size() > 32)
                return error(400, u"bad_request"_s, u"station '%1' is not a station code"_s.arg(echo(value)));
            filter.station = value;
        } else if (key == u"from"_s || key == u"to"_s) {
            const qint64 at = parseTime(value);
            if (at < 0)
                return error(
                    400, u"bad_request"_s,
                    u"%1 '%2' is not a time (2026-11-30T09:00:00Z) or a date (2026-11-30)"_s.arg(key, echo(value)));
            (key == u"from"_s ? filter.fromMs : filter.toMs) = at;
        } else if (key == u"limit"_s) {
            const int limit = value.toInt(&ok);
            if (!ok || limit < 1 || limit > maxAuditLimit)
                return error(400, u"bad_request"_s,
                             u"limit '%1' is not a number from 1 to %2"_s.arg(echo(value)).arg(maxAuditLimit));
            filter.limit = limit;
        } else {
            const quint64 after = value.toULongLong(&ok);
            if (!ok || value.startsWith(u'+') || after > quint64(std::numeric_limits<qint64>::max()))
                return error(400, u"bad_request"_s,
                             u"after '%1' is not a position (an integer from 0 to 2^63-1)"_s.arg(echo(value)));
            filter.after = after;
        }
    }
    if (filter.fromMs > 0 && filter.toMs > 0 && filter.toMs <= filter.fromMs)
        return error(400, u"bad_request"_s, u"'to' must be later than 'from'"_s);

    std::optional<QJsonArray> entries = m_readModel.audit(filter);
    if (!entries)
        return error(503, u"unavailable"_s, u"the audit trail cannot be read now; try again"_s);
    QJsonValue next = QJsonValue::Null;
    if (entries->size() == filter.limit)
        next = entries->last().toObject().value(u"position"_s);
    return json(200, {{u"entries"_s, *entries}, {u"count"_s, int(entries->size())}, {u"nextAfter"_s, next}});
}

} // namespace clinicflow::server
