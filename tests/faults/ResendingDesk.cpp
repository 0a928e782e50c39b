// A desk that keeps registrations in flight through a database's outage (see ResendingDesk.h).
#include "ResendingDesk.h"

#include "TestCommands.h"
#include "TestStation.h"
#include "domain/Ids.h"
#include "proto/Convert.h"

#include <QDateTime>
#include <QMap>
#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace clinicflow::testsupport {

namespace {
constexpr int kWindow = 50;         // commands the desk keeps in flight
constexpr qint64 kSilenceMs = 2500; // nothing on the DEALER this long with commands out: Hello again
constexpr qint64 kResendMs = 3000;  // unanswered this long: resent anyway (docs/protocol.md §3, §4)
constexpr qint64 kDeskLimitMs = 120000;
constexpr std::array kSagaTypes{"ReceptionRegistered", "DiagnosisRegistered", "TreatmentStarted"};
} // namespace

QString warningKinds(const QList<LogLine> &lines)
{
    QMap<QString, int> counts;
    for (const LogLine &l : lines) {
        if (l.level != u"info"_s && l.level != u"debug"_s)
            ++counts[u"%1 %2: %3"_s.arg(l.level, l.module, l.message.left(90))];
    }
    QList<std::pair<int, QString>> sorted;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        sorted.append({it.value(), it.key()});
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    QStringList text;
    for (const auto &[count, kind] : sorted)
        text << u"%1 × %2"_s.arg(count, 3).arg(kind);
    return text.join(u'\n');
}

qint64 msNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString readiness(ServerProcess &server, int timeoutMs)
{
    const HttpResult r = server.httpGet(u"/health/ready"_s, timeoutMs);
    if (r.status != 0)
        return QString::number(r.status);
    if (r.error.contains(u"refused"_s, Qt::CaseInsensitive))
        return u"refused"_s;
    return r.error.startsWith(u"timeout"_s) ? u"timeout"_s : r.error;
}

qsizetype warningCount(const QList<LogLine> &lines)
{
    return std::count_if(lines.cbegin(), lines.cend(),
                         [](const LogLine &l) { return l.level != u"info"_s && l.level != u"debug"_s; });
}

ResendingDesk::ResendingDesk(int count)
{
    const QDateTime at = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < count; ++i) {
        const domain::RegisterVisit visit = registerVisit(i % 3 ? u"IM"_s : u"GS"_s);
        DeskCommand &c = commands.emplace_back();
        c.id = domain::newId();
        c.visit = visit.receptionId;
        c.submit = proto::toSubmit(domain::CommandMeta{c.id, u"A"_s, at}, visit);
        m_byId.emplace(idText(c.id).toStdString(), i);
    }
}

ResendingDesk::~ResendingDesk()
{
    abort = true;
    join();
}

void ResendingDesk::start(quint16 port, const security::ClientKeys &keys)
{
    m_thread = std::thread([this, port, keys] { run(port, keys); });
}

void ResendingDesk::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void ResendingDesk::queueResend(int index)
{
    DeskCommand &c = commands[std::size_t(index)];
    if (c.answers.isEmpty() && !c.due) {
        c.due = true;
        m_resendQueue.push_back(index);
    }
}

void ResendingDesk::send(TestStation &station, int index)
{
    DeskCommand &c = commands[std::size_t(index)];
    resends += c.lastSentMs > 0 ? 1 : 0;
    c.due = false;
    c.lastSentMs = msNow();
    m_copies[station.sendSubmit(c.submit)] = {index, m_epoch};
}

