// A workstation without a window, for the command-line tools: its store in a folder of the tool's, its server given
// by the requests' endpoint (the status one next to it unless given), its keys from the enrolment file
// `clinicflow-server enrol --out <enrolmentDir>/<code>.enrolment.json` wrote.
#pragma once

#include "station/Workstation.h"

namespace clinicflow::client {

struct HeadlessStations
{
    QString server;       // "tcp://host:7470"
    QString pub;          // empty: the server's next port
    QString dataDir;      // station-<code>.sqlite files go here
    QString enrolmentDir; // <code>.enrolment.json files come from here; dataDir when empty

    QString enrolmentPath(const QString &code) const;

    domain::Result<std::unique_ptr<Workstation>> open(const QString &code, domain::Role role) const;
};

} // namespace clinicflow::client
