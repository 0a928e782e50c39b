#include "SyncVfs.h"

#include <csignal>
#include <cstring>
#include <map>
#include <mutex>
#include <sqlite3.h>

namespace clinicflow::testsupport {
namespace {

struct State
{
    std::mutex mutex;
    std::map<std::string, int> syncs; // by file path
    std::string killSuffix;
    int killAfter = 0; // 0: never
    int killSeen = 0;
};

State &state()
{
    static State *s = new State; // never destroyed: SQLite may sync from other threads while the process exits
    return *s;
}

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

sqlite3_vfs *g_root = nullptr;

struct CountingFile
{
    sqlite3_file base;
    sqlite3_file *real;
    char path[512];
};

sqlite3_file *realOf(sqlite3_file *f)
{
    return reinterpret_cast<CountingFile *>(f)->real;
}

int fileClose(sqlite3_file *f)
{
    return realOf(f)->pMethods->xClose(realOf(f));
}
int fileRead(sqlite3_file *f, void *buffer, int amount, sqlite3_int64 offset)
{
    return realOf(f)->pMethods->xRead(realOf(f), buffer, amount, offset);
}
int fileWrite(sqlite3_file *f, const void *buffer, int amount, sqlite3_int64 offset)
{
    return realOf(f)->pMethods->xWrite(realOf(f), buffer, amount, offset);
}
int fileTruncate(sqlite3_file *f, sqlite3_int64 size)
{
    return realOf(f)->pMethods->xTruncate(realOf(f), size);
}
int fileSync(sqlite3_file *f, int flags)
{
    const int rc = realOf(f)->pMethods->xSync(realOf(f), flags);
    const std::string path = reinterpret_cast<CountingFile *>(f)->path;
    bool kill = false;
    {
        State &s = state();
        std::lock_guard lock(s.mutex);
        ++s.syncs[path];
        if (s.killAfter > 0 && endsWith(path, s.killSuffix) && ++s.killSeen == s.killAfter)
            kill = true;
    }
    if (kill)
        std::raise(SIGKILL); // the commit is on disk; nothing after it happens
    return rc;
}
int fileSize(sqlite3_file *f, sqlite3_int64 *size)
{
    return realOf(f)->pMethods->xFileSize(realOf(f), size);
}
int fileLock(sqlite3_file *f, int level)
{
    return realOf(f)->pMethods->xLock(realOf(f), level);
}
int fileUnlock(sqlite3_file *f, int level)
{
    return realOf(f)->pMethods->xUnlock(realOf(f), level);
}
int fileCheckReserved(sqlite3_file *f, int *out)
{
    return realOf(f)->pMethods->xCheckReservedLock(realOf(f), out);
}
int fileControl(sqlite3_file *f, int op, void *arg)
{
    return realOf(f)->pMethods->xFileControl(realOf(f), op, arg);
}
int fileSectorSize(sqlite3_file *f)
{
    return realOf(f)->pMethods->xSectorSize(realOf(f));
}
int fileDeviceCharacteristics(sqlite3_file *f)
{
    return realOf(f)->pMethods->xDeviceCharacteristics(realOf(f));
}
int fileShmMap(sqlite3_file *f, int region, int size, int extend, void volatile **out)
{
    return realOf(f)->pMethods->xShmMap(realOf(f), region, size, extend, out);
}
int fileShmLock(sqlite3_file *f, int offset, int n, int flags)
{
    return realOf(f)->pMethods->xShmLock(realOf(f), offset, n, flags);
}
void fileShmBarrier(sqlite3_file *f)
{
    realOf(f)->pMethods->xShmBarrier(realOf(f));
}
int fileShmUnmap(sqlite3_file *f, int deleteFlag)
{
    return realOf(f)->pMethods->xShmUnmap(realOf(f), deleteFlag);
}
int fileFetch(sqlite3_file *f, sqlite3_int64 offset, int amount, void **out)
{
    return realOf(f)->pMethods->xFetch(realOf(f), offset, amount, out);
}
int fileUnfetch(sqlite3_file *f, sqlite3_int64 offset, void *page)
{
    return realOf(f)->pMethods->xUnfetch(realOf(f), offset, page);
}

const sqlite3_io_methods kMethods = {3,
                                     fileClose,
                                     fileRead,
                                     fileWrite,
                                     fileTruncate,
                                     fileSync,
                                     fileSize,
                                     fileLock,
                                     fileUnlock,
                                     fileCheckReserved,
                                     fileControl,
                                     fileSectorSize,
                                     fileDeviceCharacteristics,
                                     fileShmMap,
                                     fileShmLock,
                                     fileShmBarrier,
                                     fileShmUnmap,
                                     fileFetch,
                                     fileUnfetch};

int vfsOpen(sqlite3_vfs *, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags)
{
    auto *f = reinterpret_cast<CountingFile *>(file);
    f->real = reinterpret_cast<sqlite3_file *>(f + 1);
    std::memset(f->path, 0, sizeof f->path);
    if (name)
        std::strncpy(f->path, name, sizeof f->path - 1);
    const int rc = g_root->xOpen(g_root, name, f->real, flags, outFlags);
    f->base.pMethods = f->real->pMethods ? &kMethods : nullptr;
    return rc;
}
int vfsDelete(sqlite3_vfs *, const char *name, int syncDir)
{
    return g_root->xDelete(g_root, name, syncDir);
}
int vfsAccess(sqlite3_vfs *, const char *name, int flags, int *out)
{
    return g_root->xAccess(g_root, name, flags, out);
}
int vfsFullPathname(sqlite3_vfs *, const char *name, int size, char *out)
{
    return g_root->xFullPathname(g_root, name, size, out);
}
void *vfsDlOpen(sqlite3_vfs *, const char *name)
{
    return g_root->xDlOpen(g_root, name);
}
void vfsDlError(sqlite3_vfs *, int size, char *out)
{
    g_root->xDlError(g_root, size, out);
}
void (*vfsDlSym(sqlite3_vfs *, void *handle, const char *symbol))(void)
{
    return g_root->xDlSym(g_root, handle, symbol);
}
void vfsDlClose(sqlite3_vfs *, void *handle)
{
    g_root->xDlClose(g_root, handle);
}
int vfsRandomness(sqlite3_vfs *, int size, char *out)
{
    return g_root->xRandomness(g_root, size, out);
}
int vfsSleep(sqlite3_vfs *, int microseconds)
{
    return g_root->xSleep(g_root, microseconds);
}
int vfsCurrentTime(sqlite3_vfs *, double *out)
{
    return g_root->xCurrentTime(g_root, out);
}
int vfsGetLastError(sqlite3_vfs *, int size, char *out)
{
    return g_root->xGetLastError(g_root, size, out);
}
int vfsCurrentTimeInt64(sqlite3_vfs *, sqlite3_int64 *out)
{
    return g_root->xCurrentTimeInt64(g_root, out);
}

sqlite3_vfs g_vfs;

} // namespace

void SyncVfs::install()
{
    static std::once_flag once;
    std::call_once(once, [] {
        g_root = sqlite3_vfs_find(nullptr);
        g_vfs = sqlite3_vfs{2,
                            int(sizeof(CountingFile)) + g_root->szOsFile,
                            g_root->mxPathname,
                            nullptr,
                            "clinicflow-test-sync",
                            nullptr,
                            vfsOpen,
                            vfsDelete,
                            vfsAccess,
                            vfsFullPathname,
                            vfsDlOpen,
                            vfsDlError,
                            vfsDlSym,
                            vfsDlClose,
                            vfsRandomness,
                            vfsSleep,
                            vfsCurrentTime,
                            vfsGetLastError,
                            vfsCurrentTimeInt64,
                            nullptr,
                            nullptr,
                            nullptr};
        sqlite3_vfs_register(&g_vfs, 1);
    });
}

int SyncVfs::syncsOf(const std::string &suffix)
{
    State &s = state();
    std::lock_guard lock(s.mutex);
    int n = 0;
    for (const auto &[path, count] : s.syncs) {
        if (endsWith(path, suffix))
            n += count;
    }
    return n;
}

void SyncVfs::killAfterSync(const std::string &suffix, int count)
{
    State &s = state();
    std::lock_guard lock(s.mutex);
    s.killSuffix = suffix;
    s.killAfter = count;
    s.killSeen = 0;
}

} // namespace clinicflow::testsupport
