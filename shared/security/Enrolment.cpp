#include "Enrolment.h"

#include "domain/Ids.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::security {

namespace {

constexpr auto kFormat = "clinicflow-enrolment";
constexpr int kVersion = 1;

Error invalid(const QString &what)
{
    return makeError(ErrorCode::UnknownStation, u"not a ClinicFlow enrolment: %1"_s.arg(what));
}

std::optional<quint16> portFrom(const QJsonValue &value)
{
    const int p = value.toInt(0);
    return value.isDouble() && p > 0 && p < 65536 ? std::optional<quint16>(quint16(p)) : std::nullopt;
}

} // namespace

QString Enrolment::requestEndpoint() const
{
    return u"tcp://%1:%2"_s.arg(serverAddress).arg(port);
}

QString Enrolment::publishEndpoint() const
{
    return u"tcp://%1:%2"_s.arg(serverAddress).arg(pubPort);
}

QByteArray Enrolment::toJson() const
{
    QJsonObject server{{u"address"_s, serverAddress},
                       {u"port"_s, port},
                       {u"pub_port"_s, pubPort},
                       {u"public_key"_s, QString::fromLatin1(keys.serverPublicKey)}};
    QJsonObject stationKeys{{u"public"_s, QString::fromLatin1(keys.station.publicKey)},
                            {u"secret"_s, QString::fromLatin1(keys.station.secretKey)}};
    QJsonObject root{{u"format"_s, QString::fromLatin1(kFormat)},
                     {u"version"_s, kVersion},
                     {u"station"_s, station},
                     {u"role"_s, toString(role)},
                     {u"name"_s, name},
                     {u"server"_s, server},
                     {u"keys"_s, stationKeys}};
    if (!doctor.isEmpty())
        root.insert(u"doctor"_s, doctor);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<Enrolment> Enrolment::fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return invalid(u"not JSON (%1)"_s.arg(error.errorString()));
    const QJsonObject root = document.object();
    if (root.value(u"format"_s).toString() != QLatin1StringView(kFormat))
        return invalid(u"no \"format\": \"%1\""_s.arg(QLatin1StringView(kFormat)));
    if (root.value(u"version"_s).toInt() != kVersion)
        return invalid(u"version %1, this build reads %2"_s.arg(root.value(u"version"_s).toInt()).arg(kVersion));

    Enrolment e;
    e.station = root.value(u"station"_s).toString();
    if (!isValidStationCode(e.station))
        return invalid(u"'%1' is not a station code"_s.arg(e.station.left(8)));
    const auto role = fromString<Role>(root.value(u"role"_s).toString());
    if (!role)
        return invalid(u"'%1' is not a role"_s.arg(root.value(u"role"_s).toString().left(16)));
    e.role = *role;
    e.name = root.value(u"name"_s).toString();
    e.doctor = root.value(u"doctor"_s).toString();

    const QJsonObject server = root.value(u"server"_s).toObject();
    e.serverAddress = server.value(u"address"_s).toString();
    if (e.serverAddress.isEmpty())
        return invalid(u"no server address"_s);
    const auto requestPort = portFrom(server.value(u"port"_s));
    const auto publishPort = portFrom(server.value(u"pub_port"_s));
    if (!requestPort || !publishPort)
        return invalid(u"the server's ports are not ports"_s);
    e.port = *requestPort;
    e.pubPort = *publishPort;
    e.keys.serverPublicKey = server.value(u"public_key"_s).toString().toLatin1();
    if (!isZ85Key(e.keys.serverPublicKey))
        return invalid(u"the server's public key is not a CURVE key"_s);

    const QJsonObject keys = root.value(u"keys"_s).toObject();
    e.keys.station.publicKey = keys.value(u"public"_s).toString().toLatin1();
    e.keys.station.secretKey = keys.value(u"secret"_s).toString().toLatin1();
    if (!e.keys.station.isValid())
        return invalid(u"the station's keys are not a CURVE key pair"_s);
    return e;
}

Result<bool> Enrolment::save(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::InternalError, u"cannot write %1: %2"_s.arg(path, file.errorString()));
    // Before the first byte of the secret is written: QSaveFile's temporary file gets the permissions it keeps.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(toJson());
    if (!file.commit())
        return makeError(ErrorCode::InternalError, u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return true;
}

Result<Enrolment> Enrolment::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::UnknownStation, u"cannot read %1: %2"_s.arg(path, file.errorString()));
    // An enrolment is a few hundred bytes; anything much larger is not one.
    const QByteArray json = file.read(64 * 1024);
    auto enrolment = fromJson(json);
    if (!enrolment)
        return makeError(enrolment.error().code, u"%1: %2"_s.arg(path, enrolment.error().detail));
    return enrolment;
}

} // namespace clinicflow::security