void ResendingDesk::handle(const v1::Envelope &envelope)
{
    if (envelope.has_error()) {
        const auto copy = m_copies.find(envelope.request_id());
        const v1::Error &error = envelope.error();
        if (copy == m_copies.end()) {
            problems << u"Error %1 to request %2, no Submit"_s.arg(int(error.code())).arg(envelope.request_id());
        } else if (error.code() == v1::ERROR_CODE_UNKNOWN_STATION) {
            // The session is gone (the modules started again): Hello, then everything without an outcome again.
            if (copy->second.second == m_epoch && !m_needHello) {
                m_needHello = true;
                ++sessionsLost;
            }
        } else if (error.code() == v1::ERROR_CODE_RATE_LIMITED || error.code() == v1::ERROR_CODE_SERVER_UNAVAILABLE) {
            ++refusals;
            m_heldUntilMs = std::max(m_heldUntilMs, msNow() + std::max<qint64>(error.retry_after_ms(), 50));
            queueResend(copy->second.first);
        } else {
            problems << u"Submit %1 answered Error %2: %3"_s.arg(idText(commands[copy->second.first].id))
                            .arg(int(error.code()))
                            .arg(QString::fromStdString(error.message()));
        }
        return;
    }
    if (!envelope.has_applied() && !envelope.has_rejected())
        return; // Queued, Pong: the server is there
    const bool isApplied = envelope.has_applied();
    QStringList sequences;
    for (quint64 s : envelope.applied().sequences())
        sequences << QString::number(s);
    const auto found = m_byId.find(isApplied ? envelope.applied().command_id() : envelope.rejected().command_id());
    if (found == m_byId.end()) {
        problems << u"an outcome for a command the desk never sent"_s;
        return;
    }
    DeskCommand &c = commands[std::size_t(found->second)];
    c.answers << (isApplied ? u"Applied "_s + sequences.join(u',')
                            : u"Rejected %1"_s.arg(int(envelope.rejected().code())));
    if (c.answers.size() == 1) {
        m_outstanding.erase(found->second);
        ++resolved;
        applied += isApplied ? 1 : 0;
    }
}

void ResendingDesk::run(quint16 port, const security::ClientKeys &keys)
{
    TestStation station;
    station.useKeys(keys, u"A"_s);
    const qint64 deadline = msNow() + kDeskLimitMs;
    const int count = int(commands.size());
    int next = 0;
    bool rebuild = true;
    qint64 lastCheckMs = 0;
    while (resolved < count && !abort && msNow() < deadline) {
        if (m_needHello) {
            if (rebuild)
                station.connect(port);
            const qint64 before = msNow();
            if (!station.hello(u"A"_s, v1::ROLE_RECEPTIONIST, 0, 2s)) {
                ++failedHellos;
                rebuild = true; // the server is away or starting: a new DEALER for the next try
                if (msNow() - before < 200)
                    std::this_thread::sleep_for(200ms);
                continue;
            }
            ++hellos;
            ++m_epoch;
            m_needHello = rebuild = false;
            m_lastHeardMs = msNow();
            for (int i : m_outstanding)
                queueResend(i);
        }
        // The outbox: refused and unanswered commands first, then new ones while fewer than kWindow are out.
        while (!m_resendQueue.empty() && msNow() >= m_heldUntilMs) {
            const int i = m_resendQueue.front();
            m_resendQueue.pop_front();
            if (commands[std::size_t(i)].due)
                send(station, i);
        }
        while (int(m_outstanding.size()) < kWindow && next < count && msNow() >= m_heldUntilMs) {
            m_outstanding.insert(next);
            send(station, next++);
        }
        for (int n = 0; n < 2000 && !m_needHello; ++n) {
            const auto envelope = station.receive(n == 0 ? 10ms : 0ms);
            if (!envelope)
                break;
            m_lastHeardMs = msNow();
            handle(*envelope);
        }
        const qint64 now = msNow();
        if (!m_needHello && !m_outstanding.empty() && now - m_lastHeardMs > kSilenceMs)
            m_needHello = true; // on this DEALER first; on a new one if that Hello goes unanswered
        if (m_needHello || now - lastCheckMs < 200)
            continue;
        lastCheckMs = now;
        for (int i : m_outstanding) {
            if (now - commands[std::size_t(i)].lastSentMs > kResendMs)
                queueResend(i);
        }
    }
    if (resolved < count)
        problems << u"the desk stopped with %1 of %2 commands resolved"_s.arg(int(resolved)).arg(count);
}

