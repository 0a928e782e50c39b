// The screens benchmark's shared helpers: the printing, the event loop run and waited on, the stall meter's summary.
#include "ScreensBenchSupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QStringList>
#include <QThread>
#include <cmath>
#include <cstdio>

#ifndef CLINICFLOW_BUILD_TYPE
#define CLINICFLOW_BUILD_TYPE "unknown"
#endif

using namespace Qt::StringLiterals;

namespace clinicflow::bench {

// ---- printing -----------------------------------------------------------------------------------------------------

void heading(const QString &text)
{
    std::printf("\n%s\n", qPrintable(text));
    std::fflush(stdout);
}

void line(const char *what, double value, const char *unit, const QString &bar)
{
    std::printf("  %-62s %10.1f %-3s %s\n", what, value, unit, qPrintable(bar));
    std::fflush(stdout);
}

QString bar(double value, double limit, const char *unit)
{
    return u"(bar <= %1 %2: %3)"_s.arg(limit).arg(QString::fromLatin1(unit), value <= limit ? u"met"_s : u"MISSED"_s);
}

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

double percentile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = std::size_t(std::ceil(q * double(values.size())));
    return values[std::min(values.size() - 1, rank > 0 ? rank - 1 : 0)];
}

QString procField(const QString &file, const QString &key)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &l : f.readAll().split('\n')) {
        const QString text = QString::fromUtf8(l);
        if (text.startsWith(key))
            return text.mid(text.indexOf(u':') + 1).trimmed();
    }
    return {};
}

double memoryMb(const char *field)
{
    return procField(u"/proc/self/status"_s, QString::fromLatin1(field)).split(u' ').value(0).toDouble() / 1024.0;
}

void printContext(const QString &storeDir)
{
    heading(u"Machine"_s);
    std::printf("  cores: %d (%s)\n", QThread::idealThreadCount(),
                qPrintable(procField(u"/proc/cpuinfo"_s, u"model name"_s)));
    std::printf("  memory: %s, load average: %s", qPrintable(procField(u"/proc/meminfo"_s, u"MemTotal"_s)),
                [] {
                    QFile f(u"/proc/loadavg"_s);
                    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("?\n");
                }()
                    .constData());
    std::printf("  build type: %s, Qt %s, platform %s\n", CLINICFLOW_BUILD_TYPE, qVersion(),
                qPrintable(QGuiApplication::platformName()));
    std::printf("  stores in: %s\n", qPrintable(storeDir));
    std::fflush(stdout);
}

// ---- the GUI thread, watched --------------------------------------------------------------------------------------

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QTimer wake;
    wake.start(5);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

void runFor(int milliseconds)
{
    QEventLoop loop;
    QTimer::singleShot(milliseconds, &loop, &QEventLoop::quit);
    loop.exec();
}

QString StallMeter::longest(int n) const
{
    std::vector<double> sorted = m_gaps;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    QStringList parts;
    for (std::size_t i = 0; i < std::min<std::size_t>(std::size_t(n), sorted.size()); ++i)
        parts.append(QString::number(sorted[i], 'f', 0));
    return parts.join(u", "_s) + u" ms"_s;
}

} // namespace clinicflow::bench
