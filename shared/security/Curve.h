// ZeroMQ CURVE for ClinicFlow's sockets: key pairs in Z85 text (40 characters, as libzmq and the enrolment file
// spell them), and the options that make a socket a CURVE server (the gateway's ROUTER and PUB, checked by its ZAP
// handler) or a CURVE client (a station's DEALER and SUB).
#pragma once

#include <QByteArray>
#include <QString>

namespace zmq {
class socket_t;
}

namespace clinicflow::security {

// The ZAP domain of the gateway's sockets. libzmq only asks a ZAP handler about sockets with a domain, and
// ZMQ_ZAP_ENFORCE_DOMAIN makes it refuse every peer when no handler answers, instead of admitting every key.
inline constexpr char kZapDomain[] = "clinicflow";

struct KeyPair
{
    QByteArray publicKey; // Z85, 40 characters
    QByteArray secretKey; // Z85, 40 characters

    bool isValid() const;
    static KeyPair generate();
    // The public half of a secret key; empty when the secret is not a key.
    static QByteArray publicKeyOf(const QByteArray &secretKey);
};

// Whether `key` is a Z85-encoded 32-byte key.
bool isZ85Key(const QByteArray &key);
// A key as ZAP hands it over (32 raw bytes) in Z85; empty when it is not 32 bytes.
QByteArray z85FromBinary(const void *data, std::size_t size);

// What a station's sockets need: the server's public key and the station's own pair.
struct ClientKeys
{
    QByteArray serverPublicKey;
    KeyPair station;
    bool isValid() const { return isZ85Key(serverPublicKey) && station.isValid(); }
};

// The gateway's side: CURVE server with the server's secret key, in kZapDomain, with the domain enforced.
void makeCurveServer(zmq::socket_t &socket, const KeyPair &server);
// A station's side: CURVE client of the server whose public key is given.
void makeCurveClient(zmq::socket_t &socket, const ClientKeys &keys);

} // namespace clinicflow::security
