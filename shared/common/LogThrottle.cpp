// Repeated warnings from one peer, summed up (see LogThrottle.h).
#include "LogThrottle.h"

#include <QLocale>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace clinicflow::common {

LogThrottle::LogThrottle(std::chrono::seconds window, int linesPerWindow)
    : m_window(window)
    , m_linesPerWindow(linesPerWindow)
{
}

bool LogThrottle::allow(const QString &key, Clock::time_point now)
{
    auto it = m_keys.find(key);
    if (it == m_keys.end())
        it = m_keys.insert(key, Window{now, 0, 0});
    if (it->written < m_linesPerWindow) {
        ++it->written;
        return true;
    }
    ++it->suppressed;
    return false;
}

std::vector<LogThrottle::Summary> LogThrottle::takeSummaries(Clock::time_point now)
{
    std::vector<Summary> summaries;
    for (auto it = m_keys.begin(); it != m_keys.end();) {
        if (now - it->start < m_window) {
            ++it;
            continue;
        }
        if (it->suppressed == 0) {
            it = m_keys.erase(it); // quiet for a whole window
            continue;
        }
        summaries.push_back(Summary{it.key(), it->suppressed, m_window});
        // The next window starts now and has used its line already: the summary was one.
        *it = Window{now, m_linesPerWindow, 0};
        ++it;
    }
    return summaries;
}

std::vector<LogThrottle::Summary> LogThrottle::takeAll(Clock::time_point now)
{
    std::vector<Summary> summaries;
    for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it) {
        if (it->suppressed == 0)
            continue;
        const auto elapsed = std::chrono::ceil<std::chrono::seconds>(now - it->start);
        summaries.push_back(Summary{it.key(), it->suppressed, std::max(elapsed, std::chrono::seconds(1))});
    }
    m_keys.clear();
    return summaries;
}

QString LogThrottle::Summary::text() const
{
    return u"%1 more from %2 in %3 s"_s.arg(QLocale(QLocale::English).toString(qlonglong(suppressed)), key)
        .arg(window.count());
}

QString clipped(const QString &text, int max)
{
    QString out = text.left(max);
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            c = u'?';
    }
    if (text.size() > max)
        out += u"… (%1 characters)"_s.arg(text.size());
    return out;
}

} // namespace clinicflow::common