QString checkDeskOutcomes(const ResendingDesk &desk, quint16 port)
{
    const int count = desk.size();
    // Each command has one outcome however often it was answered, Applied, and its visit's saga settles at 3 events
    // (a head growing past that would be reactions run twice); then the log is 1..head, each command in it once,
    // where the desk was told, and each visit has one ReceptionRegistered, DiagnosisRegistered and TreatmentStarted.
    QStringList wrong;
    for (const DeskCommand &c : desk.commands) {
        const QString first = c.answers.value(0, u"no outcome"_s);
        if (!first.startsWith(u"Applied "_s) || first.contains(u','))
            wrong << u"command %1: %2"_s.arg(idText(c.id), first);
        else if (c.answers.count(first) != c.answers.size())
            wrong << u"command %1: %2"_s.arg(idText(c.id), c.answers.join(u", then "_s));
    }
    if (!wrong.isEmpty())
        return u"%1 commands not Applied exactly once:\n"_s.arg(wrong.size()) + wrong.mid(0, 20).join(u'\n');
    TestStation reader;
    reader.connect(port);
    if (!reader.hello(u"R"_s, v1::ROLE_RECEPTIONIST))
        return u"the reader's Hello: "_s + reader.lastError();
    quint64 head = 0;
    qint64 stableSince = msNow();
    const quint64 expectedHead = kSagaTypes.size() * quint64(count);
    pollUntil(
        [&] {
            const auto batch = reader.fetchEvents(0, 1);
            const quint64 now = batch ? batch->head_sequence() : 0;
            stableSince = now == head ? stableSince : msNow();
            head = now;
            return head >= expectedHead && msNow() - stableSince >= 1000;
        },
        30000, 200);
    const EventLogRead log = reader.fetchAllEvents(5000, 60s);
    if (!log.ok)
        return u"reading the log: "_s + reader.lastError();
    if (const QString shape = checkLogShape(log.events, log.head); !shape.isEmpty())
        return shape;
    if (const QString metadata = checkEventMetadata(log.events); !metadata.isEmpty())
        return metadata;
    std::unordered_map<std::string, std::vector<quint64>> causedBy;
    std::unordered_map<std::string, std::array<int, kSagaTypes.size()>> perVisit;
    for (const v1::Event &e : log.events) {
        causedBy[e.causation_id()].push_back(e.sequence());
        for (std::size_t t = 0; t < kSagaTypes.size(); ++t)
            perVisit[e.visit_id()][t] += e.type() == kSagaTypes[t] ? 1 : 0;
    }
    for (const DeskCommand &c : desk.commands) {
        const std::vector<quint64> &seqs = causedBy[idText(c.id).toStdString()];
        const auto n = perVisit[idText(c.visit).toStdString()];
        if (seqs.size() != 1 || c.answers[0] != u"Applied %1"_s.arg(seqs[0]) ||
            log.events[seqs[0] - 1].type() != kSagaTypes[0] || n != std::array<int, kSagaTypes.size()>{1, 1, 1}) {
            wrong << u"command %1 (visit %2): told %3; %4 events in the log (first at %5); the visit has %6 "
                     u"ReceptionRegistered, %7 DiagnosisRegistered, %8 TreatmentStarted"_s.arg(idText(c.id))
                         .arg(idText(c.visit), c.answers[0])
                         .arg(seqs.size())
                         .arg(seqs.empty() ? 0 : seqs[0])
                         .arg(n[0])
                         .arg(n[1])
                         .arg(n[2]);
        }
    }
    if (!wrong.isEmpty())
        return u"%1 commands lost, applied twice, misplaced or half-done:\n"_s.arg(wrong.size()) +
               wrong.mid(0, 20).join(u'\n');
    if (const int registered = countEvents(log.events, kSagaTypes[0]); registered != count)
        return u"%1 visits registered in the log, %2 commands"_s.arg(registered).arg(count);
    if (const int started = countEvents(log.events, kSagaTypes[2]); started != count)
        return u"%1 treatments started in the log, %2 commands"_s.arg(started).arg(count);
    if (log.head != expectedHead)
        return u"the log's head is %1, %2 expected"_s.arg(log.head).arg(expectedHead);
    return {};
}

} // namespace clinicflow::testsupport
