// What the workstation-level integration tests share: a Workstation (store + sync engine) for a station against the
// real server, a wait for every station and the server to settle on the same log position, and the comparison of
// a station's replica with the server's status view, row by row.
#pragma once

#include "ServerProcess.h"
#include "TestStation.h"
#include "station/Workstation.h"

#include <QList>
#include <memory>

namespace clinicflow::testsupport {

// For QVERIFY2, which evaluates its message even when the check holds: the error's text, or nothing.
template<typename T>
QByteArray why(const domain::Result<T> &result)
{
    return result ? QByteArray() : result.error().message().toUtf8();
}

std::unique_ptr<client::Workstation> openWorkstation(const ServerProcess &server, const QString &storePath,
                                                     const QString &station, domain::Role role);

// Waits until nothing is pending at any station, the server's head stopped moving, its status view reached the
// head, and every station applied the log up to it. Empty on success, else what was still behind at the deadline.
QString waitConverged(TestStation &probe, const QList<client::Workstation *> &stations, int timeoutMs = 60000);

// Empty when the station's confirmed rows are exactly the server's status view (a snapshot), else the first
// differences.
QString compareWithServerView(TestStation &probe, const client::Workstation &station);

} // namespace clinicflow::testsupport
