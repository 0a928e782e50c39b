// What the attacks are built from: a raw TCP connection that a thread can hold, write to and read from without an
// event loop, and the two halves of the attack list.
#pragma once

#include "Attacks.h"

#include <QByteArray>
#include <string_view>

namespace clinicflow::hostile {

// Where every attacker connects from: 127.0.0.2, another host as far as the server can tell.
inline constexpr quint32 kAttackerAddress = 0x7f000002;
inline constexpr const char *kAttackerHost = "127.0.0.2";

// A plain TCP connection to 127.0.0.1:port (non-blocking; writes wait for room up to a limit).
class TcpConnection
{
public:
    explicit TcpConnection(quint16 port);
    ~TcpConnection();
    TcpConnection(TcpConnection &&other) noexcept;
    TcpConnection &operator=(TcpConnection &&other) noexcept;
    TcpConnection(const TcpConnection &) = delete;
    TcpConnection &operator=(const TcpConnection &) = delete;

    bool isOpen() const { return m_fd >= 0; }
    // Writes all of bytes, waiting up to timeoutMs for room; false when the peer closed or it did not fit in time.
    bool write(std::string_view bytes, int timeoutMs = 1000);
    // Reads what has arrived (waiting up to waitMs for something); false once the peer has closed.
    bool read(int waitMs = 0);
    bool closedByPeer() { return !read(0); }
    const QByteArray &received() const { return m_received; }
    int httpStatus() const; // of the first answer received, 0 when none

private:
    int m_fd = -1;
    QByteArray m_received;
};

std::vector<Attack> zmqAttacks();
std::vector<Attack> httpAttacks();

} // namespace clinicflow::hostile
