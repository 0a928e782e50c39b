// Headless stations for the tools (see HeadlessStation.h).
#include "HeadlessStation.h"

#include "security/Enrolment.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

QString HeadlessStations::enrolmentPath(const QString &code) const
{
    return QDir(enrolmentDir.isEmpty() ? dataDir : enrolmentDir).filePath(u"%1.enrolment.json"_s.arg(code));
}

domain::Result<std::unique_ptr<Workstation>> HeadlessStations::open(const QString &code, domain::Role role) const
{
    QDir().mkpath(dataDir);
    const QString path = enrolmentPath(code);
    auto enrolment = security::Enrolment::load(path);
    if (!enrolment)
        return domain::makeError(enrolment.error().code,
                                 u"%1 (enrol it: clinicflow-server enrol --station %2 --role %3 --out %4)"_s.arg(
                                     enrolment.error().detail, code, domain::toString(role), path));
    WorkstationSettings settings;
    settings.keys = enrolment->keys;
    settings.storePath = QDir(dataDir).filePath(u"station-%1.sqlite"_s.arg(code));
    settings.station = code;
    settings.role = role;
    settings.requestEndpoint = server;
    settings.publishEndpoint = pub.isEmpty() ? WorkstationSettings::defaultPublishEndpoint(server) : pub;
    return Workstation::open(settings);
}

} // namespace clinicflow::client
