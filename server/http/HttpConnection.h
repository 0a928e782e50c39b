// One HTTP/1.1 connection of the operators' endpoint: reads request heads from its QTcpSocket through the bounded
// HttpRequestParser, answers each with the handler's HttpReply (keep-alive and pipelining: one answer after the other,
// in order), and applies the socket side's limits (HttpLimits, documented in HttpApi.h). It holds at most one read
// chunk (16 KiB), one line of the head and the answers the peer has not read yet (it reads no further request while
// more than 256 KiB of them wait). A refusal is answered at once with Connection: close; then our side is shut, and
// what the peer still sends is read and dropped for a moment (bounded in time and bytes) so that the peer sees the
// answer rather than a reset.
#pragma once

#include "HttpApi.h"
#include "HttpRequestParser.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <array>
#include <functional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace clinicflow::server {

class HttpRefusals;

class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)
public:
    using Handler = std::function<HttpReply(const http::RequestHead &head, const QString &peer)>;

    static constexpr qsizetype kReadChunk = 16 * 1024;   // also the socket's read buffer
    static constexpr qint64 kMaxUnsent = 256 * 1024;     // answers waiting for the peer before reading stops
    static constexpr qint64 kMaxDiscarded = 1024 * 1024; // read and dropped after a refusal, at most

    // Takes the socket over (it becomes this object's child) and starts reading.
    HttpConnection(QTcpSocket *socket, const HttpLimits &limits, Handler handler, HttpRefusals &refusals,
                   QObject *parent = nullptr);
    ~HttpConnection() override;

    // Instead of serving: answers this at once, reads no request, and closes (the connection cap).
    void turnAway(const HttpReply &reply);

    const QString &peer() const { return m_peer; }

    // The bytes of an answer: status line, headers (Content-Type, Content-Length, Cache-Control: no-store, Allow,
    // WWW-Authenticate, Connection) and, unless it answers a HEAD, the body.
    static QByteArray serialize(const HttpReply &reply, bool withBody, bool close, bool http10KeepAlive);
    // The JSON error answer of a refusal at the socket (400, 408, 413, 414, 431, 503, 505).
    static HttpReply refusal(int status, const QString &message);

signals:
    void finished(); // the socket is closed; the owner deletes this object later

private:
    enum class Wait
    {
        Head,   // the head of a request: from the connection, or from the first byte of a later one
        Idle,   // no request since the last answer
        Write,  // the peer reads our answers too slowly
        Linger, // after the last answer: the peer's last bytes
    };

    void process();
    void bytesWritten();
    void timedOut();
    void refuse(int status, const QString &message);
    void closeAfterWrite();
    void startLinger();
    void drain();
    void arm(Wait wait, int ms);
    void finish();

    QTcpSocket *m_socket;
    HttpLimits m_limits;
    Handler m_handler;
    HttpRefusals &m_refusals;
    http::HttpRequestParser m_parser;
    QString m_peer;
    QTimer m_timer;
    Wait m_wait = Wait::Head;
    bool m_closing = false; // the last answer is written or on its way: no more requests are read
    bool m_lingering = false;
    bool m_finished = false;
    qint64 m_discarded = 0;
    std::array<char, kReadChunk> m_buffer{};
    qsizetype m_bufferSize = 0;   // bytes read into m_buffer
    qsizetype m_bufferOffset = 0; // of which the parser took these
};

} // namespace clinicflow::server
