#include "LossyProxy.h"

#include "clinicflow/v1/envelope.pb.h"
#include "proto/Redaction.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <zmq.hpp>
#include <zmq_addon.hpp>

namespace clinicflow::testsupport {

LossyProxy::LossyProxy(quint16 serverPort, quint16 serverPubPort, const security::ClientKeys &stationKeys,
                       Losses losses)
    : m_stationKeys(stationKeys)
    , m_losses(losses)
{
    m_thread = std::thread([this, serverPort, serverPubPort] { run(serverPort, serverPubPort); });
    // run() publishes the ports once bound.
    while (m_port == 0 || m_pubPort == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

LossyProxy::LossyProxy(quint16 serverPort, quint16 serverPubPort, const security::ClientKeys &stationKeys)
    : LossyProxy(serverPort, serverPubPort, stationKeys, Losses())
{
}

LossyProxy::~LossyProxy()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

LossyProxy::Counts LossyProxy::counts() const
{
    std::lock_guard lock(m_mutex);
    return m_counts;
}

namespace {

quint16 boundPort(zmq::socket_t &socket)
{
    const std::string endpoint = socket.get(zmq::sockopt::last_endpoint);
    return quint16(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
}

} // namespace

void LossyProxy::run(quint16 serverPort, quint16 serverPubPort)
{
    zmq::context_t context(1);
    zmq::socket_t front(context, zmq::socket_type::router);
    zmq::socket_t back(context, zmq::socket_type::dealer);
    zmq::socket_t pubIn(context, zmq::socket_type::sub);
    zmq::socket_t pubOut(context, zmq::socket_type::pub);
    for (zmq::socket_t *s : {&front, &back, &pubIn, &pubOut})
        s->set(zmq::sockopt::linger, 0);
    for (zmq::socket_t *s : {&front, &pubOut}) {
        s->set(zmq::sockopt::curve_server, 1);
        s->set(zmq::sockopt::curve_secretkey, m_keys.secretKey.toStdString());
    }
    for (zmq::socket_t *s : {&back, &pubIn})
        security::makeCurveClient(*s, m_stationKeys);
    front.bind("tcp://127.0.0.1:*");
    pubOut.bind("tcp://127.0.0.1:*");
    back.connect("tcp://127.0.0.1:" + std::to_string(serverPort));
    // The station's topics: the server grants the common one and the station's role's, whatever else is asked.
    pubIn.set(zmq::sockopt::subscribe, proto::kCommonTopic);
    for (domain::Role role :
         {domain::Role::Receptionist, domain::Role::Doctor, domain::Role::Examiner, domain::Role::Board})
        pubIn.set(zmq::sockopt::subscribe, proto::roleTopic(role));
    pubIn.connect("tcp://127.0.0.1:" + std::to_string(serverPubPort));
    m_port = boundPort(front);
    m_pubPort = boundPort(pubOut);

    zmq::message_t identity; // the one station this proxy serves
    std::mt19937 random(m_losses.seed);
    // One message lost in each run of `run`, at a place drawn when the run starts.
    const int run = m_losses.firstCopies || m_losses.publishedShare <= 0
                        ? 0
                        : std::max(1, int(std::lround(1.0 / m_losses.publishedShare)));
    int placeInRun = 0;
    int lostPlace = 0;
    const auto publishedLost = [&]() {
        if (run == 0)
            return false;
        if (placeInRun == 0)
            lostPlace = std::uniform_int_distribution<int>(0, run - 1)(random);
        const bool lost = placeInRun == lostPlace;
        placeInRun = (placeInRun + 1) % run;
        return lost;
    };
    while (!m_stop) {
        std::vector<zmq::pollitem_t> items{
            {front.handle(), 0, ZMQ_POLLIN, 0}, {back.handle(), 0, ZMQ_POLLIN, 0}, {pubIn.handle(), 0, ZMQ_POLLIN, 0}};
        zmq::poll(items, std::chrono::milliseconds(20));
        if (items[0].revents & ZMQ_POLLIN) {
            std::vector<zmq::message_t> frames;
            (void)zmq::recv_multipart(front, std::back_inserter(frames));
            if (frames.size() == 2) {
                identity.copy(frames[0]);
                v1::Envelope envelope;
                bool drop = false;
                if (envelope.ParseFromArray(frames[1].data(), int(frames[1].size())) && envelope.has_submit()) {
                    std::lock_guard lock(m_mutex);
                    ++m_counts.submits;
                    const QString id = QString::fromStdString(envelope.submit().command_id());
                    drop = m_losses.firstCopies && !m_submitted.contains(id);
                    m_submitted.insert(id);
                    m_counts.droppedSubmits += drop ? 1 : 0;
                }
                if (!drop)
                    back.send(frames[1], zmq::send_flags::dontwait);
            }
        }
        if (items[1].revents & ZMQ_POLLIN) {
            zmq::message_t reply;
            (void)back.recv(reply);
            v1::Envelope envelope;
            bool drop = false;
            if (m_losses.firstCopies && envelope.ParseFromArray(reply.data(), int(reply.size())) &&
                (envelope.has_applied() || envelope.has_rejected())) {
                const QString id = QString::fromStdString(envelope.has_applied() ? envelope.applied().command_id()
                                                                                 : envelope.rejected().command_id());
                std::lock_guard lock(m_mutex);
                drop = !m_answered.contains(id);
                m_answered.insert(id);
                m_counts.droppedOutcomes += drop ? 1 : 0;
            }
            if (!drop && identity.size() > 0) {
                zmq::message_t to;
                to.copy(identity);
                front.send(to, zmq::send_flags::sndmore | zmq::send_flags::dontwait);
                front.send(reply, zmq::send_flags::dontwait);
            }
        }
        if (items[2].revents & ZMQ_POLLIN) {
            // A topic frame and an envelope, relayed whole.
            std::vector<zmq::message_t> published;
            (void)zmq::recv_multipart(pubIn, std::back_inserter(published));
            v1::Envelope envelope;
            const bool outcome = m_losses.firstCopies && published.size() == 2 &&
                                 envelope.ParseFromArray(published[1].data(), int(published[1].size())) &&
                                 (envelope.has_applied() || envelope.has_rejected());
            const bool lost = outcome || publishedLost();
            {
                std::lock_guard lock(m_mutex);
                ++m_counts.published;
                m_counts.droppedPublished += lost ? 1 : 0;
            }
            if (lost)
                continue;
            (void)zmq::send_multipart(pubOut, published, zmq::send_flags::dontwait);
        }
    }
}

} // namespace clinicflow::testsupport
