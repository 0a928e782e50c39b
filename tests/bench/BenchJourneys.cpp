#include "BenchJourneys.h"

#include "BenchLimits.h"
#include "TestCommands.h"
#include "domain/Diagnosis.h"
#include "proto/Codec.h"
#include "proto/Convert.h"
#include "proto/Redaction.h"

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <memory>
#include <sys/epoll.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>
#include <zmq.hpp>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using Clock = std::chrono::steady_clock;

namespace clinicflow::bench {
namespace {

enum Role
{
    Desk,
    Doctor,
    Examiner
};

// The steps of one journey: the command to send, and the saga event to wait for after it is applied (if any).
enum Step
{
    Register,
    Prescribe,
    Perform,
    Review,
    Complete,
    Confirm,
    Done
};

struct Journey
{
    int index = 0;   // in m_journeys
    int station = 0; // whose sockets it uses
    QUuid visit;
    QUuid exam;
    Step step = Register;
    bool applied = false;     // the current step's command is applied
    bool awaitedSeen = false; // the event the step waits for has arrived
    QUuid pendingCommand;
};

// The sequence of one Event message at the stream's position (its length read first); 0 when it is malformed.
quint64 readEventSequence(google::protobuf::io::CodedInputStream &in)
{
    quint32 length = 0;
    if (!in.ReadVarint32(&length))
        return 0;
    const auto limit = in.PushLimit(int(length));
    uint64_t sequence = 0;
    for (quint32 field; (field = in.ReadTag()) != 0;) {
        if (field == (quint32(v1::Event::kSequenceFieldNumber) << 3)) {
            if (!in.ReadVarint64(&sequence))
                return 0;
        } else if (!google::protobuf::internal::WireFormatLite::SkipField(&in, field)) {
            return 0;
        }
    }
    in.PopLimit(limit);
    return sequence;
}

// The sequences of the events in an Envelope{event} or Envelope{event_batch} (what PUB carries), read field by field
// without building messages: a fan-out subscriber notes arrivals and leaves the shared cores to the server.
std::vector<quint64> eventSequences(const char *data, std::size_t size)
{
    using google::protobuf::internal::WireFormatLite;
    using google::protobuf::io::CodedInputStream;
    constexpr quint32 kEventTag = (quint32(v1::Envelope::kEventFieldNumber) << 3) | 2;
    constexpr quint32 kBatchTag = (quint32(v1::Envelope::kEventBatchFieldNumber) << 3) | 2;
    constexpr quint32 kBatchEventTag = (quint32(v1::EventBatch::kEventsFieldNumber) << 3) | 2;
    std::vector<quint64> sequences;
    CodedInputStream envelope(reinterpret_cast<const quint8 *>(data), int(size));
    for (quint32 tag; (tag = envelope.ReadTag()) != 0;) {
        if (tag == kEventTag) {
            if (const quint64 sequence = readEventSequence(envelope))
                sequences.push_back(sequence);
        } else if (tag == kBatchTag) {
            quint32 length = 0;
            if (!envelope.ReadVarint32(&length))
                break;
            const auto limit = envelope.PushLimit(int(length));
            for (quint32 field; (field = envelope.ReadTag()) != 0;) {
                if (field == kBatchEventTag) {
                    if (const quint64 sequence = readEventSequence(envelope))
                        sequences.push_back(sequence);
                } else if (!WireFormatLite::SkipField(&envelope, field)) {
                    break;
                }
            }
            envelope.PopLimit(limit);
        } else if (!WireFormatLite::SkipField(&envelope, tag)) {
            break;
        }
    }
    return sequences;
}

double percentile(std::vector<double> &values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, std::size_t(double(values.size()) * p))];
}

double msSince(Clock::time_point t, Clock::time_point now)
{
    return std::chrono::duration<double, std::milli>(now - t).count();
}

class Driver
{
public:
    explicit Driver(const JourneyOptions &o)
        : m_options(o)
        , m_context(1)
    {
    }

    JourneyResult run();

private:
    zmq::socket_t &dealer(int station, Role role) { return *m_dealers[std::size_t(station * 3 + role)]; }
    QString codeOf(char prefix, int s) const { return QString::asprintf("%c%03d", prefix, m_options.firstStation + s); }
    std::string requestEndpoint(int s) const;
    void connectAll();
    void startJourney(int index, Clock::time_point now);
    void sendStep(Journey &j, Clock::time_point now);
    void onOutcome(const v1::Envelope &e, Clock::time_point now);
    void onQueued(const v1::Queued &q, Clock::time_point now);
    void onEvent(const v1::Event &e);
    void advance(Journey &j, Clock::time_point now);
    static bool waitsForEvent(Step s) { return s == Register || s == Prescribe || s == Perform || s == Complete; }

