// The operators' commands of clinicflow-server (ARCHITECTURE §7, enrolled stations only), run beside a running
// server on the same data folder and database:
//   clinicflow-server enrol --station A --role receptionist --name "Front desk 1" [--doctor dr.kim] [--out FILE]
//                           [--address HOST]
//   clinicflow-server revoke --station A
//   clinicflow-server stations
//   clinicflow-server audit [--visit UUID] [--station CODE] [--from TIME] [--to TIME] [--limit N]
//   clinicflow-server backup --to FILE [--with-keys DIR] [--force]
//   clinicflow-server restore --from FILE [--with-keys DIR]
// `enrol` makes the station's key pair and writes its enrolment file (readable by its owner only); `revoke` takes
// effect in a running server within a second; `stations` lists them all; `audit` prints the audit trail
// (security/AuditTrail.h); `backup` copies the database while the server runs, and `restore` puts a backup in place
// while none runs (AdminCommandsBackup.h).
#pragma once

#include <QStringList>
#include <optional>

namespace clinicflow::server {

// The names runAdminCommand() answers to.
QStringList adminCommands();

// When arguments[1] names an admin command, runs it and returns the process's exit code (0, 1 for a refusal,
// 2 for bad arguments); nothing otherwise, and the server starts.
std::optional<int> runAdminCommand(const QStringList &arguments);

} // namespace clinicflow::server
