#include "BenchCpu.h"

#include <QDir>
#include <QFile>
#include <QList>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace clinicflow::bench {
namespace {

// The fields of /proc/<pid>/stat after the command's name (from the state on: field 3 of proc(5) is at 0).
QList<QByteArray> statFields(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = stat.readAll();
    return line.mid(line.lastIndexOf(')') + 2).split(' ');
}

double ticks(const QList<QByteArray> &fields, std::initializer_list<int> at)
{
    qint64 sum = 0;
    for (int i : at)
        sum += fields.value(i).toLongLong();
    return double(sum) / double(sysconf(_SC_CLK_TCK));
}

constexpr int kParent = 1;        // ppid
constexpr int kUser = 11;         // utime
constexpr int kSystem = 12;       // stime
constexpr int kReapedUser = 13;   // cutime: children waited for
constexpr int kReapedSystem = 14; // cstime

} // namespace

double processCpuSeconds(qint64 pid)
{
    const QList<QByteArray> fields = statFields(pid);
    return fields.size() > kSystem ? ticks(fields, {kUser, kSystem}) : 0;
}

double processTreeCpuSeconds(qint64 pid)
{
    const QList<QByteArray> own = statFields(pid);
    if (own.size() <= kReapedSystem)
        return 0;
    double total = ticks(own, {kUser, kSystem, kReapedUser, kReapedSystem});
    const QString parent = QString::number(pid);
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 child = entry.toLongLong(&numeric);
        if (!numeric || child == pid)
            continue;
        const QList<QByteArray> fields = statFields(child);
        if (fields.size() > kSystem && fields.at(kParent) == parent.toLatin1())
            total += ticks(fields, {kUser, kSystem});
    }
    return total;
}

double ownCpuSeconds()
{
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

MachineCpu machineCpu()
{
    QFile stat(u"/proc/stat"_s);
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is counted in user already)
    const QList<QByteArray> fields = stat.readLine().simplified().split(' ');
    if (fields.size() < 9 || fields.front() != "cpu")
        return {};
    const double hz = double(sysconf(_SC_CLK_TCK));
    double busy = 0;
    for (int i : {1, 2, 3, 6, 7, 8})
        busy += double(fields.at(i).toLongLong());
    const double waiting = double(fields.at(4).toLongLong() + fields.at(5).toLongLong());
    return {busy / hz, (busy + waiting) / hz};
}

} // namespace clinicflow::bench
