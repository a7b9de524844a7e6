/* openat2 RESOLVE_NO_XDEV (no mount crossing, down, up or by absolute
 * path) and RESOLVE_CACHED (create, truncate and tmpfile opens fail with
 * EAGAIN; a lookup tmpfs can answer from memory succeeds). */
#include "contract.h"
#include "vfs.h"

static void try(const char *label, int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
    long fd = openat2_(dirfd, path, flags, flags & O_CREAT ? 0644 : 0, resolve);
    say("%s: %s", label, fd >= 0 ? "opened" : errname(errno));
    if (fd >= 0)
        close(fd);
}

/* A RESOLVE_CACHED lookup the cache can answer: Linux may still give
 * EAGAIN when its lock-free walk has to restart (a busy host makes that
 * happen now and then), so either outcome is reported as one. */
static void try_cacheable(const char *label, const char *path, uint64_t flags, uint64_t resolve)
{
    long fd = openat2_(AT_FDCWD, path, flags, 0, RESOLVE_CACHED | resolve);
    int ok = fd >= 0 || errno == EAGAIN;
    say("%s: %s", label, ok ? "opened (or EAGAIN)" : errname(errno));
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    mkdir("d", 0755);
    make_file("d/f", "x", 0644);
    symlink("/proc/self", "toproc");
    symlink("d/f", "lf");
    int rootfd = open("/", O_RDONLY | O_DIRECTORY);
    int procfd = open("/proc", O_RDONLY | O_DIRECTORY);

    try("same fs, NO_XDEV", AT_FDCWD, "d/f", O_RDONLY, RESOLVE_NO_XDEV);
    try("into /proc from /, NO_XDEV", rootfd, "proc/self/status", O_RDONLY, RESOLVE_NO_XDEV);
    try("into /proc from /, no flags", rootfd, "proc/self/status", O_RDONLY, 0);
    try("within /proc, NO_XDEV", procfd, "self/status", O_RDONLY, RESOLVE_NO_XDEV);
    try("up out of /proc, NO_XDEV", procfd, "..", O_RDONLY | O_DIRECTORY, RESOLVE_NO_XDEV);
    try("absolute path out of cwd, NO_XDEV", AT_FDCWD, "/proc/self/status", O_RDONLY, RESOLVE_NO_XDEV);
    try("symlink into /proc, NO_XDEV", AT_FDCWD, "toproc/status", O_RDONLY, RESOLVE_NO_XDEV);
    try("symlink into /proc, no flags", AT_FDCWD, "toproc/status", O_RDONLY, 0);

    try_cacheable("existing file, CACHED", "d/f", O_RDONLY, 0);
    try_cacheable("through a symlink, CACHED", "lf", O_RDONLY, 0);
    try_cacheable("O_WRONLY, CACHED", "d/f", O_WRONLY, 0);
    try("O_CREAT on existing, CACHED", AT_FDCWD, "d/f", O_CREAT | O_RDWR, RESOLVE_CACHED);
    try("O_CREAT new, CACHED", AT_FDCWD, "d/g", O_CREAT | O_RDWR, RESOLVE_CACHED);
    try("O_TRUNC, CACHED", AT_FDCWD, "d/f", O_TRUNC | O_RDWR, RESOLVE_CACHED);
    try("O_TMPFILE, CACHED", AT_FDCWD, "d", O_TMPFILE | O_RDWR, RESOLVE_CACHED);
    try("missing file, CACHED", AT_FDCWD, "d/missing", O_RDONLY, RESOLVE_CACHED);
    try("missing file, no flags", AT_FDCWD, "d/missing", O_RDONLY, 0);
    try("missing file again, CACHED", AT_FDCWD, "d/missing", O_RDONLY, RESOLVE_CACHED);
    try_cacheable("CACHED|NO_XDEV within fs", "d/f", O_RDONLY, RESOLVE_NO_XDEV);
    return 0;
}
