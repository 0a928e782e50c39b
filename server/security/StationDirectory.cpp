#include "StationDirectory.h"

#include "domain/Ids.h"
#include "security/Curve.h"
#include "storage/Database.h"

#include <QDateTime>
#include <QSqlQuery>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

namespace {

constexpr qsizetype kMaxNameLength = 80;

Result<EnrolledStation> fromRow(const QSqlQuery &q)
{
    EnrolledStation s;
    s.code = q.value(0).toString();
    const auto role = fromString<Role>(q.value(1).toString());
    if (!role)
        return makeError(ErrorCode::InternalError, u"station %1 has an unknown role in the database"_s.arg(s.code));
    s.role = *role;
    s.name = q.value(2).toString();
    s.doctor = q.value(3).toString();
    s.publicKey = q.value(4).toString().toLatin1();
    s.enrolledAtMs = q.value(5).toLongLong();
    s.revokedAtMs = q.value(6).isNull() ? 0 : q.value(6).toLongLong();
    return s;
}

constexpr auto kStationColumns = "code, role, name, doctor, public_key, enrolled_at_ms, revoked_at_ms";

} // namespace

Result<bool> StationDirectory::enrol(const EnrolledStation &station)
{
    if (!isValidStationCode(station.code))
        return makeError(ErrorCode::UnknownStation, u"'%1' is not a station code"_s.arg(station.code.left(8)));
    if (station.name.trimmed().isEmpty() || station.name.size() > kMaxNameLength)
        return makeError(
            ErrorCode::FieldTooLong,
            u"a station's name is 1 to %1 characters (it names the station in the audit)"_s.arg(kMaxNameLength));
    if (station.role == Role::Doctor && station.doctor.trimmed().isEmpty())
        return makeError(ErrorCode::UnknownDoctor, u"a doctor's room is enrolled for a doctor (--doctor)"_s);
    if (station.role != Role::Doctor && !station.doctor.isEmpty())
        return makeError(ErrorCode::RoleNotAllowed, u"only a doctor's room acts for a doctor"_s);
    if (!security::isZ85Key(station.publicKey))
        return makeError(ErrorCode::UnknownStation, u"the station's public key is not a CURVE key"_s);

    WriteTransaction tx(m_db);
    if (!tx.isActive())
        return tx.beginError();
    QSqlQuery existing(m_db.connection());
    existing.prepare(u"SELECT code, revoked_at_ms FROM stations WHERE code = ? OR public_key = ?"_s);
    existing.addBindValue(station.code);
    existing.addBindValue(QString::fromLatin1(station.publicKey));
    if (!existing.exec())
        return sqlError(existing, "looking up the station");
    if (existing.next()) {
        if (existing.value(0).toString() != station.code)
            return makeError(ErrorCode::UnknownStation,
                             u"this key is already station %1's"_s.arg(existing.value(0).toString()));
        return makeError(
            ErrorCode::UnknownStation,
            existing.value(1).isNull()
                ? u"station %1 is enrolled already (revoke it first to give its place a new code)"_s.arg(station.code)
                : u"station %1 was revoked; its code stays with the tickets it issued, so choose "
                  "another"_s.arg(station.code));
    }
    QSqlQuery insert(m_db.connection());
    insert.prepare(
        u"INSERT INTO stations (%1) VALUES (?, ?, ?, ?, ?, ?, NULL)"_s.arg(QLatin1StringView(kStationColumns)));
    bindAll(insert, {station.code, toString(station.role), station.name.trimmed(), station.doctor.trimmed(),
                     QString::fromLatin1(station.publicKey),
                     station.enrolledAtMs ? station.enrolledAtMs : QDateTime::currentMSecsSinceEpoch()});
    if (!insert.exec())
        return sqlError(insert, "enrolling the station");
    return tx.commit();
}

Result<EnrolledStation> StationDirectory::revoke(const QString &code)
{
    WriteTransaction tx(m_db);
    if (!tx.isActive())
        return tx.beginError();
    QSqlQuery update(m_db.connection());
    update.prepare(u"UPDATE stations SET revoked_at_ms = ? WHERE code = ? AND revoked_at_ms IS NULL"_s);
    update.addBindValue(QDateTime::currentMSecsSinceEpoch());
    update.addBindValue(code);
    if (!update.exec())
        return sqlError(update, "revoking the station");
    QSqlQuery q(m_db.connection());
    q.prepare(u"SELECT %1 FROM stations WHERE code = ?"_s.arg(QLatin1StringView(kStationColumns)));
    q.addBindValue(code);
    if (!q.exec())
        return sqlError(q, "reading the station");
    if (!q.next())
        return makeError(ErrorCode::UnknownStation, u"no station %1 is enrolled"_s.arg(code.left(8)));
    auto station = fromRow(q);
    if (!station)
        return station;
    if (auto done = tx.commit(); !done)
        return done.error();
    return station;
}

Result<QList<EnrolledStation>> StationDirectory::all() const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT %1 FROM stations ORDER BY code"_s.arg(QLatin1StringView(kStationColumns))))
        return sqlError(q, "reading the enrolled stations");
    QList<EnrolledStation> stations;
    while (q.next()) {
        auto station = fromRow(q);
        if (!station)
            return station.error();
        stations.append(std::move(station).value());
    }
    return stations;
}

} // namespace clinicflow::server
