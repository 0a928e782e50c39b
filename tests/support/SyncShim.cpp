// clinicflow_test_syncshim: SyncVfs loaded into a process that is not a test (the server, a station driver) with
// LD_PRELOAD. It takes the place of sqlite3_open_v2, so the counting VFS is registered just before the process's
// first connection (and after the server's own SQLite configuration), then hands over to the real function.
//   CLINICFLOW_TEST_KILL_AFTER_SYNC=<n>   SIGKILL right after the n-th sync of ...
//   CLINICFLOW_TEST_SYNC_FILE=<suffix>    ... a file whose path ends with this (e.g. "clinicflow.sqlite-wal")
#include "SyncVfs.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <sqlite3.h>

using clinicflow::testsupport::SyncVfs;

extern "C" __attribute__((visibility("default"))) int sqlite3_open_v2(const char *filename, sqlite3 **db, int flags,
                                                                      const char *vfs)
{
    using OpenV2 = int (*)(const char *, sqlite3 **, int, const char *);
    static OpenV2 real = reinterpret_cast<OpenV2>(dlsym(RTLD_NEXT, "sqlite3_open_v2"));
    static std::once_flag once;
    std::call_once(once, [] {
        SyncVfs::install();
        const char *count = std::getenv("CLINICFLOW_TEST_KILL_AFTER_SYNC");
        const char *suffix = std::getenv("CLINICFLOW_TEST_SYNC_FILE");
        if (count && suffix && std::atoi(count) > 0)
            SyncVfs::killAfterSync(suffix, std::atoi(count));
    });
    return real(filename, db, flags, vfs);
}
