#include "Bus.h"

#include "storage/Database.h"

#include <sys/eventfd.h>
#include <unistd.h>

namespace clinicflow::server {

void Doorbell::ring()
{
    {
        std::lock_guard lock(m_mutex);
        m_rung = true;
    }
    m_cv.notify_one();
}

void Doorbell::wait(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, timeout, [this] { return m_rung; });
    m_rung = false;
}

Bus::Bus()
    : m_eventFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
}

Bus::~Bus()
{
    if (m_eventFd >= 0)
        ::close(m_eventFd);
}

void Bus::logAdvanced(quint8 changes)
{
    ringWorkers(changes | Change::Log);
}

void Bus::otherProcessCommitted(quint8 changes)
{
    ringWorkers(changes);
    if (changes & Change::Resolved) {
        m_otherProcessCommitted = true;
        ringGateway();
    }
}

void Bus::ringWorkers(quint8 changes)
{
    if (changes & Change::ReceptionWork)
        m_reception.ring();
    if (changes & Change::DiagnosisWork)
        m_diagnosis.ring();
    if (changes & Change::ExaminationWork)
        m_examination.ring();
    if (changes & Change::Log) {
        m_logAdvanced = true;
        m_view.ring();
        ringGateway();
    }
}

void Bus::setCrossProcessFeed(bool feed)
{
    m_crossProcessFeed = feed;
    const std::chrono::milliseconds poll(feed ? 2000 : 100);
    for (Doorbell *d : {&m_reception, &m_diagnosis, &m_examination, &m_view})
        d->setFallbackPoll(poll);
}

void Bus::post(std::vector<Outcome> outcomes)
{
    if (!m_gatewayRunning)
        return;
    {
        std::lock_guard lock(m_outcomesMutex);
        for (auto &o : outcomes)
            m_outcomes.push_back(std::move(o));
    }
    ringGateway();
}

std::vector<Outcome> Bus::takeOutcomes()
{
    std::lock_guard lock(m_outcomesMutex);
    return std::exchange(m_outcomes, {});
}

void Bus::ringGateway()
{
    const uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(m_eventFd, &one, sizeof one);
}

void Bus::clearGateway()
{
    uint64_t value = 0;
    [[maybe_unused]] const auto n = ::read(m_eventFd, &value, sizeof value);
}

} // namespace clinicflow::server
