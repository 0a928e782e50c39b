// One connection of the operators' HTTP endpoint, with its limits (see HttpConnection.h).
#include "HttpConnection.h"

#include "HttpRefusals.h"
#include "HttpReplies.h"
#include "common/Logging.h"

#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace clinicflow::server {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Status";
    }
}

QString errorName(int status)
{
    switch (status) {
    case 408:
        return u"request_timeout"_s;
    case 413:
        return u"content_too_large"_s;
    case 414:
        return u"uri_too_long"_s;
    case 431:
        return u"header_fields_too_large"_s;
    case 503:
        return u"unavailable"_s;
    case 505:
        return u"http_version_not_supported"_s;
    default:
        return u"bad_request"_s;
    }
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpLimits &limits, Handler handler, HttpRefusals &refusals,
                               QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_refusals(refusals)
    , m_parser(limits.parser)
    , m_peer(socket->peerAddress().toString())
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadChunk); // Qt reads no more from the kernel than this ahead of us
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::timedOut);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::process);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::bytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpConnection::finish);
    arm(Wait::Head, m_limits.headerTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &HttpConnection::process);
}

HttpConnection::~HttpConnection()
{
    m_finished = true; // the socket, a child, goes with this object: no signal of its reaches finish() any more
    m_socket->disconnect(this);
}

void HttpConnection::turnAway(const HttpReply &reply)
{
    m_closing = true;
    m_socket->write(serialize(reply, true, true, false));
    closeAfterWrite();
}

QByteArray HttpConnection::serialize(const HttpReply &reply, bool withBody, bool close, bool http10KeepAlive)
{
    QByteArray out;
    out.reserve(reply.body.size() + 200);
    out += "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    out += "Content-Type: " + reply.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    out += "Cache-Control: no-store\r\n";
    if (!reply.allow.isEmpty())
        out += "Allow: " + reply.allow + "\r\n";
    if (reply.challenge)
        out += "WWW-Authenticate: Bearer realm=\"clinicflow\"\r\n";
    if (close)
        out += "Connection: close\r\n";
    else if (http10KeepAlive)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    if (withBody)
        out += reply.body;
    return out;
}

HttpReply HttpConnection::refusal(int status, const QString &message)
{
    return http::error(status, errorName(status), message);
}

void HttpConnection::process()
{
    if (m_finished)
        return;
    if (m_closing) {
        if (m_lingering)
            drain();
        return;
    }
    for (;;) {
        if (m_socket->bytesToWrite() > kMaxUnsent) {
            arm(Wait::Write, m_limits.idleTimeoutMs); // read on when the peer has taken its answers
            return;
        }
        if (m_bufferOffset == m_bufferSize) {
            m_bufferOffset = 0;
            m_bufferSize = std::max<qint64>(0, m_socket->read(m_buffer.data(), kReadChunk));
            if (m_bufferSize == 0)
                return;
        }
        const bool wasIdle = m_parser.idle();
        m_bufferOffset +=
            qsizetype(m_parser.feed(m_buffer.data() + m_bufferOffset, std::size_t(m_bufferSize - m_bufferOffset)));
        if (wasIdle && !m_parser.idle() && m_wait == Wait::Idle)
            arm(Wait::Head, m_limits.headerTimeoutMs); // a head has begun: it has that long to end
        if (m_parser.status() == http::HttpRequestParser::Status::NeedMore)
            continue;
        if (m_parser.status() == http::HttpRequestParser::Status::Error) {
            refuse(m_parser.errorStatus(), QString::fromLatin1(m_parser.errorMessage()));
            return;
        }
        const http::RequestHead head = m_parser.head();
        m_parser.reset();
        const HttpReply reply = m_handler(head, m_peer);
        if (m_finished) // the handler ran an event loop in which the peer went
            return;
        const bool close = !head.keepAlive;
        m_socket->write(serialize(reply, head.method != "HEAD", close, head.minorVersion == 0 && !close));
        if (close) {
            closeAfterWrite();
            return;
        }
        if (m_bufferOffset < m_bufferSize || m_socket->bytesAvailable() > 0)
            arm(Wait::Head, m_limits.headerTimeoutMs); // the next request is already on its way
        else
            arm(Wait::Idle, m_limits.idleTimeoutMs);
    }
}

