// A failing step said once, then summed up (see FailureStreak.h).
#include "FailureStreak.h"

#include <QLocale>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace clinicflow::common {

namespace {
QString count(long n)
{
    return QLocale(QLocale::English).toString(qlonglong(n));
}
} // namespace

FailureStreak::FailureStreak()
    : FailureStreak(Settings{})
{
}

FailureStreak::FailureStreak(Settings settings)
    : m_settings(settings)
{
}

FailureStreak::Report FailureStreak::failed(const QString &reason, Clock::time_point now)
{
    if (m_failures++ == 0)
        m_since = now;
    // The first line of a streak is the first failure with a reason.
    const bool write = !reason.isEmpty() && (m_lastLine == Clock::time_point{} || reason != m_lastReason ||
                                             now - m_lastLine >= m_settings.reminderEvery);
    if (!write) {
        ++m_notWritten;
        return {};
    }
    const Report report{true, std::exchange(m_notWritten, 0)};
    m_lastLine = now;
    m_lastReason = reason;
    return report;
}

std::optional<FailureStreak::Ended> FailureStreak::succeeded(Clock::time_point now)
{
    if (m_failures == 0)
        return std::nullopt;
    const Ended ended{m_failures, std::chrono::duration_cast<std::chrono::milliseconds>(now - m_since)};
    m_failures = 0;
    m_notWritten = 0;
    m_lastLine = Clock::time_point{};
    m_lastReason.clear();
    return ended;
}

std::chrono::milliseconds FailureStreak::pause() const
{
    if (m_failures == 0)
        return std::chrono::milliseconds(0);
    auto pause = m_settings.firstPause;
    for (long i = 1; i < m_failures && pause < m_settings.longestPause; ++i)
        pause *= 2;
    return std::min(pause, m_settings.longestPause);
}

QString FailureStreak::Report::suffix() const
{
    if (notWritten == 0)
        return {};
    return u" (%1 more %2 not written)"_s.arg(count(notWritten), notWritten == 1 ? u"failure"_s : u"failures"_s);
}

QString FailureStreak::Ended::text() const
{
    return u"after %1 %2 in %3"_s.arg(count(failures), failures == 1 ? u"failure"_s : u"failures"_s,
                                      durationText(lasted));
}

QString durationText(std::chrono::milliseconds duration)
{
    const qint64 seconds = std::max<qint64>(0, (duration.count() + 500) / 1000);
    const qint64 h = seconds / 3600;
    const qint64 min = seconds % 3600 / 60;
    const qint64 s = seconds % 60;
    if (h > 0)
        return u"%1 h %2 min"_s.arg(h).arg(min);
    if (min > 0)
        return u"%1 min %2 s"_s.arg(min).arg(s);
    return u"%1 s"_s.arg(s);
}

} // namespace clinicflow::common
