// One process per module and data folder. Two servers on one folder would run each worker twice and publish every
// event twice; the split deployment (--only) runs disjoint modules in several processes, which is fine. Each module
// takes an exclusive flock on <data>/<module>.lock for the life of the process: the kernel releases it when the
// process ends, kill -9 included, so a crash never leaves a stale lock behind. Where the database is shared between
// hosts (PostgreSQL), each module also holds a session lock in the database itself, on a connection kept for it.
#pragma once

#include "Database.h"
#include "domain/Result.h"

#include <QStringList>
#include <memory>
#include <vector>

namespace clinicflow::server {

class ModuleLocks
{
    Q_DISABLE_COPY_MOVE(ModuleLocks)
public:
    ~ModuleLocks();

    // Locks every module in the folder (made if missing), or none: the error names the module, the folder and the
    // process holding it.
    static domain::Result<std::unique_ptr<ModuleLocks>> acquire(const QString &dataFolder, const QStringList &modules,
                                                                const DatabaseSettings *database = nullptr);

private:
    ModuleLocks() = default;
    domain::Result<bool> lockInDatabase(const DatabaseSettings &database, const QStringList &modules);

    std::vector<int> m_fds;
    std::unique_ptr<Database> m_db; // holds the database's module locks while open
};

} // namespace clinicflow::server
