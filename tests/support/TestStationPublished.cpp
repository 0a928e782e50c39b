// TestStation's SUB side: what the gateway publishes (events in sequence order, outcomes, heartbeats).
#include "TestStation.h"
#include "proto/Codec.h"

#include <zmq.hpp>
#include <zmq_addon.hpp>

using namespace Qt::StringLiterals;
using Clock = std::chrono::steady_clock;

namespace clinicflow::testsupport {

namespace {

std::chrono::milliseconds remainingUntil(Clock::time_point deadline)
{
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

} // namespace

bool TestStation::pumpSub(std::chrono::milliseconds wait, std::map<quint64, v1::Event> &events)
{
    ensureSockets();
    if (!m_sub)
        return false;
    zmq::pollitem_t item{m_sub->handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, wait);
    if (!(item.revents & ZMQ_POLLIN))
        return false;
    // A topic frame, then the envelope.
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(*m_sub, std::back_inserter(frames), zmq::recv_flags::dontwait))
        return false;
    if (frames.size() != 2) {
        m_lastError = u"a publication of %1 frames"_s.arg(frames.size());
        return true;
    }
    const zmq::message_t &message = frames[1];
    auto envelope = proto::decode(std::string_view(message.data<char>(), message.size()));
    if (!envelope) {
        m_lastError = u"undecodable publication: %1"_s.arg(envelope.error().message());
        return true;
    }
    if (envelope->has_event_batch()) { // a run of the log, on the role's topic
        for (const v1::Event &event : envelope->event_batch().events()) {
            m_arrivalOrder.push_back(event.sequence());
            events[event.sequence()] = event;
        }
        ++m_eventPublications;
        m_largestEventPublication = std::max(m_largestEventPublication, envelope->event_batch().events_size());
    } else if (envelope->has_event()) {
        m_arrivalOrder.push_back(envelope->event().sequence());
        events[envelope->event().sequence()] = envelope->event();
    } else
        m_published.push_back(std::move(envelope).value());
    return true;
}

std::map<quint64, v1::Event> TestStation::collectPublished(std::chrono::milliseconds timeout, quint64 untilSequence)
{
    std::map<quint64, v1::Event> events;
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (untilSequence != 0 && !events.empty() && events.rbegin()->first >= untilSequence)
            break;
        pumpSub(std::min(remainingUntil(deadline), std::chrono::milliseconds(100)), events);
    }
    return events;
}

std::optional<v1::Heartbeat> TestStation::waitForHeartbeat(std::chrono::milliseconds timeout)
{
    std::map<quint64, v1::Event> ignored;
    const auto deadline = Clock::now() + timeout;
    const std::size_t before = m_published.size();
    while (Clock::now() < deadline) {
        pumpSub(std::min(remainingUntil(deadline), std::chrono::milliseconds(100)), ignored);
        for (std::size_t i = before; i < m_published.size(); ++i) {
            if (m_published[i].has_heartbeat())
                return m_published[i].heartbeat();
        }
    }
    return std::nullopt;
}

} // namespace clinicflow::testsupport
