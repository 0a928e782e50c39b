#include "AdminCommands.h"

#include "AdminCommandsBackup.h"
#include "AuditTrail.h"
#include "Server.h"
#include "ServerKeys.h"
#include "StationDirectory.h"
#include "common/Config.h"
#include "domain/Ids.h"
#include "http/HttpReplies.h"
#include "security/Enrolment.h"
#include "storage/Database.h"
#include "storage/Schema.h"

#include <QDateTime>
#include <QDir>
#include <QHostAddress>
#include <QHostInfo>
#include <QTextStream>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

common::Option extra(const QString &name, const QString &help, const QString &valueName,
                     const QString &defaultValue = {})
{
    common::Option option;
    option.name = name;
    option.help = help;
    option.valueName = valueName;
    option.defaultValue = defaultValue;
    return option;
}

// Where the data and database are, and the ports an enrolment names: the server's own options.
void addServerOptions(common::OptionSet &set)
{
    const common::OptionSet server = common::serverOptions();
    for (const auto &option : server.options())
        set.add(option);
}

common::OptionSet optionsFor(const QString &command)
{
    common::OptionSet set = common::serverOptions();
    if (command == u"enrol"_s) {
        set = common::OptionSet(u"clinicflow-server enrol"_s, common::clinicflowVersion(),
                                u"Enrols a station: makes its key pair and writes the enrolment file its app imports "
                                "(clinicflow --enrolment FILE). The file holds the station's secret key: hand it over "
                                "like a door key."_s);
        addServerOptions(set);
        set.add(extra(u"station"_s,
                      u"The station's code, unique for good (it starts every ticket the station "
                      "issues), e.g. A, D1."_s,
                      u"code"_s));
        common::Option role = extra(u"role"_s, u"The station's role."_s, u"role"_s);
        role.kind = common::OptionKind::Enum;
        role.allowed = QStringList{u"receptionist"_s, u"doctor"_s, u"examiner"_s, u"board"_s};
        role.defaultValue = u"board"_s;
        set.add(role);
        set.add(extra(u"name"_s, u"What the operators call it, e.g. \"Front desk 1\"."_s, u"text"_s));
        set.add(
            extra(u"doctor"_s, u"A doctor's room: the doctor it acts for (the roster's id, e.g. dr.kim)."_s, u"id"_s));
        set.add(extra(u"out"_s, u"Where to write the enrolment file; <station>.enrolment.json when not given."_s,
                      u"file"_s));
        set.add(extra(u"public-key"_s,
                      u"Enrols a key pair the station made itself, or kept from before (a database restored from "
                      "an older backup): only its public key is given, and no file is written."_s,
                      u"z85"_s));
        set.add(extra(u"address"_s,
                      u"The server's address as the station reaches it; --bind, or this host's name when --bind "
                      "is every interface."_s,
                      u"host"_s));
    } else if (command == u"revoke"_s) {
        set = common::OptionSet(u"clinicflow-server revoke"_s, common::clinicflowVersion(),
                                u"Revokes a station's key: a running server ends its session within a second and "
                                "refuses it from then on."_s);
        addServerOptions(set);
        set.add(extra(u"station"_s, u"The station's code."_s, u"code"_s));
    } else if (command == u"audit"_s) {
        set = common::OptionSet(u"clinicflow-server audit"_s, common::clinicflowVersion(),
                                u"Prints the audit trail: who did or read what, on which visit, when, with what "
                                "result; oldest first."_s);
        addServerOptions(set);
        set.add(extra(u"visit"_s, u"Only this visit (its id, a UUID)."_s, u"uuid"_s));
        set.add(extra(u"station"_s, u"Only this station (its code, or http for the HTTP API)."_s, u"code"_s));
        set.add(
            extra(u"from"_s, u"From this time on (2026-11-30T09:00:00Z, or a date: 2026-11-30; UTC)."_s, u"time"_s));
        set.add(extra(u"to"_s, u"Before this time (same forms as --from)."_s, u"time"_s));
        set.add(extra(u"limit"_s, u"At most this many entries."_s, u"n"_s, u"1000"_s));
    } else if (command == u"backup"_s || command == u"restore"_s) {
        set = admin::backupOptionSet(command);
        addServerOptions(set);
        admin::addBackupOptions(command, set);
    } else {
        set = common::OptionSet(u"clinicflow-server stations"_s, common::clinicflowVersion(),
                                u"Lists the enrolled stations, revoked ones included."_s);
        addServerOptions(set);
    }
    return set;
}

QString isoTime(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(u"yyyy-MM-ddTHH:mm:ssZ"_s) : u"-"_s;
}

int refuse(const QString &what)
{
    err() << "clinicflow-server: " << what << Qt::endl;
    return 1;
}

QString defaultAddress(const common::ServerConfig &config)
{
    const QHostAddress bind(config.bind);
    if (bind != QHostAddress::AnyIPv4 && bind != QHostAddress::AnyIPv6 && bind != QHostAddress::Any)
        return config.bind;
    return QHostInfo::localHostName();
}

