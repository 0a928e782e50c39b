// The HTTP API's reply helpers, shared by its routes' files.
#pragma once

#include "HttpApi.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <QUrlQuery>
#include <variant>

namespace clinicflow::server::http {

inline constexpr qsizetype kMaxEcho = 64; // user input quoted back in an error, at most

inline QString echo(const QString &text)
{
    using namespace Qt::StringLiterals;
    return text.size() <= kMaxEcho ? text : text.left(kMaxEcho) + u"…"_s;
}

inline HttpReply json(int status, const QJsonObject &object)
{
    return HttpReply{status, "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact), {}};
}

inline HttpReply error(int status, const QString &code, const QString &message)
{
    using namespace Qt::StringLiterals;
    return json(status, {{u"error"_s, code}, {u"message"_s, message}});
}

// The query's items, decoded, when each names one of `known` and none is given twice; else the 400 saying which.
inline std::variant<QList<std::pair<QString, QString>>, HttpReply> knownItems(const QUrlQuery &query,
                                                                              const QStringList &known)
{
    using namespace Qt::StringLiterals;
    const QList<std::pair<QString, QString>> items = query.queryItems(QUrl::FullyDecoded);
    QStringList seen;
    for (const auto &[key, value] : items) {
        if (!known.contains(key))
            return error(400, u"bad_request"_s,
                         u"unknown parameter '%1' (expected %2)"_s.arg(echo(key), known.join(u", "_s)));
        if (seen.contains(key))
            return error(400, u"bad_request"_s, u"parameter '%1' given more than once"_s.arg(key));
        seen.append(key);
    }
    return items;
}

// A time an operator gives (the audit's from and to): "2026-11-30T09:00:00Z", "2026-11-30T18:00:00+09:00", or a date
// "2026-11-30" (its midnight). A time or date without an offset is UTC, whatever the server's zone. -1 when neither.
inline qint64 parseTime(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) {
        const QDate day = QDate::fromString(text, Qt::ISODate);
        if (day.isValid())
            t = day.startOfDay(QTimeZone::utc());
    } else if (t.timeSpec() == Qt::LocalTime) {
        t.setTimeZone(QTimeZone::utc());
    }
    return t.isValid() ? t.toMSecsSinceEpoch() : -1;
}

} // namespace clinicflow::server::http
