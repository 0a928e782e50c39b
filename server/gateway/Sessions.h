// Who is on the other end of each ROUTER peer: the station and role it said hello with, and the check that a
// station only submits commands of its own role, under its own name.
//
// Submit's checks come in two steps. submitter() decides whether the Submit can be taken at all: without a session
// or a command id there is nobody or nothing to keep an outcome for, so the answer is an Error and the id stays
// unused. authorize() decides whether the station may issue the command: its refusal is the command's outcome,
// kept under its id like any other (CommandIntake).
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

    // The peer's session, if the Submit can be taken: errors UnknownStation (no Hello) and MissingId.
    domain::Result<const Session *> submitter(const QByteArray &peer, const v1::Submit &submit) const;
    // The submitted command, decoded, if this session may issue it: errors UnknownStation (the Submit names
    // another station), a decoding error, RoleNotAllowed.
    static domain::Result<domain::Command> authorize(const Session &session, const v1::Submit &submit);

private:
    QHash<QByteArray, Session> m_sessions;
};

} // namespace clinicflow::server
