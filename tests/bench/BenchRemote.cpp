#include "BenchRemote.h"

#include "BenchJourneys.h"
#include "proto/Codec.h"
#include "security/Enrolment.h"

#include <QDir>
#include <QHash>
#include <QHostAddress>
#include <cstdio>
#include <utility>
#include <zmq.hpp>

using namespace Qt::StringLiterals;
using namespace clinicflow;

namespace clinicflow::bench {
namespace {

constexpr int kMaxStations = 1000; // station codes are a letter and three digits: R000..R999

struct Enrolments
{
    QHash<QString, security::Enrolment> byCode;
    QStringList problems;
};

// Every enrolment file the player needs, <dir>/<code>.enrolment.json, each checked against what the player does with
// it: the right code and role, doctors' rooms acting for dr.kim, and one server key for all.
Enrolments loadEnrolments(const QString &dir, const JourneyOptions &options)
{
    QList<std::pair<QString, domain::Role>> wanted;
    for (int s = options.firstStation; s < options.firstStation + options.stations; ++s) {
        const QString number = QString::asprintf("%03d", s);
        wanted.append({u"R"_s + number, domain::Role::Receptionist});
        wanted.append({u"M"_s + number, domain::Role::Doctor});
        wanted.append({u"X"_s + number, domain::Role::Examiner});
    }
    wanted.append({u"FEED"_s, domain::Role::Board});
    for (int i = 0; i < options.subscribers; ++i)
        wanted.append({QString::asprintf("S%03d", i), domain::Role::Board});
    Enrolments found;
    QByteArray serverKey;
    QString keyFrom; // the file serverKey was read from
    for (const auto &[code, role] : wanted) {
        const QString path = QDir(dir).filePath(code + u".enrolment.json"_s);
        auto enrolment = security::Enrolment::load(path);
        if (!enrolment) {
            found.problems.append(enrolment.error().message());
            continue;
        }
        const security::Enrolment &e = enrolment.value();
        if (e.station != code || e.role != role) {
            found.problems.append(u"%1: station %2 (%3), not %4 (%5)"_s.arg(path, e.station, domain::toString(e.role),
                                                                            code, domain::toString(role)));
        } else if (role == domain::Role::Doctor && e.doctor != u"dr.kim"_s) {
            found.problems.append(
                u"%1: a doctor's room for %2; the player registers every visit for dr.kim"_s.arg(path, e.doctor));
        } else if (!serverKey.isEmpty() && e.keys.serverPublicKey != serverKey) {
            found.problems.append(
                u"%1: enrolled on another server (its server key is not the one in %2)"_s.arg(path, keyFrom));
        } else {
            if (serverKey.isEmpty()) {
                serverKey = e.keys.serverPublicKey;
                keyFrom = path;
            }
            found.byCode.insert(code, e);
        }
    }
    return found;
}

// One desk's Hello before the run, so that a server not there, a closed port or keys it does not know show at once
// and not as every station's Hello timing out in turn. Empty when welcomed, else what went wrong.
QString helloProblem(const JourneyOptions &options, const security::Enrolment &desk)
{
    const QString endpoint = u"tcp://%1:%2"_s.arg(options.host).arg(options.port);
    try {
        zmq::context_t context(1);
        zmq::socket_t socket(context, zmq::socket_type::dealer);
        socket.set(zmq::sockopt::linger, 0);
        socket.set(zmq::sockopt::rcvtimeo, 5000);
        security::makeCurveClient(socket, desk.keys);
        socket.connect(endpoint.toStdString());
        v1::Envelope hello;
        hello.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
        hello.mutable_hello()->set_station(desk.station.toStdString());
        hello.mutable_hello()->set_role(v1::ROLE_RECEPTIONIST);
        socket.send(zmq::buffer(proto::encode(hello)));
        zmq::message_t reply;
        if (!socket.recv(reply))
            return u"no answer from %1 within 5 s: is the server running there, the port open to this host, and "
                   "are these enrolments from this server (its key, its stations)?"_s.arg(endpoint);
        const auto decoded = proto::decode(std::string_view(reply.data<char>(), reply.size()));
        if (!decoded)
            return u"%1 answered something that is not a ClinicFlow envelope"_s.arg(endpoint);
        if (!decoded.value().has_welcome())
            return u"%1 did not welcome %2: %3"_s.arg(endpoint, desk.station,
                                                      QString::fromStdString(decoded.value().ShortDebugString()));
        return {};
    } catch (const zmq::error_t &error) {
        return u"cannot connect to %1: %2"_s.arg(endpoint, QString::fromUtf8(error.what()));
    }
}

// Where the stations connect from, and a warning when one address would carry more than the server admits.
void printSources(const JourneyOptions &options)
{
    const bool loopback = options.host == u"localhost"_s || QHostAddress(options.host).isLoopback();
    const int addresses = options.sourceAddresses.size();
    int perAddress = options.stations;
    if (addresses > 0) {
        perAddress = (options.stations + addresses - 1) / addresses;
        std::printf("Stations connect from %s (in turn): up to %d stations per address\n",
                    qPrintable(options.sourceAddresses.join(u", "_s)), perAddress);
    } else if (loopback) {
        perAddress = 1;
        std::printf("Stations connect from 127.1.x.y, an address each (the server is on loopback)\n");
    } else {
        std::printf("Stations connect from this host's one address (the one the system picks)\n");
    }
    std::printf("The server admits %d request connections per source address, 3 per station: %d stations per "
                "address.\n",
                kConnectionsPerAddress, kStationsPerAddress);
    if (perAddress > kStationsPerAddress)
        std::printf("WARNING: %d stations from one address: the connections past the %dth will be refused. Give "
                    "--source-addresses a,b,c (addresses of this host), or run several generator hosts, each with "
                    "its own --first-station (0, %d, %d, ...).\n",
                    perAddress, kConnectionsPerAddress, kStationsPerAddress, 2 * kStationsPerAddress);
}

} // namespace

void addRemoteOptions(QCommandLineParser &parser)
{
    parser.addOption({u"server"_s,
                      u"Load-generator mode: play journeys against the server at this address (no server is started "
                      "and the machine's raw limits are not measured). Needs --enrolments."_s,
                      u"host"_s});
    parser.addOption(
        {u"port"_s, u"The server's request port (default: the enrolment's, 7470 by default)."_s, u"port"_s});
    parser.addOption(
        {u"pub-port"_s, u"The server's status port (default: the enrolment's, 7471 by default)."_s, u"port"_s});
    parser.addOption({u"enrolments"_s,
                      u"Folder of the stations' enrolment files, <code>.enrolment.json, as "
                      "tests/bench/enrol-bench-stations.sh writes them on the server host."_s,
                      u"dir"_s});
    parser.addOption({u"source-addresses"_s,
                      u"Addresses of this host the stations connect from, in turn (a comma list). The server admits "
                      "100 request connections per source address: 33 stations, 3 sockets each."_s,
                      u"a,b,c"_s});
    parser.addOption({u"first-station"_s,
                      u"Number of the first station played (default 0): several generator hosts play different "
                      "stations, e.g. 0, 33, 66 with --stations 33 each."_s,
                      u"n"_s, u"0"_s});
}

QStringList remoteOnlyOptions()
{
    return {u"port"_s, u"pub-port"_s, u"enrolments"_s, u"source-addresses"_s, u"first-station"_s};
}

int runRemote(const QCommandLineParser &parser)
{
    JourneyOptions options;
    options.host = parser.value(u"server"_s);
    options.stations = parser.value(u"stations"_s).toInt();
    options.firstStation = parser.value(u"first-station"_s).toInt();
    options.journeysPerStation = parser.value(u"in-flight"_s).toInt();
    options.seconds = parser.value(u"seconds"_s).toDouble();
    options.subscribers = parser.value(u"subscribers"_s).toInt();
    const double rate = parser.value(u"rate"_s).toDouble();
    for (const QString &address : parser.value(u"source-addresses"_s).split(u',', Qt::SkipEmptyParts))
        options.sourceAddresses.append(address.trimmed());
    const QString dir = parser.value(u"enrolments"_s);
    if (options.host.isEmpty() || dir.isEmpty() || options.stations < 1 || options.firstStation < 0 ||
        options.firstStation + options.stations > kMaxStations || options.journeysPerStation < 1 ||
        options.seconds <= 0 || options.subscribers < 0 || options.subscribers >= kConnectionsPerAddress ||
        (parser.isSet(u"rate"_s) && rate <= 0)) {
        std::fprintf(stderr,
                     "clinicflow-bench-server --server HOST --enrolments DIR: stations 1..%d in all "
                     "(first + count), in-flight >= 1, seconds > 0, subscribers 0..%d, rate > 0\n",
                     kMaxStations, kConnectionsPerAddress - 1);
        return 2;
    }
    const Enrolments enrolments = loadEnrolments(dir, options);
    if (!enrolments.problems.isEmpty()) {
        for (const QString &problem : enrolments.problems.mid(0, 5))
            std::fprintf(stderr, "%s\n", qPrintable(problem));
        std::fprintf(stderr,
                     "%lld enrolment(s) missing or unusable. On the server host: tests/bench/enrol-bench-stations.sh "
                     "--run --stations %d --subscribers %d --address <its address> --out DIR -- --data <its data>\n",
                     qlonglong(enrolments.problems.size()), options.firstStation + options.stations,
                     options.subscribers);
        return 2;
    }
    const security::Enrolment first = enrolments.byCode.value(QString::asprintf("R%03d", options.firstStation));
    options.port = parser.isSet(u"port"_s) ? quint16(parser.value(u"port"_s).toUInt()) : first.port;
    options.pubPort = parser.isSet(u"pub-port"_s) ? quint16(parser.value(u"pub-port"_s).toUInt()) : first.pubPort;
    options.keysFor = [&enrolments](const QString &station, domain::Role) -> std::optional<security::ClientKeys> {
        const auto found = enrolments.byCode.constFind(station);
        return found == enrolments.byCode.cend() ? std::nullopt : std::optional(found->keys);
    };

    std::printf("ClinicFlow load generator: server %s, requests on port %u, status on port %u, server key %s\n",
                qPrintable(options.host), options.port, options.pubPort, first.keys.serverPublicKey.constData());
    std::printf("%d stations (R%03d.. desks, M%03d.. doctors' rooms for dr.kim, X%03d.. examiners) with %d journeys "
                "in flight each, %d subscribers, %.0f s per phase\n",
                options.stations, options.firstStation, options.firstStation, options.firstStation,
                options.journeysPerStation, options.subscribers, options.seconds);
    printSources(options);
    std::fflush(stdout);
    if (const QString problem = helloProblem(options, first); !problem.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(problem));
        return 1;
    }

    options.label = u"full load"_s;
    std::printf("\nfull load: every station starts its next journey at once\n");
    const JourneyResult full = runJourneys(options);
    if (full.applied == 0) {
        std::fprintf(stderr, "no command was applied at full load: nothing to measure at a lower rate\n");
        return 1;
    }
    const double commandsPerSecond = rate > 0 ? rate : full.appliedPerSecond / 2.0;
    options.label = rate > 0 ? u"at %1 commands/s"_s.arg(rate) : u"half load"_s;
    options.journeysPerSecond = commandsPerSecond / 6.0; // six commands per journey
    std::printf("\n%s: %.1f journeys/s started (%.0f commands/s)\n", qPrintable(options.label),
                options.journeysPerSecond, commandsPerSecond);
    runJourneys(options);
    return 0;
}

} // namespace clinicflow::bench
