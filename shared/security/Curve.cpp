#include "Curve.h"

#include <zmq.hpp>

namespace clinicflow::security {

namespace {
constexpr int kZ85KeyLength = 40;
constexpr int kBinaryKeyLength = 32;
// ZMQ_ZAP_ENFORCE_DOMAIN is declared only with libzmq's draft API, but every libzmq since 4.3.0 takes it.
constexpr int kZapEnforceDomain = 93;
} // namespace

bool isZ85Key(const QByteArray &key)
{
    if (key.size() != kZ85KeyLength)
        return false;
    std::uint8_t decoded[kBinaryKeyLength];
    return zmq_z85_decode(decoded, key.constData()) != nullptr;
}

QByteArray z85FromBinary(const void *data, std::size_t size)
{
    if (size != kBinaryKeyLength)
        return {};
    char text[kZ85KeyLength + 1] = {};
    if (!zmq_z85_encode(text, static_cast<const std::uint8_t *>(data), size))
        return {};
    return QByteArray(text, kZ85KeyLength);
}

bool KeyPair::isValid() const
{
    return isZ85Key(publicKey) && isZ85Key(secretKey) && publicKeyOf(secretKey) == publicKey;
}

KeyPair KeyPair::generate()
{
    char publicKey[kZ85KeyLength + 1] = {};
    char secretKey[kZ85KeyLength + 1] = {};
    if (zmq_curve_keypair(publicKey, secretKey) != 0)
        throw zmq::error_t(); // libzmq without CURVE: nothing in ClinicFlow can run without it
    return {QByteArray(publicKey, kZ85KeyLength), QByteArray(secretKey, kZ85KeyLength)};
}

QByteArray KeyPair::publicKeyOf(const QByteArray &secretKey)
{
    if (!isZ85Key(secretKey))
        return {};
    char publicKey[kZ85KeyLength + 1] = {};
    if (zmq_curve_public(publicKey, secretKey.constData()) != 0)
        return {};
    return QByteArray(publicKey, kZ85KeyLength);
}

void makeCurveServer(zmq::socket_t &socket, const KeyPair &server)
{
    socket.set(zmq::sockopt::curve_server, 1);
    socket.set(zmq::sockopt::curve_secretkey, server.secretKey.toStdString());
    socket.set(zmq::sockopt::zap_domain, kZapDomain);
    const int enforce = 1;
    if (zmq_setsockopt(socket.handle(), kZapEnforceDomain, &enforce, sizeof enforce) != 0)
        throw zmq::error_t();
}

void makeCurveClient(zmq::socket_t &socket, const ClientKeys &keys)
{
    socket.set(zmq::sockopt::curve_serverkey, keys.serverPublicKey.toStdString());
    socket.set(zmq::sockopt::curve_publickey, keys.station.publicKey.toStdString());
    socket.set(zmq::sockopt::curve_secretkey, keys.station.secretKey.toStdString());
}

} // namespace clinicflow::security
