// A loop that tries a step again and again while it fails (a worker, the writer's rounds, the checkpointer) says so
// without flooding the log: the first failure of a streak is written, then one line a minute at most with how many
// failures came between, and a last line when the step works again ("after 1,234 failures in 5 min 3 s"). Its pause
// before the next try grows with the streak, so that a database that cannot take a write (its disk full, say) is not
// asked again twenty times a second. Plain logic: the caller writes the lines and waits; not thread-safe.
#pragma once

#include <QString>
#include <chrono>
#include <optional>

namespace clinicflow::common {

class FailureStreak
{
public:
    using Clock = std::chrono::steady_clock;
    struct Settings
    {
        std::chrono::milliseconds firstPause{500};    // after the first failure of a streak
        std::chrono::milliseconds longestPause{5000}; // doubled at each failure up to this
        std::chrono::seconds reminderEvery{60};       // a line at most this often while the same failure goes on
    };

    FailureStreak();
    explicit FailureStreak(Settings settings);

    // A failure, with its reason. Whether to write it: the first of a streak, a reason other than the last one
    // written, or the first once `reminderEvery` has passed since the last line. `notWritten` failures came between
    // the last line and this one; suffix() says so for the line. A failure with no reason (one its caller reports
    // elsewhere) is counted, never written.
    struct Report
    {
        bool write = false;
        long notWritten = 0;
        QString suffix() const; // "" or " (12 more failures not written)"
    };
    Report failed(const QString &reason, Clock::time_point now = Clock::now());

    // A success. When it ends a streak: how many failures it had and how long it lasted, to write that the step
    // works again.
    struct Ended
    {
        long failures = 0;
        std::chrono::milliseconds lasted{};
        QString text() const; // "after 1,234 failures in 5 min 3 s"
    };
    std::optional<Ended> succeeded(Clock::time_point now = Clock::now());

    // How long to wait before the next try: `firstPause` doubled for each failure after the first, at most
    // `longestPause`; zero while nothing fails.
    std::chrono::milliseconds pause() const;
    long failures() const { return m_failures; }

private:
    Settings m_settings;
    long m_failures = 0;
    long m_notWritten = 0;
    Clock::time_point m_since;
    Clock::time_point m_lastLine;
    QString m_lastReason;
};

// "3 s", "5 min 3 s", "2 h 5 min": a duration for a log line, to the second.
QString durationText(std::chrono::milliseconds duration);

} // namespace clinicflow::common
