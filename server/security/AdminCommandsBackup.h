// The operators' `backup` and `restore` commands of clinicflow-server (storage/Backup.h does the work):
//   clinicflow-server backup --to FILE [--with-keys DIR] [--force] [--data DIR | --database URL]
//   clinicflow-server restore --from FILE [--with-keys DIR] [--data DIR]
// `backup` runs beside a running server; `restore` only when no server runs on the data folder. On PostgreSQL both
// answer that pg_dump and pg_restore do it (issue #14), with exit code 2.
#pragma once

#include "common/Config.h"

namespace clinicflow::server::admin {

// The command's own options (added after the server's), its name and its description.
void addBackupOptions(const QString &command, common::OptionSet &set);
common::OptionSet backupOptionSet(const QString &command);

// The process's exit code: 0, 1 for a refusal, 2 for a database these commands do not handle.
int backup(const common::ConfigValues &values, const common::ServerConfig &config);
int restore(const common::ConfigValues &values, const common::ServerConfig &config);

} // namespace clinicflow::server::admin
