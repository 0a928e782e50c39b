// The attacks over the operators' HTTP port, on raw sockets: huge uploads, URLs and headers, idle connections, and
// a body announced and never sent.
#include "AttackParts.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace clinicflow::hostile {

TcpConnection::TcpConnection(quint16 port)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return;
    // From the attacker's own address (Linux answers all of 127/8 on loopback), as another host on the network:
    // the server's caps per address then fall on the attacker, not on the good stations at 127.0.0.1.
    sockaddr_in source{};
    source.sin_family = AF_INET;
    source.sin_addr.s_addr = htonl(kAttackerAddress);
    ::bind(m_fd, reinterpret_cast<const sockaddr *>(&source), sizeof source);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
        ::close(m_fd);
        m_fd = -1;
    }
}

TcpConnection::~TcpConnection()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

TcpConnection::TcpConnection(TcpConnection &&other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_received(std::move(other.m_received))
{
}

TcpConnection &TcpConnection::operator=(TcpConnection &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_received = std::move(other.m_received);
    }
    return *this;
}

bool TcpConnection::write(std::string_view bytes, int timeoutMs)
{
    while (m_fd >= 0 && !bytes.empty()) {
        const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n > 0) {
            bytes.remove_prefix(std::size_t(n));
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN)
            return false;
        pollfd p{m_fd, POLLOUT, 0};
        if (::poll(&p, 1, timeoutMs) <= 0 || (p.revents & (POLLERR | POLLHUP)))
            return false;
    }
    return m_fd >= 0;
}

bool TcpConnection::read(int waitMs)
{
    if (m_fd < 0)
        return false;
    pollfd p{m_fd, POLLIN, 0};
    if (::poll(&p, 1, waitMs) <= 0)
        return true; // nothing yet: still open
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            if (m_received.size() < 64 * 1024) // an answer's head is all a test reads
                m_received.append(buffer, n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        return false; // closed (0) or reset
    }
}

int TcpConnection::httpStatus() const
{
    if (!m_received.startsWith("HTTP/1.1 ") || m_received.size() < 12)
        return 0;
    return m_received.mid(9, 3).toInt();
}

namespace {

void countStatus(const TcpConnection &connection, Tally &tally)
{
    const int status = connection.httpStatus();
    if (status == 0)
        return;
    ++tally.answered;
    if (status == 503)
        ++tally.limited;
    else if (status >= 400)
        ++tally.refused;
}

// Sends a request head, then `body` bytes of filler (or, for a head that never ends, the filler inside it), in
// 64 KiB writes, until the server answers or closes; then starts over on a new connection.
void streamUntilRefused(const Target &target, const std::atomic<bool> &stop, Tally &tally, const std::string &head,
                        long long fillerBytes)
{
    const std::string chunk(64 * 1024, 'a');
    while (!stop) {
        TcpConnection connection(target.httpPort);
        ++tally.sent;
        bool open = connection.write(head);
        tally.bytes += qint64(head.size());
        for (long long written = 0; open && written < fillerBytes && !stop; written += qint64(chunk.size())) {
            open = connection.write(chunk, 200) && connection.read(0) && connection.received().isEmpty();
            tally.bytes += qint64(chunk.size());
        }
        connection.read(200);
        countStatus(connection, tally);
        ++tally.disconnects;
    }
}

// Holds `count` connections that each sent `head` (maybe nothing), opening new ones as the server closes them.
void holdConnections(const Target &target, const std::atomic<bool> &stop, Tally &tally, int count,
                     const std::string &head)
{
    std::vector<TcpConnection> held;
    while (!stop) {
        std::erase_if(held, [&tally](TcpConnection &c) {
            if (!c.closedByPeer())
                return false;
            countStatus(c, tally);
            ++tally.disconnects;
            return true;
        });
        while (int(held.size()) < count && !stop) {
            held.emplace_back(target.httpPort);
            ++tally.sent;
            if (!head.empty() && held.back().write(head, 50))
                tally.bytes += qint64(head.size());
        }
        std::this_thread::sleep_for(50ms);
    }
}

} // namespace

std::vector<Attack> httpAttacks()
{
    std::vector<Attack> attacks;
    attacks.push_back({u"http-2gib-upload"_s,
                       u"POST with Content-Length 2 GiB, the body streamed as fast as it goes"_s,
                       {},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           streamUntilRefused(target, stop, tally,
                                              "POST /visits HTTP/1.1\r\nHost: x\r\nContent-Length: 2147483648\r\n\r\n",
                                              2147483648LL);
                       }});
    attacks.push_back({u"http-16mib-url"_s,
                       u"GET with a 16 MiB URL"_s,
                       {},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           streamUntilRefused(target, stop, tally, "GET /", 16LL << 20);
                       }});
    attacks.push_back({u"http-16mib-header"_s,
                       u"GET with a 16 MiB header"_s,
                       {},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           streamUntilRefused(target, stop, tally,
                                              "GET /health/live HTTP/1.1\r\nX-Filler: ", 16LL << 20);
                       }});
    attacks.push_back({u"http-idle-connections"_s,
                       u"1,040 HTTP connections held open, sending nothing"_s,
                       {},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           holdConnections(target, stop, tally, 1040, {});
                       }});
    attacks.push_back({u"http-body-never-sent"_s,
                       u"200 connections announcing Content-Length 99999999999, no body"_s,
                       {},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           holdConnections(target, stop, tally, 200,
                                           "POST /visits HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n");
                       }});
    return attacks;
}

std::vector<Attack> networkAttacks()
{
    std::vector<Attack> attacks = zmqAttacks();
    for (Attack &a : httpAttacks())
        attacks.push_back(std::move(a));
    return attacks;
}

QString Tally::describe() const
{
    return u"%1 sent (%2 MiB), %3 answers: %4 rate-limited or 503, %5 refused, %6 applied; %7 connections closed"_s
        .arg(sent.load())
        .arg(double(bytes.load()) / (1 << 20), 0, 'f', 1)
        .arg(answered.load())
        .arg(limited.load())
        .arg(refused.load())
        .arg(applied.load())
        .arg(disconnects.load());
}

} // namespace clinicflow::hostile
