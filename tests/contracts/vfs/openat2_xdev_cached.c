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

    try("existing file, CACHED", AT_FDCWD, "d/f", O_RDONLY, RESOLVE_CACHED);
    try("through a symlink, CACHED", AT_FDCWD, "lf", O_RDONLY, RESOLVE_CACHED);
    try("O_WRONLY, CACHED", AT_FDCWD, "d/f", O_WRONLY, RESOLVE_CACHED);
    try("O_CREAT on existing, CACHED", AT_FDCWD, "d/f", O_CREAT | O_RDWR, RESOLVE_CACHED);
    try("O_CREAT new, CACHED", AT_FDCWD, "d/g", O_CREAT | O_RDWR, RESOLVE_CACHED);
    try("O_TRUNC, CACHED", AT_FDCWD, "d/f", O_TRUNC | O_RDWR, RESOLVE_CACHED);
    try("O_TMPFILE, CACHED", AT_FDCWD, "d", O_TMPFILE | O_RDWR, RESOLVE_CACHED);
    try("missing file, CACHED", AT_FDCWD, "d/missing", O_RDONLY, RESOLVE_CACHED);
    try("missing file, no flags", AT_FDCWD, "d/missing", O_RDONLY, 0);
    try("missing file again, CACHED", AT_FDCWD, "d/missing", O_RDONLY, RESOLVE_CACHED);
    try("CACHED|NO_XDEV within fs", AT_FDCWD, "d/f", O_RDONLY, RESOLVE_CACHED | RESOLVE_NO_XDEV);
    return 0;
}
