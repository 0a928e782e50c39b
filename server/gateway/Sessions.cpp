#include "Sessions.h"

#include "proto/Codec.h"
#include "proto/Convert.h"
#include "proto/ConvertSupport.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

Result<Session> Sessions::hello(const QByteArray &peer, const v1::Hello &hello, const EnrolledStation &enrolled,
                                int connection)
{
    if (hello.protocol_version() != proto::kProtocolVersion) {
        return makeError(ErrorCode::UnsupportedProtocolVersion,
                         u"station speaks %1, server %2"_s.arg(hello.protocol_version()).arg(proto::kProtocolVersion));
    }
    const QString station = QString::fromStdString(hello.station());
    if (station != enrolled.code)
        return makeError(ErrorCode::UnknownStation,
                         u"this key is enrolled as station %1, not '%2'"_s.arg(enrolled.code, station.left(8)));
    auto role = proto::fromProto(hello.role());
    if (!role)
        return role.error();
    if (role.value() != enrolled.role)
        return makeError(ErrorCode::RoleNotAllowed,
                         u"station %1 is enrolled as %2, not %3"_s.arg(enrolled.code, toString(enrolled.role),
                                                                       toString(role.value())));
    Session session{enrolled.code, enrolled.role, enrolled.doctor, connection};
    m_sessions.insert(peer, session);
    return session;
}

const Session *Sessions::find(const QByteArray &peer, const QString &station) const
{
    auto it = m_sessions.constFind(peer);
    return it == m_sessions.cend() || it->station != station ? nullptr : &it.value();
}

Result<const Session *> Sessions::submitter(const QByteArray &peer, const QString &station,
                                            const v1::Submit &submit) const
{
    const Session *session = find(peer, station);
    if (!session)
        return makeError(ErrorCode::UnknownStation, u"say hello first"_s);
    if (idFromString(QString::fromStdString(submit.command_id())).isNull())
        return makeError(ErrorCode::MissingId, u"command id %1"_s.arg(proto::detail::quoted(submit.command_id())));
    return session;
}

bool Sessions::hasStation(const QString &station) const
{
    return std::any_of(m_sessions.cbegin(), m_sessions.cend(),
                       [&station](const Session &s) { return s.station == station; });
}

void Sessions::endConnection(int connection)
{
    m_sessions.removeIf([connection](const auto &it) { return it.value().connection == connection; });
}

QList<int> Sessions::endStation(const QString &station)
{
    QList<int> connections;
    m_sessions.removeIf([&](const auto &it) {
        if (it.value().station != station)
            return false;
        connections.append(it.value().connection);
        return true;
    });
    return connections;
}

Result<Command> Sessions::authorize(const Session &session, const v1::Submit &submit)
{
    if (QString::fromStdString(submit.station()) != session.station)
        return makeError(ErrorCode::UnknownStation, u"the command names another station"_s);
    auto command = proto::fromProto(submit.command());
    if (!command)
        return command.error();
    if (commandRole(command.value()) != session.role)
        return makeError(ErrorCode::RoleNotAllowed,
                         u"%1 may not %2"_s.arg(toString(session.role), commandName(command.value())));
    // A desk issues its own tickets only: they start with its station code, which is what keeps two desks' tickets
    // apart without asking the server for a number.
    if (const auto *registration = std::get_if<RegisterVisit>(&command.value());
        registration && registration->ticket.station != session.station)
        return makeError(ErrorCode::InvalidTicket,
                         u"ticket %1 is not station %2's"_s.arg(registration->ticket.toString(), session.station));
    return command;
}

} // namespace clinicflow::server
