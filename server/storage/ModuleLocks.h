// One process per module and data folder. Two servers on one folder would run each worker twice and publish every
// event twice; the split deployment (--only) runs disjoint modules in several processes, which is fine. Each module
// takes an exclusive flock on <data>/<module>.lock for the life of the process: the kernel releases it when the
// process ends, kill -9 included, so a crash never leaves a stale lock behind.
#pragma once

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
    static domain::Result<std::unique_ptr<ModuleLocks>> acquire(const QString &dataFolder, const QStringList &modules);

private:
    ModuleLocks() = default;
    std::vector<int> m_fds;
};

} // namespace clinicflow::server
