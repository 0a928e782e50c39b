// The attacks over the stations' ZeroMQ port. Each attacker holds an enrolled station's keys, so its messages pass
// CURVE and reach the gateway: what is measured is the gateway's own defence, not the handshake's.
#include "AttackParts.h"
#include "TestCommands.h"
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <QDateTime>
#include <csignal>
#include <thread>
#include <zmq.hpp>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace clinicflow::hostile {
namespace {

std::unique_ptr<zmq::socket_t> dealer(zmq::context_t &context, const Target &target, const QString &station)
{
    auto socket = std::make_unique<zmq::socket_t>(context, zmq::socket_type::dealer);
    socket->set(zmq::sockopt::linger, 0);
    socket->set(zmq::sockopt::sndtimeo, 100);
    security::makeCurveClient(*socket, target.keys.value(station));
    socket->connect(std::string("tcp://") + kAttackerHost + ":0;127.0.0.1:" + std::to_string(target.port));
    return socket;
}

std::string helloBytes(const QString &station, v1::Role role)
{
    v1::Envelope envelope;
    envelope.set_request_id(1);
    envelope.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
    envelope.mutable_hello()->set_station(station.toStdString());
    envelope.mutable_hello()->set_role(role);
    return proto::encode(envelope);
}

bool hello(zmq::socket_t &socket, const QString &station, v1::Role role)
{
    if (!socket.send(zmq::buffer(helloBytes(station, role))))
        return false;
    socket.set(zmq::sockopt::rcvtimeo, 5000);
    zmq::message_t reply;
    const bool answered = bool(socket.recv(reply));
    socket.set(zmq::sockopt::rcvtimeo, 0);
    if (!answered)
        return false;
    const auto decoded = proto::decode(std::string_view(reply.data<char>(), reply.size()));
    return decoded && decoded.value().has_welcome();
}

// Reads every reply waiting, and counts it.
void readReplies(zmq::socket_t &socket, Tally &tally)
{
    zmq::message_t reply;
    while (socket.recv(reply, zmq::recv_flags::dontwait)) {
        ++tally.answered;
        const auto decoded = proto::decode(std::string_view(reply.data<char>(), reply.size()));
        if (!decoded)
            continue;
        const v1::Envelope &e = decoded.value();
        if (e.has_error() && e.error().code() == v1::ERROR_CODE_RATE_LIMITED)
            ++tally.limited;
        else if (e.has_error() || e.has_rejected())
            ++tally.refused;
        else if (e.has_applied())
            ++tally.applied;
    }
}

// Sends as fast as the connection takes it; a full queue (or a connection the server closed) waits a moment.
void sendFlat(zmq::socket_t &socket, const std::string &bytes, Tally &tally)
{
    if (socket.send(zmq::buffer(bytes), zmq::send_flags::dontwait)) {
        ++tally.sent;
        tally.bytes += qint64(bytes.size());
    } else {
        std::this_thread::sleep_for(1ms);
    }
}

std::string submitBytes(const domain::Command &command, const QString &station, quint64 requestId,
                        const std::string &commandId = {})
{
    const domain::CommandMeta meta{domain::newId(), station, QDateTime::currentDateTimeUtc()};
    v1::Envelope envelope;
    envelope.set_request_id(requestId);
    *envelope.mutable_submit() = proto::toSubmit(meta, command);
    if (!commandId.empty())
        envelope.mutable_submit()->set_command_id(commandId);
    return proto::encode(envelope);
}

domain::RegisterVisit registrationOf(const QString &desk, int number)
{
    auto visit = testsupport::registerVisit(u"IM"_s, u"dr.kim"_s);
    visit.ticket = domain::Ticket{desk, 1 + number % 9999};
    return visit;
}

// A command of a station that said Hello, over and over, reading the answers as they come.
void pipelined(const Target &target, const std::atomic<bool> &stop, Tally &tally, const QString &station, v1::Role role,
               const std::function<std::string(quint64)> &next)
{
    zmq::context_t context(1);
    auto socket = dealer(context, target, station);
    if (!hello(*socket, station, role))
        return;
    for (quint64 request = 2; !stop; ++request) {
        sendFlat(*socket, next(request), tally);
        readReplies(*socket, tally);
    }
}

} // namespace