    JourneyOptions m_options;
    zmq::context_t m_context;
    std::vector<std::unique_ptr<zmq::socket_t>> m_dealers;
    std::unique_ptr<zmq::socket_t> m_feed; // the driver's own view of the saga
    std::vector<std::unique_ptr<zmq::socket_t>> m_subscribers;
    std::vector<Journey> m_journeys; // journeysPerStation per station
    QHash<QUuid, int> m_byCommand;   // pending command -> journey
    QHash<QUuid, int> m_byAggregate; // visit, diagnosis or examination id -> journey
    std::unordered_map<std::string, Clock::time_point> m_sentAt;
    std::unordered_map<quint64, Clock::time_point> m_appliedAt;    // event sequence -> when its command was answered
    std::vector<std::pair<quint64, Clock::time_point>> m_received; // subscribers' receipts
    std::vector<double> m_applyMs;
    std::vector<double> m_queuedMs;
    long m_applied = 0;
    long m_rejected = 0;
    long m_journeysDone = 0;
    long m_helloFailures = 0;
    quint64 m_requestId = 0;
    double m_startCredit = 0;
    bool m_measuring = true;
    bool m_draining = false;            // the phase is over: nothing new is sent
    std::vector<std::size_t> m_toCheck; // sockets (their place in run()'s order) to read whatever their fd says
};

// tcp://[source:0;]host:port for station s's sockets (see JourneyOptions::sourceAddresses).
std::string Driver::requestEndpoint(int s) const
{
    QString source;
    if (!m_options.sourceAddresses.isEmpty())
        source = m_options.sourceAddresses.at(s % m_options.sourceAddresses.size());
    else if (m_options.host == u"localhost"_s || QHostAddress(m_options.host).isLoopback())
        source = QString::asprintf("127.1.%d.%d", s / 250, 1 + s % 250); // all of 127/8 is loopback
    const QString from = source.isEmpty() ? QString() : source + u":0;"_s;
    return u"tcp://%1%2:%3"_s.arg(from, m_options.host).arg(m_options.port).toStdString();
}

