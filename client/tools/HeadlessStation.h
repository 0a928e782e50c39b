// A workstation without a window, for the command-line tools: its store in a folder of the tool's, its server given
// by the requests' endpoint (the status one next to it unless given).
#pragma once

#include "station/Workstation.h"

namespace clinicflow::client {

struct HeadlessStations
{
    QString server;  // "tcp://host:7470"
    QString pub;     // empty: the server's next port
    QString dataDir; // station-<code>.sqlite files go here

    domain::Result<std::unique_ptr<Workstation>> open(const QString &code, domain::Role role) const;
};

} // namespace clinicflow::client