std::vector<Attack> zmqAttacks()
{
    std::vector<Attack> attacks;
    attacks.push_back({u"oversized-frames"_s,
                       u"1 MiB frames from an enrolled peer that never says Hello"_s,
                       {u"B900"_s},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           zmq::context_t context(1);
                           auto socket = dealer(context, target, u"B900"_s);
                           const std::string frame(1 << 20, 'x');
                           while (!stop)
                               sendFlat(*socket, frame, tally);
                       }});
    attacks.push_back({u"huge-fields"_s,
                       u"registrations whose chief complaint is 60,000 characters, pipelined"_s,
                       {u"R900"_s},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           pipelined(target, stop, tally, u"R900"_s, v1::ROLE_RECEPTIONIST, [](quint64 request) {
                               auto visit = registrationOf(u"R900"_s, int(request));
                               visit.chiefComplaint = QString(60000, u'x');
                               return submitBytes(visit, u"R900"_s, request);
                           });
                       }});
    attacks.push_back({u"long-command-ids"_s,
                       u"commands whose id is 60,000 characters, pipelined (each is refused and logged)"_s,
                       {u"R902"_s},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           const std::string id(60000, 'A');
                           pipelined(target, stop, tally, u"R902"_s, v1::ROLE_RECEPTIONIST, [&id](quint64 request) {
                               return submitBytes(registrationOf(u"R902"_s, int(request)), u"R902"_s, request, id);
                           });
                       }});
    attacks.push_back({u"registration-flood"_s,
                       u"one desk pipelining valid registrations without waiting, ignoring retry-after"_s,
                       {},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           pipelined(target, stop, tally, u"R901"_s, v1::ROLE_RECEPTIONIST, [](quint64 request) {
                               return submitBytes(registrationOf(u"R901"_s, int(request)), u"R901"_s, request);
                           });
                       }});
    attacks.push_back({u"snapshot-flood"_s,
                       u"a board asking for the whole status view, pipelined"_s,
                       {},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           pipelined(target, stop, tally, u"B901"_s, v1::ROLE_BOARD, [](quint64 request) {
                               v1::Envelope envelope;
                               envelope.set_request_id(request);
                               envelope.mutable_fetch_snapshot()->set_limit(1000);
                               return proto::encode(envelope);
                           });
                       }});
    attacks.push_back({u"garbage-frames"_s,
                       u"10-byte frames that are no envelope, from a peer that never says Hello"_s,
                       {u"B903"_s},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           zmq::context_t context(1);
                           auto socket = dealer(context, target, u"B903"_s);
                           const std::string garbage("\xff\x01garbage!", 10);
                           while (!stop) {
                               sendFlat(*socket, garbage, tally);
                               readReplies(*socket, tally);
                           }
                       }});
    attacks.push_back({u"zmq-connections"_s,
                       u"400 TCP connections that never finish the handshake, and 40 DEALERs of one enrolled board"_s,
                       {},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           std::vector<TcpConnection> raw;
                           zmq::context_t context(1);
                           std::vector<std::unique_ptr<zmq::socket_t>> dealers;
                           for (int i = 0; i < 40 && !stop; ++i) {
                               dealers.push_back(dealer(context, target, u"B902"_s));
                               sendFlat(*dealers.back(), helloBytes(u"B902"_s, v1::ROLE_BOARD), tally);
                           }
                           while (!stop) {
                               // Connections the server closed (after its 5 s handshake limit) are opened again.
                               std::erase_if(raw, [&tally](TcpConnection &c) {
                                   const bool closed = c.closedByPeer();
                                   tally.disconnects += closed ? 1 : 0;
                                   return closed;
                               });
                               while (raw.size() < 400 && !stop) {
                                   raw.emplace_back(target.port);
                                   ++tally.sent;
                               }
                               std::this_thread::sleep_for(50ms);
                           }
                       }});
    attacks.push_back({u"sighup"_s,
                       u"SIGHUP to the server every 200 ms"_s,
                       {},
                       [](const Target &target, const std::atomic<bool> &stop, Tally &tally) {
                           while (!stop) {
                               if (::kill(pid_t(target.pid), SIGHUP) == 0)
                                   ++tally.sent;
                               std::this_thread::sleep_for(200ms);
                           }
                       }});
    return attacks;
}

} // namespace clinicflow::hostile
