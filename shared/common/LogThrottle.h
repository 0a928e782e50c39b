// Repeated warnings from one peer, said once and then summed up (issue #12, "Logging never hurts the server"): the
// first line about a key (a station, an address) in a window is written; the others are counted, and when the window
// ends one line says "1,234 more from station X in 10 s". A peer that sends garbage at line rate thus costs a line
// every ten seconds, not a line per message. Plain logic: the caller writes the lines; not thread-safe.
#pragma once

#include <QHash>
#include <QString>
#include <chrono>
#include <vector>

namespace clinicflow::common {

class LogThrottle
{
public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(std::chrono::seconds window = std::chrono::seconds(10), int linesPerWindow = 1);

    // Whether a line about `key` may be written now; when not, it is counted for the summary.
    bool allow(const QString &key, Clock::time_point now = Clock::now());

    struct Summary
    {
        QString key;
        long suppressed = 0;
        std::chrono::seconds window;
        QString text() const; // "1,234 more from <key> in 10 s"
    };
    // The keys whose window has ended with lines suppressed; their windows start again. Keys quiet for a whole window
    // are forgotten, so memory follows the peers of the last window only.
    std::vector<Summary> takeSummaries(Clock::time_point now = Clock::now());
    // Every key's suppressed lines, its window over or not (each summary's window is the time since it began, whole
    // seconds, at least 1), and every key forgotten: for the last lines of a loop that stops.
    std::vector<Summary> takeAll(Clock::time_point now = Clock::now());
    qsizetype size() const { return m_keys.size(); }

private:
    struct Window
    {
        Clock::time_point start;
        int written = 0;
        long suppressed = 0;
    };
    std::chrono::seconds m_window;
    int m_linesPerWindow;
    QHash<QString, Window> m_keys;
};

// Peer-supplied text for a log line: at most `max` characters, control characters shown as '?', and how much was cut.
QString clipped(const QString &text, int max = 64);

} // namespace clinicflow::common