int enrol(const common::ConfigValues &values, const common::ServerConfig &config, Database &db)
{
    const QString code = values.text(u"station"_s);
    if (code.isEmpty())
        return refuse(u"enrol: --station is required"_s);
    if (!isValidStationCode(code))
        return refuse(
            u"enrol: '%1' is not a station code (a capital letter, then up to 3 capitals or digits, e.g. A, D1)"_s.arg(
                code));
    const QString doctor = values.text(u"doctor"_s).trimmed();
    if (!doctor.isEmpty()) {
        auto roster = loadRoster(config);
        if (!roster)
            return refuse(roster.error().message());
        if (!roster->doctor(doctor))
            return refuse(u"enrol: %1 is not a doctor of the roster%2"_s.arg(
                doctor, config.rosterPath.isEmpty() ? QString() : u" (%1)"_s.arg(config.rosterPath)));
    }
    auto serverKeys = loadOrCreateServerKeys(config.keysDir);
    if (!serverKeys)
        return refuse(serverKeys.error().message());

    security::Enrolment enrolment;
    enrolment.station = code;
    enrolment.role = fromString<Role>(values.text(u"role"_s)).value_or(Role::Board);
    enrolment.name = values.text(u"name"_s).trimmed().isEmpty() ? code : values.text(u"name"_s).trimmed();
    enrolment.doctor = doctor;
    enrolment.serverAddress = values.text(u"address"_s).isEmpty() ? defaultAddress(config) : values.text(u"address"_s);
    enrolment.port = config.port;
    enrolment.pubPort = config.pubPort;
    enrolment.keys.serverPublicKey = serverKeys->publicKey;
    enrolment.keys.station = security::KeyPair::generate();

    const QByteArray ownKey = values.text(u"public-key"_s).toLatin1();
    if (!ownKey.isEmpty()) {
        if (!security::isZ85Key(ownKey))
            return refuse(u"enrol: --public-key is not a CURVE public key (40 characters of Z85)"_s);
        EnrolledStation station{code, enrolment.role, enrolment.name, enrolment.doctor, ownKey, 0, 0};
        if (auto enrolled = StationDirectory(db).enrol(station); !enrolled)
            return refuse(u"enrol: %1"_s.arg(enrolled.error().message()));
        out() << "enrolled station " << code << " (" << toString(enrolment.role) << ") with its own key; the "
              << "server's public key is " << QString::fromLatin1(serverKeys->publicKey) << Qt::endl;
        return 0;
    }
    EnrolledStation station{
        enrolment.station, enrolment.role, enrolment.name, enrolment.doctor, enrolment.keys.station.publicKey, 0, 0};
    // The file first, then the row: a station that cannot be handed its file is not left enrolled.
    const QString path = values.text(u"out"_s).isEmpty() ? u"%1.enrolment.json"_s.arg(code) : values.text(u"out"_s);
    if (QFile::exists(path))
        return refuse(u"enrol: %1 exists already; give another --out"_s.arg(path));
    if (auto saved = enrolment.save(path); !saved)
        return refuse(saved.error().message());
    if (auto enrolled = StationDirectory(db).enrol(station); !enrolled) {
        QFile::remove(path);
        return refuse(u"enrol: %1"_s.arg(enrolled.error().message()));
    }
    out() << "enrolled station " << code << " (" << toString(enrolment.role) << ", \"" << enrolment.name << "\")"
          << (enrolment.doctor.isEmpty() ? QString() : u" for %1"_s.arg(enrolment.doctor)) << "\n"
          << "wrote " << QFileInfo(path).absoluteFilePath() << " (readable by you only): give it to the station, "
          << "whose app imports it with: clinicflow --enrolment " << QFileInfo(path).fileName() << Qt::endl;
    return 0;
}

int revoke(const common::ConfigValues &values, Database &db)
{
    const QString code = values.text(u"station"_s);
    if (code.isEmpty())
        return refuse(u"revoke: --station is required"_s);
    auto revoked = StationDirectory(db).revoke(code);
    if (!revoked)
        return refuse(u"revoke: %1"_s.arg(revoked.error().message()));
    out() << "station " << code << " revoked at " << isoTime(revoked->revokedAtMs)
          << "; a running server ends its session within a second" << Qt::endl;
    return 0;
}