void Driver::connectAll()
{
    const std::string feed = u"tcp://%1:%2"_s.arg(m_options.host).arg(m_options.pubPort).toStdString();
    const v1::Role roles[] = {v1::ROLE_RECEPTIONIST, v1::ROLE_DOCTOR, v1::ROLE_EXAMINER};
    const char prefixes[] = {'R', 'M', 'X'};
    const domain::Role domainRoles[] = {domain::Role::Receptionist, domain::Role::Doctor, domain::Role::Examiner};
    const auto secure = [this](zmq::socket_t &socket, const QString &station, domain::Role role) {
        const auto keys = m_options.keysFor ? m_options.keysFor(station, role) : std::nullopt;
        if (!keys)
            qFatal("no enrolled keys for station %s", qPrintable(station));
        security::makeCurveClient(socket, *keys);
    };
    for (int s = 0; s < m_options.stations; ++s) {
        for (int r = 0; r < 3; ++r) {
            const QString station = codeOf(prefixes[r], s);
            auto socket = std::make_unique<zmq::socket_t>(m_context, zmq::socket_type::dealer);
            socket->set(zmq::sockopt::linger, 0);
            secure(*socket, station, domainRoles[r]);
            socket->connect(requestEndpoint(s));
            v1::Envelope hello;
            hello.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
            hello.mutable_hello()->set_station(station.toStdString());
            hello.mutable_hello()->set_role(roles[r]);
            socket->set(zmq::sockopt::rcvtimeo, 10000);
            socket->send(zmq::buffer(proto::encode(hello)));
            zmq::message_t welcome;
            bool welcomed = false;
            if (socket->recv(welcome)) {
                const auto decoded = proto::decode(std::string_view(welcome.data<char>(), welcome.size()));
                welcomed = decoded && decoded.value().has_welcome();
            }
            if (!welcomed) {
                ++m_helloFailures;
                std::fprintf(stderr, "station %s: no Welcome within 10 s\n", qPrintable(station));
            }
            socket->set(zmq::sockopt::rcvtimeo, -1);
            m_dealers.push_back(std::move(socket));
        }
    }
    // Boards: the common topic and the board's (registrations as a board may read them).
    auto subscribe = [&](const QString &station) {
        auto sub = std::make_unique<zmq::socket_t>(m_context, zmq::socket_type::sub);
        sub->set(zmq::sockopt::linger, 0);
        sub->set(zmq::sockopt::rcvhwm, 0);
        secure(*sub, station, domain::Role::Board);
        sub->set(zmq::sockopt::subscribe, proto::kCommonTopic);
        sub->set(zmq::sockopt::subscribe, proto::roleTopic(domain::Role::Board));
        sub->connect(feed);
        return sub;
    };
    m_feed = subscribe(u"FEED"_s);
    for (int i = 0; i < m_options.subscribers; ++i)
        m_subscribers.push_back(subscribe(QString::asprintf("S%03d", i)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // let the subscriptions reach the PUB
}

void Driver::startJourney(int index, Clock::time_point now)
{
    if (m_draining)
        return;
    Journey &j = m_journeys[std::size_t(index)];
    j = Journey{};
    j.index = index;
    j.station = index % m_options.stations;
    j.visit = domain::newId();
    j.exam = domain::newId();
    m_byAggregate.insert(j.visit, index);
    m_byAggregate.insert(domain::diagnosis::idForVisit(j.visit), index);
    m_byAggregate.insert(j.exam, index);
    sendStep(j, now);
}

void Driver::sendStep(Journey &j, Clock::time_point now)
{
    if (m_draining)
        return;
    domain::Command command;
    Role role = Doctor;
    switch (j.step) {
    case Register: {
        // Every doctor station is enrolled for dr.kim (a doctor acts on their own patients only).
        auto r = testsupport::registerVisit(u"IM"_s, u"dr.kim"_s);
        r.receptionId = j.visit;
        r.ticket = domain::Ticket{codeOf('R', j.station), int(1 + m_journeysDone % 9999)};
        command = r;
        role = Desk;
        break;
    }
    case Prescribe: {
        auto p = testsupport::prescribe(j.visit, u"BLOOD"_s);
        p.examinationId = j.exam;
        command = p;
        break;
    }
    case Perform:
        command = domain::PerformExamination{j.exam, u"normal range"_s};
        role = Examiner;
        break;
    case Review:
        command = testsupport::reviewResults(j.visit);
        break;
    case Complete:
        command = testsupport::completeTreatment(j.visit);
        break;
    case Confirm:
        command = testsupport::confirmOutcome(j.visit);
        role = Desk;
        break;
    case Done:
        return;
    }
    const char prefixes[] = {'R', 'M', 'X'};
    const domain::CommandMeta meta{domain::newId(), codeOf(prefixes[role], j.station), QDateTime::currentDateTimeUtc()};
    v1::Envelope envelope;
    envelope.set_request_id(++m_requestId);
    *envelope.mutable_submit() = proto::toSubmit(meta, command);
    j.pendingCommand = meta.commandId;
    j.applied = false;
    j.awaitedSeen = false;
    m_byCommand.insert(meta.commandId, j.index);
    m_sentAt[envelope.submit().command_id()] = now;
    dealer(j.station, role).send(zmq::buffer(proto::encode(envelope)), zmq::send_flags::dontwait);
    m_toCheck.push_back(std::size_t(j.station * 3 + role)); // a send may take the signal of an answer waiting
}

void Driver::onOutcome(const v1::Envelope &e, Clock::time_point now)
{
    const bool applied = e.has_applied();
    const std::string &id = applied ? e.applied().command_id() : e.rejected().command_id();
    auto sent = m_sentAt.find(id);
    if (sent == m_sentAt.end())
        return; // a second copy (direct answer and PUB)
    if (m_measuring)
        m_applyMs.push_back(msSince(sent->second, now));
    m_sentAt.erase(sent);
    if (applied) {
        ++m_applied;
        for (quint64 s : e.applied().sequences())
            m_appliedAt.emplace(s, now);
    } else {
        ++m_rejected;
        std::fprintf(stderr, "rejected: %s\n", e.rejected().message().c_str());
    }
    const QUuid command = domain::idFromString(QString::fromStdString(id));
    const auto found = m_byCommand.find(command);
    if (found == m_byCommand.end())
        return;
    Journey &j = m_journeys[std::size_t(found.value())];
    m_byCommand.erase(found);
    if (j.pendingCommand != command)
        return;
    if (!applied) {
        j.step = Done; // a rejected step ends the journey; the station starts another
        advance(j, now);
        return;
    }
    j.applied = true;
    advance(j, now);
}

void Driver::onQueued(const v1::Queued &q, Clock::time_point now)
{
    if (!m_measuring)
        return;
    if (auto sent = m_sentAt.find(q.command_id()); sent != m_sentAt.end())
        m_queuedMs.push_back(msSince(sent->second, now));
}

void Driver::onEvent(const v1::Event &e)
{
    const char *awaited = nullptr;
    if (e.has_treatment_started())
        awaited = "TreatmentStarted";
    else if (e.has_examination_requested())
        awaited = "ExaminationRequested";
    else if (e.has_results_ready())
        awaited = "ResultsReady";
    else if (e.has_outcome_recorded())
        awaited = "OutcomeRecorded";
    if (!awaited)
        return;
    auto it = m_byAggregate.constFind(domain::idFromString(QString::fromStdString(e.aggregate_id())));
    if (it == m_byAggregate.cend())
        return;
    Journey &j = m_journeys[std::size_t(it.value())];
    j.awaitedSeen = true;
    advance(j, Clock::now());
}

void Driver::advance(Journey &j, Clock::time_point now)
{
    if (j.step != Done) {
        if (!j.applied || (waitsForEvent(j.step) && !j.awaitedSeen))
            return;
        j.step = Step(int(j.step) + 1);
    }
    if (j.step == Done) {
        ++m_journeysDone;
        m_byAggregate.remove(j.visit);
        m_byAggregate.remove(domain::diagnosis::idForVisit(j.visit));
        m_byAggregate.remove(j.exam);
        if (m_options.journeysPerSecond <= 0)
            startJourney(j.index, now);
        return;
    }
    sendStep(j, now);
}

JourneyResult Driver::run()
{
    connectAll();
    m_journeys.resize(std::size_t(m_options.stations * m_options.journeysPerStation));
    const auto start = Clock::now();
    const auto end =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(m_options.seconds));
    for (std::size_t i = 0; i < m_journeys.size(); ++i) {
        m_journeys[i].step = Done;
        if (m_options.journeysPerSecond <= 0)
            startJourney(int(i), start);
    }
    // The sockets in one order: the stations' dealers, the feed, the fan-out subscribers. They are watched by epoll
    // on their ZMQ_FD and read only when it signals (or after a send on them): zmq::poll would look at all 160 on
    // every turn, half a core that the server on the same two cores would not have with real stations.
    std::vector<zmq::socket_t *> sockets;
    for (auto &d : m_dealers)
        sockets.push_back(d.get());
    sockets.push_back(m_feed.get());
    for (auto &sub : m_subscribers)
        sockets.push_back(sub.get());
    const std::size_t feedIndex = m_dealers.size();
    const int watch = epoll_create1(EPOLL_CLOEXEC);
    if (watch < 0)
        qFatal("epoll_create1 failed");
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        if (epoll_ctl(watch, EPOLL_CTL_ADD, sockets[i]->get(zmq::sockopt::fd), &ev) != 0)
            qFatal("epoll_ctl failed");
        m_toCheck.push_back(i); // whatever arrived before
    }
    const auto drainEnd =
        end + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(m_options.drainSeconds));
    auto lastTick = start;
    Clock::time_point now = start;
    std::vector<epoll_event> ready(64);
    std::vector<std::size_t> checking;
    while (true) {
        now = Clock::now();
        if (now >= end) {
            m_draining = true;
            if (now >= drainEnd || m_sentAt.empty())
                break;
        }
        int timeoutMs = 10;
        if (m_options.journeysPerSecond > 0 && !m_draining) {
            m_startCredit += m_options.journeysPerSecond * std::chrono::duration<double>(now - lastTick).count();
            lastTick = now;
            for (auto &j : m_journeys) {
                if (m_startCredit < 1)
                    break;
                if (j.step == Done) {
                    startJourney(int(&j - m_journeys.data()), now);
                    m_startCredit -= 1;
                }
            }
            timeoutMs = 1; // the next start is due within a few milliseconds
        }
        const int n = epoll_wait(watch, ready.data(), int(ready.size()), m_toCheck.empty() ? timeoutMs : 0);
        for (int k = 0; k < n; ++k)
            m_toCheck.push_back(std::size_t(ready[std::size_t(k)].data.u64));
        now = Clock::now();
        checking.swap(m_toCheck);
        m_toCheck.clear();
        std::sort(checking.begin(), checking.end());
        checking.erase(std::unique(checking.begin(), checking.end()), checking.end());
        for (const std::size_t i : checking) {
            zmq::socket_t &socket = *sockets[i];
            if (!(socket.get(zmq::sockopt::events) & ZMQ_POLLIN))
                continue;
            zmq::message_t message;
            while (socket.recv(message, zmq::recv_flags::dontwait)) {
                if (message.more())
                    continue; // a publication's topic frame: its envelope comes next
                if (i > feedIndex) {
                    // A fan-out subscriber only notes when each event arrived: it reads the sequence without
                    // decoding the whole envelope, so the load generator leaves the shared cores to the server.
                    for (const quint64 sequence : eventSequences(message.data<char>(), message.size()))
                        m_received.emplace_back(sequence, now);
                    continue;
                }
                auto envelope = proto::decode(std::string_view(message.data<char>(), message.size()));
                if (!envelope)
                    continue;
                const v1::Envelope &e = envelope.value();
                if (i < feedIndex || i == feedIndex) {
                    if (e.has_applied() || e.has_rejected())
                        onOutcome(e, now);
                    else if (e.has_queued())
                        onQueued(e.queued(), now);
                    else if (i == feedIndex && e.has_event())
                        onEvent(e.event());
                    else if (i == feedIndex && e.has_event_batch()) {
                        for (const v1::Event &event : e.event_batch().events())
                            onEvent(event);
                    }
                } else if (e.has_event()) {
                    m_received.emplace_back(e.event().sequence(), now);
                }
            }
        }
    }
    close(watch);
    const double seconds = std::chrono::duration<double>(std::min(Clock::now(), end) - start).count();
    JourneyResult r;
    r.unanswered = long(m_sentAt.size());
    if (m_measuring) {
        for (const auto &[id, sent] : m_sentAt)
            m_applyMs.push_back(msSince(sent, now)); // still waiting: at least this long
    }
    r.helloFailures = m_helloFailures;
    r.appliedPerSecond = double(m_applied) / seconds;
    r.applyP50Ms = percentile(m_applyMs, 0.50);
    r.applyP95Ms = percentile(m_applyMs, 0.95);
    r.applyP99Ms = percentile(m_applyMs, 0.99);
    r.queuedP50Ms = percentile(m_queuedMs, 0.50);
    r.queuedP99Ms = percentile(m_queuedMs, 0.99);
    std::vector<double> fanout;
    for (const auto &[sequence, at] : m_received) {
        auto applied = m_appliedAt.find(sequence);
        if (applied != m_appliedAt.end())
            fanout.push_back(std::max(0.0, msSince(applied->second, at)));
    }
    r.fanoutP50Ms = percentile(fanout, 0.50);
    r.fanoutP99Ms = percentile(fanout, 0.99);
    r.applied = m_applied;
    r.rejected = m_rejected;
    r.journeys = m_journeysDone;
    r.stalled =
        long(std::count_if(m_journeys.begin(), m_journeys.end(), [](const Journey &j) { return j.step != Done; }));
    return r;
}

} // namespace

