// Who is on the other end of each ROUTER peer, and the check that a station only submits commands of its own role,
// under its own name. The station and role are its enrolment's (the key the ZAP handler admitted); Hello only
// confirms them. A session belongs to one connection and ends with it, so a later peer can never inherit it.
//
// Submit's checks come in two steps. submitter() decides whether the Submit can be taken at all: without a session
// or a command id there is nobody or nothing to keep an outcome for, so the answer is an Error and the id stays
// unused. authorize() decides whether the station may issue the command: its refusal is the command's outcome,
// kept under its id like any other (CommandIntake).
#pragma once

#include "clinicflow/v1/envelope.pb.h"
#include "domain/Commands.h"
#include "security/StationDirectory.h"

#include <QByteArray>
#include <QHash>

namespace clinicflow::server {

struct Session
{
    QString station;
    domain::Role role = domain::Role::Board;
    QString doctor;      // a doctor's room: the doctor it acts for
    int connection = -1; // the connection's socket (ZMQ_SRCFD), to end the session with it
};

class Sessions
{
public:
    // Registers (or re-registers) the peer as the enrolled station whose key its connection was admitted with.
    // Errors: unsupported protocol version; a Hello naming another station (UnknownStation) or role
    // (RoleNotAllowed) than the enrolment's.
    domain::Result<Session> hello(const QByteArray &peer, const v1::Hello &hello, const EnrolledStation &enrolled,
                                  int connection);
    // The peer's session, when it has one for the station its connection was admitted as.
    const Session *find(const QByteArray &peer, const QString &station) const;

    // The peer's session, if the Submit can be taken: errors UnknownStation (no Hello) and MissingId.
    domain::Result<const Session *> submitter(const QByteArray &peer, const QString &station,
                                              const v1::Submit &submit) const;

    // Ends the sessions of a closed connection, or of a revoked station (returning their connections).
    void endConnection(int connection);
    QList<int> endStation(const QString &station);
    qsizetype size() const { return m_sessions.size(); }
    // Whether the station has a session, on any of its connections.
    bool hasStation(const QString &station) const;
    // The submitted command, decoded, if this session may issue it: errors UnknownStation (the Submit names
    // another station), a decoding error, RoleNotAllowed.
    static domain::Result<domain::Command> authorize(const Session &session, const v1::Submit &submit);

private:
    QHash<QByteArray, Session> m_sessions;
};

} // namespace clinicflow::server