int list(Database &db)
{
    auto stations = StationDirectory(db).all();
    if (!stations)
        return refuse(stations.error().message());
    out() << u"%1 %2 %3 %4 %5 %6 %7"_s.arg(u"STATION"_s, -8)
                 .arg(u"ROLE"_s, -13)
                 .arg(u"NAME"_s, -24)
                 .arg(u"DOCTOR"_s, -12)
                 .arg(u"ENROLLED"_s, -21)
                 .arg(u"REVOKED"_s, -21)
                 .arg(u"KEY"_s)
          << "\n";
    for (const EnrolledStation &s : stations.value()) {
        out() << u"%1 %2 %3 %4 %5 %6 %7"_s.arg(s.code, -8)
                     .arg(toString(s.role), -13)
                     .arg(s.name.left(24), -24)
                     .arg(s.doctor.isEmpty() ? u"-"_s : s.doctor, -12)
                     .arg(isoTime(s.enrolledAtMs), -21)
                     .arg(isoTime(s.revokedAtMs), -21)
                     .arg(QString::fromLatin1(s.publicKey.left(8)) + u"…"_s)
              << "\n";
    }
    out() << stations->size() << " station(s)" << Qt::endl;
    return 0;
}

int printAudit(const common::ConfigValues &values, Database &db)
{
    AuditQuery query;
    if (const QString visit = values.text(u"visit"_s); !visit.isEmpty()) {
        query.visit = QUuid::fromString(visit);
        if (query.visit.isNull())
            return refuse(u"audit: --visit '%1' is not a visit id (a UUID)"_s.arg(visit.left(64)));
    }
    query.station = values.text(u"station"_s);
    for (const auto &[name, bound] : {std::pair{u"from"_s, &query.fromMs}, std::pair{u"to"_s, &query.toMs}}) {
        const QString text = values.text(name);
        if (text.isEmpty())
            continue;
        *bound = http::parseTime(text);
        if (*bound < 0)
            return refuse(u"audit: --%1 '%2' is not a time (2026-11-30T09:00:00Z) or a date (2026-11-30)"_s.arg(
                name, text.left(64)));
    }
    bool ok = false;
    query.limit = values.text(u"limit"_s).toInt(&ok);
    if (!ok || query.limit < 1)
        return refuse(u"audit: --limit must be a positive number"_s);
    auto found = AuditTrail::find(db, query);
    if (!found)
        return refuse(found.error().message());
    out() << u"%1 %2 %3 %4 %5 %6 %7"_s.arg(u"TIME (UTC)"_s, -24)
                 .arg(u"STATION"_s, -8)
                 .arg(u"ACTION"_s, -20)
                 .arg(u"VISIT"_s, -36)
                 .arg(u"RESULT"_s, -9)
                 .arg(u"CODE"_s, -20)
                 .arg(u"DETAIL"_s)
          << "\n";
    for (const AuditRecord &r : found.value()) {
        const AuditEntry &e = r.entry;
        out() << u"%1 %2 %3 %4 %5 %6 %7"_s
                     .arg(QDateTime::fromMSecsSinceEpoch(e.atMs, QTimeZone::utc()).toString(Qt::ISODateWithMs), -24)
                     .arg(e.station, -8)
                     .arg(e.action, -20)
                     .arg(e.visitId.isNull() ? u"-"_s : idString(e.visitId), -36)
                     .arg(e.result, -9)
                     .arg(e.code.isEmpty() ? u"-"_s : e.code, -20)
                     .arg(e.detail.left(120))
              << "\n";
    }
    out() << found->size() << " entr" << (found->size() == 1 ? "y" : "ies") << Qt::endl;
    return 0;
}

} // namespace

QStringList adminCommands()
{
    return {u"enrol"_s, u"revoke"_s, u"stations"_s, u"audit"_s, u"backup"_s, u"restore"_s};
}

std::optional<int> runAdminCommand(const QStringList &arguments)
{
    if (arguments.size() < 2 || !adminCommands().contains(arguments.at(1)))
        return std::nullopt;
    const QString command = arguments.at(1);
    QStringList rest = arguments;
    rest.removeAt(1);
    const auto parsed = optionsFor(command).parse(rest, QProcessEnvironment::systemEnvironment());
    if (auto exitCode = common::exitCodeFor(parsed))
        return *exitCode;
    const auto config = common::ServerConfig::fromValues(parsed.values);
    // These two open the database their own way, and never migrate it: a backup is of the database as it is.
    if (command == u"backup"_s)
        return admin::backup(parsed.values, config);
    if (command == u"restore"_s)
        return admin::restore(parsed.values, config);
    if (config.usesSqlite() && !QDir().mkpath(config.dataDir))
        return refuse(u"cannot create the data folder %1"_s.arg(config.dataDir));
    auto db = Database::open(DatabaseSettings::fromConfig(config.dataDir, config.database, config.databasePasswordFile),
                             u"admin"_s);
    if (!db)
        return refuse(db.error().message());
    if (auto migrated = migrate(*db.value()); !migrated)
        return refuse(migrated.error().message());
    if (command == u"enrol"_s)
        return enrol(parsed.values, config, *db.value());
    if (command == u"revoke"_s)
        return revoke(parsed.values, *db.value());
    if (command == u"audit"_s)
        return printAudit(parsed.values, *db.value());
    return list(*db.value());
}

} // namespace clinicflow::server