JourneyResult runJourneys(const JourneyOptions &options)
{
    Driver driver(options);
    const JourneyResult r = driver.run();
    const QString l = options.label;
    printFigure({l + u": applied commands/s"_s, r.appliedPerSecond, u"cmd/s"_s});
    printFigure({l + u": submit -> Applied p50"_s, r.applyP50Ms, u"ms"_s});
    printFigure({l + u": submit -> Applied p95"_s, r.applyP95Ms, u"ms"_s});
    printFigure({l + u": submit -> Applied p99"_s, r.applyP99Ms, u"ms"_s});
    printFigure({l + u": submit -> Queued p50"_s, r.queuedP50Ms, u"ms"_s});
    printFigure({l + u": submit -> Queued p99"_s, r.queuedP99Ms, u"ms"_s});
    if (options.subscribers > 0) {
        printFigure({l + u": fan-out to %1 subscribers p50"_s.arg(options.subscribers), r.fanoutP50Ms, u"ms"_s});
        printFigure({l + u": fan-out to %1 subscribers p99"_s.arg(options.subscribers), r.fanoutP99Ms, u"ms"_s});
    }
    std::printf("  %s: %ld commands applied, %ld rejected, %ld journeys completed, %ld in progress at the end\n",
                qPrintable(l), r.applied, r.rejected, r.journeys, r.stalled);
    if (options.drainSeconds > 0 || r.helloFailures > 0)
        std::printf("  %s: %ld commands unanswered after %.0f s, %ld stations without a Welcome\n", qPrintable(l),
                    r.unanswered, options.drainSeconds, r.helloFailures);
    return r;
}

} // namespace clinicflow::bench
