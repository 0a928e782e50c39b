// The station's options (see StationOptions.h).
#include "StationOptions.h"

#include "domain/Ids.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

bool StationOptions::isEndpoint(const QString &text)
{
    static const QRegularExpression pattern(uR"(^tcp://[A-Za-z0-9.\-\[\]:]+:\d{1,5}$)"_s);
    return pattern.match(text).hasMatch();
}

bool StationOptions::isComplete() const
{
    return isValidStationCode(station) && isEndpoint(server) && (role != Role::Doctor || !doctor.isEmpty()) &&
           !enrolment.isEmpty() && QFileInfo::exists(enrolment);
}

bool StationOptions::importEnrolment(const security::Enrolment &e, QString *error)
{
    station = e.station;
    role = e.role;
    doctor = e.doctor;
    server = e.requestEndpoint();
    pub = e.publishEndpoint();
    // Beside the store: the folder the station's data lives in, made the user's alone.
    const QString folder = QFileInfo(storePath()).absolutePath();
    QDir().mkpath(folder);
    QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString kept = QDir(folder).filePath(u"enrolment-%1.json"_s.arg(station));
    if (auto saved = e.save(kept); !saved) {
        if (error)
            *error = saved.error().detail;
        return false;
    }
    enrolment = kept;
    return true;
}

Result<security::Enrolment> StationOptions::loadEnrolment() const
{
    if (enrolment.isEmpty())
        return makeError(ErrorCode::UnknownStation,
                         QCoreApplication::translate("StationOptions", "this workstation has no enrolment yet: "
                                                                       "import the file the clinic's IT staff made "
                                                                       "for it (clinicflow --enrolment FILE)"));
    return security::Enrolment::load(enrolment);
}

QString StationOptions::publishEndpoint() const
{
    return pub.isEmpty() ? WorkstationSettings::defaultPublishEndpoint(server) : pub;
}

QString StationOptions::storePath() const
{
    if (dataDir.isEmpty())
        return LocalStore::defaultPath(station);
    return QDir(dataDir).filePath(u"station-%1.sqlite"_s.arg(station));
}

void StationOptions::addTo(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"role"_s,
         QCoreApplication::translate("StationOptions", "The station's role: receptionist, doctor, examiner "
                                                       "or board."),
         u"role"_s},
        {u"station"_s,
         QCoreApplication::translate("StationOptions", "The station code, e.g. A (1 to 4 letters or "
                                                       "digits, starting with a letter)."),
         u"code"_s},
        {u"server"_s, QCoreApplication::translate("StationOptions", "The server's requests, e.g. tcp://host:7470."),
         u"endpoint"_s},
        {u"pub"_s,
         QCoreApplication::translate("StationOptions", "The server's status, e.g. tcp://host:7471 (default: "
                                                       "the server's host, next port)."),
         u"endpoint"_s},
        {u"data"_s, QCoreApplication::translate("StationOptions", "The folder for the station's local store."),
         u"dir"_s},
        {u"lang"_s, QCoreApplication::translate("StationOptions", "The language: ko or en (default: the system's)."),
         u"lang"_s},
        {u"doctor"_s,
         QCoreApplication::translate("StationOptions", "A doctor's station: the doctor's roster id, e.g. "
                                                       "dr.kim."),
         u"id"_s},
        {u"exam-types"_s,
         QCoreApplication::translate("StationOptions", "An examiner's station: the examinations it "
                                                       "does, e.g. XRAY,CT (default: all)."),
         u"codes"_s},
        {u"enrolment"_s,
         QCoreApplication::translate("StationOptions", "The station's enrolment file, from clinicflow-server "
                                                       "enrol: it says the station, its role and its server, and "
                                                       "holds its key. The app keeps a copy."),
         u"file"_s},
        {u"setup"_s, QCoreApplication::translate("StationOptions", "Show the setup dialog first.")},
    });
}

