// Errors as values: a Result<T> holds either a T or an Error (code + human-readable detail).
// C++20 has no std::expected; this is the small part of it that ClinicFlow needs.
#pragma once

#include "ErrorCode.h"

#include <QString>
#include <utility>
#include <variant>

namespace clinicflow::domain {

struct Error
{
    ErrorCode code = ErrorCode::None;
    QString detail; // extra context (ids, tickets; never a patient's name or phone)
    // The system failed, not the request: the database's disk, its connection, a lock, an operator's cancel. The same
    // request may succeed later, so nothing may be decided about it now (a worker keeps the command and tries again).
    bool retryable = false;

    // The sentence for the code, followed by the detail when there is one.
    QString message() const;
    friend bool operator==(const Error &, const Error &) = default;
};

inline Error makeError(ErrorCode code, QString detail = {})
{
    return Error{code, std::move(detail), false};
}

template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    Result(Error error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T *operator->() const { return &value(); }
    const T &operator*() const { return value(); }

    const Error &error() const { return std::get<1>(m_data); }
    ErrorCode code() const { return ok() ? ErrorCode::None : error().code; }

private:
    std::variant<T, Error> m_data;
};

} // namespace clinicflow::domain
