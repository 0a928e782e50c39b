// Each station's share of the gateway (see StationLimits.h).
#include "StationLimits.h"

#include <algorithm>
#include <cmath>

namespace clinicflow::server {

namespace {

StationLimits::Wait waitFor(double missing, double perSecond)
{
    // Rounded up, and at least a millisecond: a station told 0 would send again at once.
    return StationLimits::Wait(std::max<long long>(1, (long long)std::ceil(missing / perSecond * 1000.0)));
}

} // namespace

StationLimits::StationLimits(StationLimitSettings settings)
    : m_settings(settings)
{
}

void StationLimits::refill(Bucket &bucket, double perSecond, double capacity, Clock::time_point now)
{
    const double seconds = std::chrono::duration<double>(now - bucket.at).count();
    if (seconds > 0)
        bucket.level = std::min(capacity, bucket.level + seconds * perSecond);
    bucket.at = std::max(bucket.at, now);
}

StationLimits::Station &StationLimits::station(const QString &code, Clock::time_point now)
{
    Station &s = m_stations[code];
    if (s.fresh) {
        s.fresh = false;
        s.requests = {m_settings.requestsPerSecond * m_settings.burstSeconds, now};
        s.pageBytes = {m_settings.pageBurstBytes, now};
    }
    return s;
}

std::optional<StationLimits::Wait> StationLimits::takeRequest(const QString &code, int cost, Clock::time_point now)
{
    Station &s = station(code, now);
    if (now < s.heldUntil) {
        ++s.ignored;
        return std::chrono::ceil<Wait>(s.heldUntil - now);
    }
    refill(s.requests, m_settings.requestsPerSecond, m_settings.requestsPerSecond * m_settings.burstSeconds, now);
    if (s.requests.level < cost) {
        const Wait wait =
            std::max(waitFor(cost - s.requests.level, m_settings.requestsPerSecond), Wait(m_settings.shortestHold));
        s.heldUntil = now + wait;
        return wait;
    }
    s.requests.level -= cost;
    s.ignored = 0;
    return std::nullopt;
}

std::optional<StationLimits::Wait> StationLimits::pageAllowed(const QString &code, Clock::time_point now)
{
    Station &s = station(code, now);
    refill(s.pageBytes, m_settings.pageBytesPerSecond, m_settings.pageBurstBytes, now);
    if (s.pageBytes.level < 0)
        return waitFor(-s.pageBytes.level, m_settings.pageBytesPerSecond);
    return std::nullopt;
}

void StationLimits::chargePage(const QString &code, std::size_t bytes, Clock::time_point now)
{
    Station &s = station(code, now);
    refill(s.pageBytes, m_settings.pageBytesPerSecond, m_settings.pageBurstBytes, now);
    s.pageBytes.level -= double(bytes);
}

void StationLimits::noteInvalid(const QString &code, Clock::time_point now)
{
    Station &s = station(code, now);
    if (now - s.invalidSince > std::chrono::seconds(10)) {
        s.invalidSince = now;
        s.invalid = 0;
    }
    ++s.invalid;
}

void StationLimits::noteWithoutSession(const QString &code, Clock::time_point now)
{
    Station &s = station(code, now);
    if (!s.withoutSessionSince)
        s.withoutSessionSince = now;
    else if (now - *s.withoutSessionSince > m_settings.helloGrace)
        noteInvalid(code, now);
}

void StationLimits::sessionStarted(const QString &code)
{
    if (auto it = m_stations.find(code); it != m_stations.end())
        it->withoutSessionSince.reset();
}

bool StationLimits::ignoresRefusals(const QString &code) const
{
    const auto it = m_stations.constFind(code);
    return it != m_stations.cend() &&
           (it->ignored >= m_settings.ignoredBeforeShutOut || it->invalid >= m_settings.invalidBeforeShutOut);
}

void StationLimits::forgive(const QString &code)
{
    if (auto it = m_stations.find(code); it != m_stations.end()) {
        it->ignored = 0;
        it->invalid = 0;
    }
}

void StationLimits::holdOff(const QString &code, Wait wait, Clock::time_point now)
{
    Station &s = station(code, now);
    s.heldUntil = std::max(s.heldUntil, now + wait);
}

bool StationLimits::mayTakeCommand(const QString &code) const
{
    return m_stations.value(code).pending < m_settings.pendingCommands;
}

void StationLimits::commandTaken(const QString &code)
{
    ++m_stations[code].pending;
}

void StationLimits::commandAnswered(const QString &code)
{
    auto it = m_stations.find(code);
    if (it != m_stations.end() && it->pending > 0)
        --it->pending;
}

void StationLimits::prune(Clock::time_point now)
{
    const double fullRequests = m_settings.requestsPerSecond * m_settings.burstSeconds;
    m_stations.removeIf([&](auto it) {
        Station &s = it.value();
        if (s.fresh || s.pending > 0)
            return s.fresh;
        refill(s.requests, m_settings.requestsPerSecond, fullRequests, now);
        refill(s.pageBytes, m_settings.pageBytesPerSecond, m_settings.pageBurstBytes, now);
        return s.requests.level >= fullRequests && s.pageBytes.level >= m_settings.pageBurstBytes;
    });
}

} // namespace clinicflow::server
