// The enrolment file `clinicflow-server enrol` writes for one station, and the app imports at set-up: who the
// station is (code, role, name, and a doctor's id for a doctor's room), where its server is and the server's public
// key, and the station's own key pair. Its secret key makes the file a credential: it is written, and kept by the
// app, readable by its owner only.
//
// The file is JSON, for instance:
//   {"format": "clinicflow-enrolment", "version": 1, "station": "A", "role": "receptionist", "name": "Front desk 1",
//    "server": {"address": "10.0.0.5", "port": 7470, "pub_port": 7471, "public_key": "<Z85>"},
//    "keys": {"public": "<Z85>", "secret": "<Z85>"}}
#pragma once

#include "Curve.h"
#include "domain/Result.h"
#include "domain/Types.h"

#include <QString>

namespace clinicflow::security {

struct Enrolment
{
    QString station; // station code, e.g. "A"
    domain::Role role = domain::Role::Board;
    QString name;   // what the operators call it, e.g. "Front desk 1"
    QString doctor; // a doctor's room: the doctor it acts for; empty otherwise
    QString serverAddress;
    quint16 port = 7470;
    quint16 pubPort = 7471;
    ClientKeys keys;

    QString requestEndpoint() const; // tcp://address:port
    QString publishEndpoint() const; // tcp://address:pub_port

    QByteArray toJson() const;
    // Every field checked: a file that is not a whole, valid enrolment is refused with what is wrong.
    static domain::Result<Enrolment> fromJson(const QByteArray &json);

    // Writes the file readable and writable by its owner only (0600), atomically.
    domain::Result<bool> save(const QString &path) const;
    static domain::Result<Enrolment> load(const QString &path);
};

} // namespace clinicflow::security
