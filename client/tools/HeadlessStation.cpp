// Headless stations for the tools (see HeadlessStation.h).
#include "HeadlessStation.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

domain::Result<std::unique_ptr<Workstation>> HeadlessStations::open(const QString &code, domain::Role role) const
{
    QDir().mkpath(dataDir);
    WorkstationSettings settings;
    settings.storePath = QDir(dataDir).filePath(u"station-%1.sqlite"_s.arg(code));
    settings.station = code;
    settings.role = role;
    settings.requestEndpoint = server;
    settings.publishEndpoint = pub.isEmpty() ? WorkstationSettings::defaultPublishEndpoint(server) : pub;
    return Workstation::open(settings);
}

} // namespace clinicflow::client
