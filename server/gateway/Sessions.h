// Who is on the other end of each ROUTER peer: the station and role it said hello with, and the check that a
// station only submits commands of its own role, under its own name.
#pragma once

#include "clinicflow/v1/envelope.pb.h"
#include "domain/Commands.h"

#include <QByteArray>
#include <QHash>

namespace clinicflow::server {

struct Session
{
    QString station;
    domain::Role role = domain::Role::Board;
};

class Sessions
{
public:
    // Registers (or re-registers, after a reconnect) the peer. Errors: unsupported protocol version, a bad station
    // code or role.
    domain::Result<Session> hello(const QByteArray &peer, const v1::Hello &hello);
    const Session *find(const QByteArray &peer) const;

    // The submitted command, decoded, if this session may issue it.
    domain::Result<domain::Command> authorize(const Session *session, const v1::Submit &submit) const;

private:
    QHash<QByteArray, Session> m_sessions;
};

} // namespace clinicflow::server
