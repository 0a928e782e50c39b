// The operators' HTTP endpoint's listening socket: accepts connections, serves up to HttpLimits::maxConnections of
// them at once (each an HttpConnection) and turns the others away with 503, and closes them all when it goes.
#pragma once

#include "HttpConnection.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>

QT_BEGIN_NAMESPACE
class QTcpServer;
QT_END_NAMESPACE

namespace clinicflow::server {

class HttpRefusals;

class HttpListener final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpListener)
public:
    // Connections turned away that may still be lingering (reading the peer's request to drop it) at once; beyond
    // them a connection over the cap is closed without an answer, so a flood of them costs no more descriptors.
    static constexpr int kMaxTurnedAway = 32;

    HttpListener(const HttpLimits &limits, HttpConnection::Handler handler, QObject *parent = nullptr);
    ~HttpListener() override; // closes the listening socket and every connection

    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const;
    bool isListening() const;
    quint16 port() const;

    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    int openConnections() const { return m_serving; }

private:
    void acceptPending();
    void updateGauge() const;

    HttpLimits m_limits;
    HttpConnection::Handler m_handler;
    QTcpServer *m_server;             // a child
    HttpRefusals *m_refusals;         // a child
    int m_serving = 0;                // connections served now (at most m_limits.maxConnections)
    int m_turnedAway = 0;             // connections answered 503, still closing
    QHash<QString, int> m_perAddress; // connections served now, by the peer's address
};

} // namespace clinicflow::server