void HttpConnection::bytesWritten()
{
    if (m_finished)
        return;
    if (m_closing) {
        if (!m_lingering && m_socket->bytesToWrite() == 0)
            startLinger();
        else if (!m_lingering)
            arm(Wait::Write, m_limits.idleTimeoutMs); // it reads: give it time for the rest
        return;
    }
    if (m_wait != Wait::Write)
        return;
    if (m_socket->bytesToWrite() > kMaxUnsent) {
        arm(Wait::Write, m_limits.idleTimeoutMs);
        return;
    }
    if (m_parser.idle() && m_bufferOffset == m_bufferSize && m_socket->bytesAvailable() == 0)
        arm(Wait::Idle, m_limits.idleTimeoutMs);
    else
        arm(Wait::Head, m_limits.headerTimeoutMs);
    process();
}

void HttpConnection::timedOut()
{
    if (m_finished)
        return;
    switch (m_wait) {
    case Wait::Head:
        refuse(408, u"the request's head did not arrive within %1 ms"_s.arg(m_limits.headerTimeoutMs));
        return;
    case Wait::Idle:
        qCDebug(common::lcHttp).noquote()
            << "HTTP: closing a keep-alive connection idle for" << m_limits.idleTimeoutMs << "ms from" << m_peer;
        finish();
        return;
    case Wait::Write:
        qCDebug(common::lcHttp).noquote() << "HTTP: closing a connection whose peer has not read its answer for"
                                          << m_limits.idleTimeoutMs << "ms:" << m_peer;
        finish();
        return;
    case Wait::Linger:
        finish();
        return;
    }
}

void HttpConnection::refuse(int status, const QString &message)
{
    const http::RequestHead &head = m_parser.head();
    const QString request = head.method.empty() ? QString()
                                                : u" (%1 %2)"_s.arg(HttpRefusals::quote(head.method.substr(0, 16)),
                                                                    HttpRefusals::quote(head.target));
    const HttpReply reply = refusal(status, message);
    m_refusals.refused(errorName(status),
                       u"HTTP: %1 %2 to %3: %4%5"_s.arg(status).arg(errorName(status), m_peer, message, request));
    m_closing = true;
    m_socket->write(serialize(reply, head.method != "HEAD", true, false));
    closeAfterWrite();
}

void HttpConnection::closeAfterWrite()
{
    m_closing = true;
    if (m_socket->bytesToWrite() == 0)
        startLinger();
    else
        arm(Wait::Write, m_limits.idleTimeoutMs);
}

// Our side is done: FIN after the last answer, then the peer's last bytes (a body it is still sending, the rest of a
// pipeline) are read and dropped, so that closing does not reset the connection before the peer reads our answer.
void HttpConnection::startLinger()
{
    m_lingering = true;
#ifdef Q_OS_UNIX
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
#endif
    arm(Wait::Linger, m_limits.lingerMs);
    drain();
}

void HttpConnection::drain()
{
    while (!m_finished) {
        qint64 read = m_socket->read(m_buffer.data(), kReadChunk);
#ifdef Q_OS_LINUX
        // Past what the socket object holds, the kernel drops the bytes itself (MSG_TRUNC on TCP): an upload flood
        // costs a call per wake-up, not a copy per 16 KiB.
        if (read == 0) {
            const ssize_t dropped = ::recv(int(m_socket->socketDescriptor()), nullptr,
                                           std::size_t(kMaxDiscarded - m_discarded + 1), MSG_TRUNC | MSG_DONTWAIT);
            read = dropped > 0 ? qint64(dropped) : 0;
        }
#endif
        if (read <= 0)
            return;
        m_discarded += read;
        if (m_discarded > kMaxDiscarded) {
            finish();
            return;
        }
    }
}

void HttpConnection::arm(Wait wait, int ms)
{
    m_wait = wait;
    m_timer.start(std::max(1, ms));
}

void HttpConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    m_socket->disconnect(this);
    m_socket->abort();
    emit finished();
}

} // namespace clinicflow::server
