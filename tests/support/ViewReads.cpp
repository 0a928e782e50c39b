#include "ViewReads.h"

#include "domain/Ids.h"

using namespace Qt::StringLiterals;

namespace clinicflow::testsupport {

std::optional<QJsonArray> visitRows(ServerProcess &server, const QString &query, QString *error, int pageSize)
{
    QJsonArray rows;
    QString after;
    for (int page = 0; page < 1000; ++page) {
        QString path = u"/visits?limit=%1"_s.arg(pageSize);
        if (!query.isEmpty())
            path += u'&' + query;
        if (!after.isEmpty())
            path += u"&after="_s + after;
        const HttpResult result = server.httpGet(path);
        const QJsonObject body = result.object();
        if (result.status != 200 || !body.value(u"visits"_s).isArray()) {
            if (error)
                *error = u"GET %1: %2 %3"_s.arg(path).arg(result.status).arg(QString::fromUtf8(result.body.left(300)));
            return std::nullopt;
        }
        const QJsonArray visits = body.value(u"visits"_s).toArray();
        for (const QJsonValue &row : visits)
            rows.append(row);
        // The cursor for the next page: "nextAfter" (null on the last page); "next_after" in early drafts of the API.
        const QJsonValue next =
            body.contains(u"nextAfter"_s) ? body.value(u"nextAfter"_s) : body.value(u"next_after"_s);
        if (next.isNull() || next.isUndefined() || visits.isEmpty())
            return rows;
        after = next.isString() ? next.toString() : QString::number(next.toInteger());
    }
    if (error)
        *error = u"/visits never stops paging"_s;
    return std::nullopt;
}

std::optional<QJsonObject> visitRow(ServerProcess &server, const QUuid &visitId)
{
    const QString id = domain::idString(visitId);
    const auto rows = visitRows(server);
    if (!rows)
        return std::nullopt;
    for (const QJsonValue &row : *rows) {
        if (row.toObject().value(u"visitId"_s).toString() == id)
            return row.toObject();
    }
    return std::nullopt;
}

std::optional<QJsonObject> record(ServerProcess &server, const QString &kind, const QUuid &id)
{
    const HttpResult result = server.httpGet(u"/%1/%2"_s.arg(kind, domain::idString(id)));
    if (result.status != 200 || !result.json.isObject())
        return std::nullopt;
    return result.object();
}

QString Polled::describe() const
{
    return last.isEmpty() ? u"nothing read"_s : QString::fromUtf8(QJsonDocument(last).toJson(QJsonDocument::Compact));
}

Polled pollRecord(ServerProcess &server, const QString &kind, const QUuid &id,
                  const std::function<bool(const QJsonObject &)> &check, int timeoutMs)
{
    Polled polled;
    polled.ok = pollUntil(
        [&] {
            const auto row = record(server, kind, id);
            if (row)
                polled.last = *row;
            return row && check(*row);
        },
        timeoutMs);
    return polled;
}

Polled pollVisitRow(ServerProcess &server, const QUuid &visitId, const std::function<bool(const QJsonObject &)> &check,
                    int timeoutMs)
{
    Polled polled;
    polled.ok = pollUntil(
        [&] {
            const auto row = visitRow(server, visitId);
            if (row)
                polled.last = *row;
            return row && check(*row);
        },
        timeoutMs);
    return polled;
}

} // namespace clinicflow::testsupport
