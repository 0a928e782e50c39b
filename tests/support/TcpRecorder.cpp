#include "TcpRecorder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace clinicflow::testsupport {

namespace {

int connectTo(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

TcpRecorder::TcpRecorder(quint16 targetPort)
    : m_targetPort(targetPort)
{
    m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(m_listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(m_listener, 16) != 0 ||
        ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        qFatal("TcpRecorder: cannot listen on loopback");
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { run(); });
}

TcpRecorder::~TcpRecorder()
{
    m_stop = true;
    m_thread.join();
    ::close(m_listener);
}

QByteArray TcpRecorder::bytes() const
{
    std::lock_guard lock(m_mutex);
    return m_bytes;
}

// One thread relays every connection: poll() over the listener and both ends of each pair.
void TcpRecorder::run()
{
    struct Pair
    {
        int station;
        int server;
    };
    std::vector<Pair> pairs;
    char buffer[65536];
    while (!m_stop) {
        std::vector<pollfd> fds{{m_listener, POLLIN, 0}};
        for (const Pair &p : pairs) {
            fds.push_back({p.station, POLLIN, 0});
            fds.push_back({p.server, POLLIN, 0});
        }
        if (::poll(fds.data(), nfds_t(fds.size()), 50) <= 0)
            continue;
        const std::size_t polledPairs = pairs.size(); // a pair accepted below has no pollfd in fds yet
        if (fds[0].revents & POLLIN) {
            const int station = ::accept(m_listener, nullptr, nullptr);
            const int server = station >= 0 ? connectTo(m_targetPort) : -1;
            if (server >= 0)
                pairs.push_back({station, server});
            else if (station >= 0)
                ::close(station);
        }
        std::vector<bool> closed(pairs.size(), false);
        for (std::size_t i = 0; i < polledPairs; ++i) {
            for (int side = 0; side < 2; ++side) {
                const pollfd &polled = fds[1 + 2 * i + std::size_t(side)];
                if (!(polled.revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                const int from = side == 0 ? pairs[i].station : pairs[i].server;
                const int to = side == 0 ? pairs[i].server : pairs[i].station;
                const ssize_t n = ::read(from, buffer, sizeof buffer);
                if (n <= 0) {
                    closed[i] = true;
                    continue;
                }
                {
                    std::lock_guard lock(m_mutex);
                    m_bytes.append(buffer, qsizetype(n));
                }
                for (ssize_t sent = 0; sent < n;) {
                    const ssize_t w = ::write(to, buffer + sent, std::size_t(n - sent));
                    if (w <= 0) {
                        closed[i] = true;
                        break;
                    }
                    sent += w;
                }
            }
        }
        for (std::size_t i = pairs.size(); i-- > 0;) {
            if (closed[i]) {
                ::close(pairs[i].station);
                ::close(pairs[i].server);
                pairs.erase(pairs.begin() + std::ptrdiff_t(i));
            }
        }
    }
    for (const Pair &p : pairs) {
        ::close(p.station);
        ::close(p.server);
    }
}

} // namespace clinicflow::testsupport