std::optional<StationOptions> StationOptions::fromParser(const QCommandLineParser &parser, StationOptions options,
                                                         QString *error)
{
    const auto fail = [error](const QString &text) {
        if (error)
            *error = text;
        return std::optional<StationOptions>();
    };
    if (parser.isSet(u"role"_s)) {
        const auto role = fromString<Role>(parser.value(u"role"_s));
        if (!role)
            return fail(QCoreApplication::translate("StationOptions", "--role: %1 is not receptionist, doctor, "
                                                                      "examiner or board")
                            .arg(parser.value(u"role"_s)));
        options.role = *role;
    }
    if (parser.isSet(u"station"_s)) {
        options.station = parser.value(u"station"_s).trimmed().toUpper();
        if (!isValidStationCode(options.station))
            return fail(QCoreApplication::translate("StationOptions", "--station: %1 is not a station code (1 to 4 "
                                                                      "letters or digits, starting with a letter)")
                            .arg(options.station));
    }
    for (const QString &name : {u"server"_s, u"pub"_s}) {
        if (!parser.isSet(name))
            continue;
        const QString value = parser.value(name).trimmed();
        if (!isEndpoint(value))
            return fail(QCoreApplication::translate("StationOptions", "--%1: %2 is not an address like "
                                                                      "tcp://host:7470")
                            .arg(name, value));
        (name == u"server"_s ? options.server : options.pub) = value;
    }
    if (parser.isSet(u"data"_s))
        options.dataDir = parser.value(u"data"_s);
    if (parser.isSet(u"enrolment"_s)) {
        auto enrolment = security::Enrolment::load(parser.value(u"enrolment"_s));
        if (!enrolment)
            return fail(QCoreApplication::translate("StationOptions", "--enrolment: %1").arg(enrolment.error().detail));
        if (parser.isSet(u"station"_s) && options.station != enrolment->station)
            return fail(QCoreApplication::translate("StationOptions", "--station %1: the enrolment is station %2's")
                            .arg(options.station, enrolment->station));
        if (parser.isSet(u"role"_s) && options.role != enrolment->role)
            return fail(QCoreApplication::translate("StationOptions", "--role %1: the enrolment is a %2 station's")
                            .arg(toString(options.role), toString(enrolment->role)));
        const QString server = options.server;
        QString importError;
        if (!options.importEnrolment(enrolment.value(), &importError))
            return fail(QCoreApplication::translate("StationOptions", "--enrolment: %1").arg(importError));
        // An address given with it wins: the server may be reached under another name from here.
        if (parser.isSet(u"server"_s))
            options.server = server;
    }
    if (parser.isSet(u"lang"_s))
        options.language = parser.value(u"lang"_s);
    if (parser.isSet(u"doctor"_s))
        options.doctor = parser.value(u"doctor"_s).trimmed();
    if (parser.isSet(u"exam-types"_s)) {
        options.examTypes.clear();
        for (const QString &code : parser.value(u"exam-types"_s).split(u',', Qt::SkipEmptyParts))
            options.examTypes.insert(code.trimmed().toUpper());
    }
    return options;
}

StationOptions StationOptions::load()
{
    QSettings settings;
    StationOptions o;
    o.role = fromString<Role>(settings.value(u"station/role"_s).toString()).value_or(Role::Receptionist);
    o.station = settings.value(u"station/code"_s).toString();
    o.server = settings.value(u"station/server"_s).toString();
    o.pub = settings.value(u"station/pub"_s).toString();
    o.dataDir = settings.value(u"station/data"_s).toString();
    o.language = settings.value(u"ui/language"_s).toString();
    o.doctor = settings.value(u"station/doctor"_s).toString();
    o.enrolment = settings.value(u"station/enrolment"_s).toString();
    const QStringList types = settings.value(u"station/examTypes"_s).toStringList();
    o.examTypes = QSet<QString>(types.cbegin(), types.cend());
    return o;
}

void StationOptions::save() const
{
    QSettings settings;
    settings.setValue(u"station/role"_s, toString(role));
    settings.setValue(u"station/code"_s, station);
    settings.setValue(u"station/server"_s, server);
    settings.setValue(u"station/pub"_s, pub);
    settings.setValue(u"station/data"_s, dataDir);
    settings.setValue(u"ui/language"_s, language);
    settings.setValue(u"station/doctor"_s, doctor);
    settings.setValue(u"station/enrolment"_s, enrolment);
    settings.setValue(u"station/examTypes"_s, QStringList(examTypes.cbegin(), examTypes.cend()));
}

} // namespace clinicflow::client
