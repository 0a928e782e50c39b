// Internal to the Convert*.cpp files: reading wire fields that may be wrong while keeping the first error, tagged
// with the field it came from, so a conversion reads as a flat list of assignments.
#pragma once

#include "domain/Result.h"

#include <QDateTime>
#include <QString>
#include <QUuid>
#include <optional>
#include <string>
#include <utility>

namespace clinicflow::proto::detail {

inline QString fromWire(const std::string &text)
{
    return QString::fromStdString(text);
}

inline std::string toWire(const QString &text)
{
    return text.toStdString();
}

// Peer-supplied text quoted in an error detail, cut short: a detail is logged, and must stay a line, not a payload.
QString quoted(const std::string &text);

class FieldReader
{
public:
    explicit FieldReader(QString scope)
        : m_scope(std::move(scope))
    {
    }
    Q_DISABLE_COPY_MOVE(FieldReader)

    // Empty text is a null id (validateShape decides whether one is required); other text must be a UUID.
    QUuid id(const std::string &text, const char *field);
    QDateTime time(qint64 ms, const char *field);

    // The value of a nested conversion, or T{} after recording its error under this field.
    template<typename T>
    T take(domain::Result<T> result, const char *field)
    {
        if (result.ok())
            return std::move(result).value();
        fail(result.error().code, field, result.error().detail);
        return T{};
    }

    void fail(domain::ErrorCode code, const char *field, const QString &detail);
    bool ok() const { return !m_error.has_value(); }
    const domain::Error &error() const { return *m_error; }

private:
    QString m_scope; // e.g. "register_visit", prefixed to every field in an error detail
    std::optional<domain::Error> m_error;
};

} // namespace clinicflow::proto::detail
