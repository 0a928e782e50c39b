// The HTTP API's reply helpers, shared by its routes' files.
#pragma once

#include "HttpApi.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

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
