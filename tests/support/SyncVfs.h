// An SQLite VFS for tests that need to see durability: it wraps the default VFS and counts xSync per file, so a test
// can tell a commit that reached the disk (synchronous=FULL syncs the write-ahead log at every commit) from one that
// only reached the page cache (NORMAL does not). A kill -9 cannot show the difference; a power cut would.
//
// In a test process, SyncVfs::install() makes it the default before connections open (Qt's SQLite driver uses the
// same libsqlite3). Loaded into another process with LD_PRELOAD (clinicflow_test_syncshim), it can also end that
// process with SIGKILL right after its n-th sync of one file: a crash at an exact commit boundary.
#pragma once

#include <string>

namespace clinicflow::testsupport {

class SyncVfs
{
public:
    // Registers the counting VFS as SQLite's default, once; later calls do nothing.
    static void install();
    // Syncs so far of the files whose path ends with `suffix` (e.g. "station-A.sqlite-wal").
    static int syncsOf(const std::string &suffix);
    // From now on, raise SIGKILL right after the `count`-th sync of a file whose path ends with `suffix` returns.
    static void killAfterSync(const std::string &suffix, int count);
};

} // namespace clinicflow::testsupport
