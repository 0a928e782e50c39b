// The screens benchmark's shared helpers: printing the figures with their bars, and watching the GUI thread.
#pragma once

#include <QElapsedTimer>
#include <QEvent>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QWidget>
#include <algorithm>
#include <cstddef>
#include <functional>
#include <vector>

namespace clinicflow::bench {

// ---- printing -----------------------------------------------------------------------------------------------------

void heading(const QString &text);
void line(const char *what, double value, const char *unit, const QString &bar = {});
// "bar <= 300 ms: met" beside a figure the issue sets a bar for.
QString bar(double value, double limit, const char *unit);
double ms(qint64 ns);
double percentile(std::vector<double> values, double q);
QString procField(const QString &file, const QString &key);
// VmRSS / VmHWM of this process, in MB.
double memoryMb(const char *field);
void printContext(const QString &storeDir);

// ---- the GUI thread, watched --------------------------------------------------------------------------------------

// Notes the paint events a widget (a table's viewport) receives. The flag is set as the paint starts; the caller's
// event loop returns once it is done, so the time taken there includes the paint itself.
class PaintWatch final : public QObject
{
public:
    explicit PaintWatch(QWidget *target) { target->installEventFilter(this); }
    void arm() { m_seen = false; }
    bool seen() const { return m_seen; }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            m_seen = true;
        return false;
    }

private:
    bool m_seen = false;
};

// Runs the event loop until done() or the timeout; false on timeout. Never spins: it sleeps in the event loop.
bool waitUntil(const std::function<bool()> &done, int timeoutMs);
void runFor(int milliseconds);

// A 1 ms timer on the GUI thread: the longest gap between two ticks is the longest the screen could not repaint.
class StallMeter final : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
    }
    void start()
    {
        m_gaps.clear();
        m_longest = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start(1);
    }
    void stop()
    {
        tick(); // a stall that was still going on counts
        m_timer.stop();
    }
    double longestMs() const { return m_longest; }
    double longestAtS() const { return m_longestAt / 1e9; }
    int over(double milliseconds) const
    {
        return int(std::count_if(m_gaps.begin(), m_gaps.end(), [=](double g) { return g > milliseconds; }));
    }
    double blockedMs(double beyond) const
    {
        double sum = 0;
        for (double g : m_gaps)
            sum += g > beyond ? g : 0;
        return sum;
    }
    std::size_t ticks() const { return m_gaps.size(); }
    QString longest(int n) const; // "59, 52, 48 ms"

private:
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const double gap = ms(now - m_last);
        if (gap > m_longest) {
            m_longest = gap;
            m_longestAt = m_last;
        }
        m_gaps.push_back(gap);
        m_last = now;
    }
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longestAt = 0;
    double m_longest = 0;
    std::vector<double> m_gaps;
};

} // namespace clinicflow::bench
