#include "LoadStation.h"

#include "TestCommands.h"
#include "domain/Ids.h"
#include "proto/Convert.h"

#include <QDateTime>
#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace clinicflow::testsupport {
namespace {
// The outbox (docs/protocol.md §4): resend what has no answer after 3 s, ask again about a Queued command after 15 s.
constexpr qint64 kSilenceMs = 2500; // nothing on the DEALER this long while a Submit awaits its reply: Hello again
constexpr qint64 kResendMs = 3000;
constexpr qint64 kAskAgainMs = 15000;
constexpr qint64 kStationLimitMs = 120000;
} // namespace

void LoadStation::issue(TestStation &station)
{
    std::optional<domain::Command> next = m_next();
    if (!next) {
        m_exhausted = true;
        return;
    }
    const int index = int(commands.size());
    LoadCommand &c = commands.emplace_back();
    c.id = domain::newId();
    c.phase = m_phase;
    std::visit(
        [&c](const auto &command) {
            using T = std::decay_t<decltype(command)>;
            if constexpr (std::is_same_v<T, domain::RegisterVisit>)
                c.target = command.receptionId;
            else if constexpr (std::is_same_v<T, domain::PrescribeExamination> ||
                               std::is_same_v<T, domain::PerformExamination>)
                c.target = command.examinationId;
        },
        *next);
    if (auto *registration = std::get_if<domain::RegisterVisit>(&*next))
        registration->ticket.station = m_code;
    c.submit = proto::toSubmit(domain::CommandMeta{c.id, m_code, QDateTime::currentDateTimeUtc()}, *next);
    m_byId.emplace(idText(c.id).toStdString(), index);
    m_outstanding.insert(index);
    ++sent[std::size_t(c.phase)];
    send(station, index);
    c.firstSentMs = c.lastSentMs;
}

void LoadStation::handle(const v1::Envelope &envelope, bool published)
{
    if (envelope.has_error()) {
        if (published)
            return;
        const auto copy = m_copies.find(envelope.request_id());
        const v1::Error &error = envelope.error();
        if (copy == m_copies.end()) {
            problem(u"Error %1 to request %2, no Submit"_s.arg(int(error.code())).arg(envelope.request_id()));
        } else if (error.code() == v1::ERROR_CODE_UNKNOWN_STATION) {
            if (copy->second.second == m_epoch)
                m_needHello = true; // the session is gone: Hello, then everything without an outcome again
        } else if (error.code() == v1::ERROR_CODE_RATE_LIMITED || error.code() == v1::ERROR_CODE_SERVER_UNAVAILABLE) {
            ++refusals;
            m_heldUntilMs = std::max(m_heldUntilMs, msNow() + std::max<qint64>(error.retry_after_ms(), 50));
            queueResend(copy->second.first);
        } else {
            problem(u"Submit %1 answered Error %2: %3"_s.arg(idText(commands[std::size_t(copy->second.first)].id))
                        .arg(int(error.code()))
                        .arg(QString::fromStdString(error.message())));
        }
        return;
    }
    if (envelope.has_queued() && !published) {
        const auto found = m_byId.find(envelope.queued().command_id());
        if (found == m_byId.end())
            problem(u"a Queued for a command it never sent"_s);
        else if (LoadCommand &c = commands[std::size_t(found->second)]; c.queuedMs == 0)
            c.queuedMs = msNow();
        return;
    }
    if (!envelope.has_applied() && !envelope.has_rejected())
        return; // Pong, Heartbeat
    const bool isApplied = envelope.has_applied();
    const auto found = m_byId.find(isApplied ? envelope.applied().command_id() : envelope.rejected().command_id());
    if (found == m_byId.end()) {
        if (!published) // PUB carries the other stations' outcomes too
            problem(u"an outcome for a command it never sent"_s);
        return;
    }
    QStringList sequences;
    for (quint64 s : envelope.applied().sequences())
        sequences << QString::number(s);
    LoadCommand &c = commands[std::size_t(found->second)];
    c.answers << (isApplied ? u"Applied "_s + sequences.join(u',')
                            : u"Rejected %1"_s.arg(int(envelope.rejected().code())));
    if (c.answers.size() == 1) {
        c.outcomeMs = msNow();
        m_outstanding.erase(found->second);
        ++resolved[std::size_t(c.phase)];
    }
}

void LoadStation::run(quint16 port, quint16 pubPort)
{
    TestStation station;
    station.useKeys(m_keys, m_code);
    const qint64 deadline = msNow() + kStationLimitMs;
    qint64 nextIssueMs = msNow();
    qint64 lastCheckMs = 0;
    bool rebuild = true;
    std::size_t publishedSeen = 0;
    while (!abort && msNow() < deadline && !(m_stopIssuing && m_outstanding.empty())) {
        if (m_needHello) {
            if (rebuild) {
                station.connect(port, pubPort);
                publishedSeen = 0;
            }
            const qint64 before = msNow();
            if (!station.hello(m_code, m_role, 0, 2s)) {
                ++failedHellos;
                rebuild = true; // a new DEALER for the next try
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
        while (!m_resendQueue.empty() && msNow() >= m_heldUntilMs) {
            const int i = m_resendQueue.front();
            m_resendQueue.pop_front();
            if (commands[std::size_t(i)].due)
                send(station, i);
        }
        // A fixed rate; after a pause (a Hello, a refusal) no burst to make up for it.
        const qint64 now = msNow();
        if (!m_stopIssuing && !m_exhausted && now >= nextIssueMs && now >= m_heldUntilMs) {
            issue(station);
            nextIssueMs = std::max(nextIssueMs + m_periodMs, now - m_periodMs);
        }
        for (int n = 0; n < 1000 && !m_needHello; ++n) {
            const auto envelope = station.receive(n == 0 ? 5ms : 0ms);
            if (!envelope)
                break;
            m_lastHeardMs = msNow();
            handle(*envelope, false);
        }
        station.collectPublished(0ms);
        for (; publishedSeen < station.published().size(); ++publishedSeen)
            handle(station.published()[publishedSeen], true);

        const qint64 later = msNow();
        const bool awaitingReply = std::any_of(m_outstanding.begin(), m_outstanding.end(),
                                               [&](int i) { return commands[std::size_t(i)].queuedMs == 0; });
        if (!m_needHello && awaitingReply && later - m_lastHeardMs > kSilenceMs)
            m_needHello = true; // on this DEALER first; on a new one if that Hello goes unanswered
        if (m_needHello || later - lastCheckMs < 200)
            continue;
        lastCheckMs = later;
        for (int i : m_outstanding) {
            const LoadCommand &c = commands[std::size_t(i)];
            if (later - c.lastSentMs > (c.queuedMs == 0 ? kResendMs : kAskAgainMs))
                queueResend(i);
        }
    }
    if (!m_outstanding.empty())
        problem(u"stopped with %1 of %2 commands without an outcome"_s.arg(m_outstanding.size()).arg(commands.size()));
}

} // namespace clinicflow::testsupport
