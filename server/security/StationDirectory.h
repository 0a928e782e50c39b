// The enrolled stations (schema version 6, table `stations`): a station is its CURVE public key, and its code,
// role, name and (for a doctor's room) doctor come from its enrolment, never from what its messages claim
// (ARCHITECTURE §7). `clinicflow-server enrol`, `revoke` and `stations` write and read it; the gateway's ZAP handler
// admits the keys it lists, and the gateway reloads it to notice a revocation at once.
#pragma once

#include "domain/Result.h"
#include "domain/Types.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>

namespace clinicflow::server {

class Database;

struct EnrolledStation
{
    QString code;
    domain::Role role = domain::Role::Board;
    QString name;
    QString doctor;       // a doctor's room: the doctor it acts for
    QByteArray publicKey; // Z85
    qint64 enrolledAtMs = 0;
    qint64 revokedAtMs = 0; // 0: not revoked

    bool isRevoked() const { return revokedAtMs != 0; }
    friend bool operator==(const EnrolledStation &, const EnrolledStation &) = default;
};

class StationDirectory
{
public:
    explicit StationDirectory(Database &db)
        : m_db(db)
    {
    }

    // Adds a station. Errors: a bad code, role or key, a doctor's room without a doctor, a code or key already
    // enrolled (revoked ones included: a code stays with the tickets it issued).
    domain::Result<bool> enrol(const EnrolledStation &station);
    // Marks the station revoked now; an error when it is unknown. Revoking twice keeps the first time.
    domain::Result<EnrolledStation> revoke(const QString &code);
    // Every station ever enrolled, by code.
    domain::Result<QList<EnrolledStation>> all() const;

private:
    Database &m_db;
};

} // namespace clinicflow::server
