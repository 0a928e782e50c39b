// The window of a command's time (see ActedAt.h).
#include "ActedAt.h"

#include <QtNumeric>
#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace clinicflow::domain {
namespace {

// "3 days", "57 years", "12 minutes": how far off a time is, for the detail a person reads.
QString span(qint64 ms)
{
    constexpr qint64 minute = 60 * 1000;
    constexpr qint64 hour = 60 * minute;
    constexpr qint64 day = 24 * hour;
    constexpr qint64 year = 365 * day;
    if (ms >= 2 * year)
        return u"%1 years"_s.arg(ms / year);
    if (ms >= 2 * day)
        return u"%1 days"_s.arg(ms / day);
    if (ms >= 2 * hour)
        return u"%1 hours"_s.arg(ms / hour);
    return u"%1 minutes"_s.arg(ms / minute);
}

} // namespace

Result<bool> checkActedAt(qint64 actedAtMs, qint64 serverNowMs)
{
    // at_ms comes from the wire and may be anything an int64 holds: the distance saturates instead of overflowing.
    if (actedAtMs == 0)
        return true;
    qint64 offset = 0; // how far the station's time is ahead of the server's (negative: behind)
    if (qSubOverflow(actedAtMs, serverNowMs, &offset))
        offset = actedAtMs < serverNowMs ? -std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::max();
    offset = std::max(offset, -std::numeric_limits<qint64>::max());
    if (offset < -kActedAtMaxAgeMs)
        return makeError(
            ErrorCode::ActedAtOutOfRange,
            u"%1 before the server's time, more than the %2 days an offline action stays valid"_s.arg(span(-offset))
                .arg(kActedAtMaxAgeMs / (24 * 60 * 60 * 1000)));
    if (offset > kActedAtMaxAheadMs)
        return makeError(
            ErrorCode::ActedAtOutOfRange,
            u"%1 after the server's time, more than the %2 minutes a station's clock may be ahead"_s.arg(span(offset))
                .arg(kActedAtMaxAheadMs / (60 * 1000)));
    return true;
}

} // namespace clinicflow::domain
