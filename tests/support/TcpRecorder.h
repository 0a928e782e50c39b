// A TCP relay that records every byte: stations connect to port() instead of the server's, and each connection is
// relayed to the server's port as is, both ways, on a thread of its own. What crossed the wire is in bytes(), as
// someone capturing the clinic's network would see it (tcpdump's payloads, without the headers).
#pragma once

#include <QByteArray>
#include <QtGlobal>
#include <atomic>
#include <mutex>
#include <thread>

namespace clinicflow::testsupport {

class TcpRecorder
{
public:
    explicit TcpRecorder(quint16 targetPort);
    ~TcpRecorder();
    TcpRecorder(const TcpRecorder &) = delete;
    TcpRecorder &operator=(const TcpRecorder &) = delete;

    quint16 port() const { return m_port; }
    QByteArray bytes() const; // everything relayed so far, both directions, in the order read

private:
    void run();

    quint16 m_targetPort;
    quint16 m_port = 0;
    int m_listener = -1;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    QByteArray m_bytes;
    std::thread m_thread;
};

} // namespace clinicflow::testsupport
