#include "PageReader.h"

#include "common/Logging.h"
#include "proto/Codec.h"

#include <future>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcGateway;

namespace clinicflow::server {

PageReader::PageReader(DatabaseSettings database, Catalogue catalogue, QString serverId, std::function<void()> wake)
    : m_database(std::move(database))
    , m_catalogue(std::move(catalogue))
    , m_serverId(std::move(serverId))
    , m_wake(std::move(wake))
{
}

PageReader::~PageReader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

Result<bool> PageReader::start()
{
    std::promise<Result<bool>> opened;
    auto result = opened.get_future();
    m_thread = std::thread([this, opened = std::move(opened)]() mutable { run(opened); });
    return result.get();
}

bool PageReader::submit(Request request)
{
    {
        std::lock_guard lock(m_mutex);
        std::deque<Request> &waiting = m_waiting[request.station];
        if (int(waiting.size()) >= kMaxWaitingPerStation)
            return false;
        if (waiting.empty())
            m_turns.push_back(request.station);
        waiting.push_back(std::move(request));
    }
    m_changed.notify_one();
    return true;
}

std::vector<PageReader::Page> PageReader::takeReady()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_ready, {});
}

void PageReader::run(std::promise<Result<bool>> &opened)
{
    // Bulk reads yield to the clinic's commands. Raising one's own nice value needs no privilege.
    setpriority(PRIO_PROCESS, id_t(gettid()), 10);
    auto db = Database::open(m_database, u"pages"_s);
    if (!db) {
        opened.set_value(db.error());
        return;
    }
    auto viewDb = Database::open(m_database.viewSettings(), u"pages-view"_s);
    if (!viewDb) {
        opened.set_value(viewDb.error());
        return;
    }
    SyncReader reader(*db.value(), *viewDb.value(), m_catalogue, m_serverId);
    opened.set_value(true);

    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_stop || !m_turns.empty(); });
        if (m_stop)
            return;
        // The station whose turn it is: one of its requests, then it goes to the back of the line.
        const QString station = m_turns.front();
        m_turns.pop_front();
        std::deque<Request> &waiting = m_waiting[station];
        Request request = std::move(waiting.front());
        waiting.pop_front();
        if (waiting.empty())
            m_waiting.remove(station);
        else
            m_turns.push_back(station);
        lock.unlock();
        Page page = read(request, reader);
        lock.lock();
        m_ready.push_back(std::move(page));
        lock.unlock();
        m_wake();
        lock.lock();
    }
}

PageReader::Page PageReader::read(const Request &request, SyncReader &reader)
{
    Page page{request.peer, request.station, request.requestId, std::nullopt, {}, {}};
    auto read = request.request.has_fetch_events() ? reader.events(request.request.fetch_events(), request.role)
                                                   : reader.snapshot(request.request.fetch_snapshot());
    if (!read) {
        qCWarning(lcGateway).noquote() << "page for station" << request.station
                                       << "not read:" << read.error().message();
        page.error = read.error();
        return page;
    }
    v1::Envelope &envelope = read.value();
    envelope.set_request_id(request.requestId);
    page.bytes = proto::encode(envelope);
    page.audit = auditEntriesOf(request.station, request.role, envelope);
    return page;
}

} // namespace clinicflow::server
