// The listening socket and the connection cap of the operators' HTTP endpoint (see HttpListener.h).
#include "HttpListener.h"

#include "HttpRefusals.h"
#include "common/Metrics.h"

#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace clinicflow::server {

HttpListener::HttpListener(const HttpLimits &limits, HttpConnection::Handler handler, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_server(new QTcpServer(this))
    , m_refusals(new HttpRefusals(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &HttpListener::acceptPending);
}

HttpListener::~HttpListener()
{
    m_server->close();
    // The connections are children: they and their sockets go with this object, closed at once.
    m_serving = 0;
    updateGauge();
}

bool HttpListener::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

QString HttpListener::errorString() const
{
    return m_server->errorString();
}

bool HttpListener::isListening() const
{
    return m_server->isListening();
}

quint16 HttpListener::port() const
{
    return m_server->isListening() ? m_server->serverPort() : 0;
}

void HttpListener::acceptPending()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        const QString peer = socket->peerAddress().toString();
        const int fromPeer = m_perAddress.value(peer);
        if (m_serving < m_limits.maxConnections && fromPeer < m_limits.maxConnectionsPerAddress) {
            ++m_serving;
            m_perAddress.insert(peer, fromPeer + 1);
            auto *connection = new HttpConnection(socket, m_limits, m_handler, *m_refusals, this);
            connect(connection, &HttpConnection::finished, this, [this, connection, peer] {
                --m_serving;
                if (const int left = m_perAddress.value(peer) - 1; left > 0)
                    m_perAddress.insert(peer, left);
                else
                    m_perAddress.remove(peer);
                updateGauge();
                connection->deleteLater();
            });
            updateGauge();
            continue;
        }
        if (m_serving >= m_limits.maxConnections)
            m_refusals->refused(
                u"too_many_connections"_s,
                u"HTTP: %1 connections open (the cap): a new one from %2 is answered 503 and closed"_s.arg(m_serving)
                    .arg(peer));
        else
            m_refusals->refused(u"too_many_from_address"_s,
                                u"HTTP: %1 connections open from %2 (the cap per address): a new one is answered 503 "
                                "and closed"_s.arg(fromPeer)
                                    .arg(peer));
        if (m_turnedAway >= kMaxTurnedAway) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        ++m_turnedAway;
        auto *connection = new HttpConnection(socket, m_limits, m_handler, *m_refusals, this);
        connect(connection, &HttpConnection::finished, this, [this, connection] {
            --m_turnedAway;
            connection->deleteLater();
        });
        connection->turnAway(HttpConnection::refusal(
            503, u"too many connections (%1 open); try again later"_s.arg(m_limits.maxConnections)));
    }
}

void HttpListener::updateGauge() const
{
    common::Metrics::global()
        .gauge(u"clinicflow_http_connections"_s, u"HTTP connections served now (the cap turns more away)"_s)
        .set(double(m_serving));
}

} // namespace clinicflow::server
