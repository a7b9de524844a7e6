/* openat2 RESOLVE_NO_SYMLINKS and RESOLVE_NO_MAGICLINKS: ordinary and
 * /proc magic links in the middle and at the end of a path, with and
 * without O_NOFOLLOW and O_PATH. */
#include "contract.h"
#include "vfs.h"

static void try(const char *label, const char *path, uint64_t flags, uint64_t resolve)
{
    long fd = openat2_(AT_FDCWD, path, flags, 0, resolve);
    if (fd < 0) {
        say("%s: -1 %s", label, errname(errno));
        return;
    }
    struct stat st;
    fstat(fd, &st);
    say("%s: opened a %s", label, S_ISLNK(st.st_mode) ? "symlink" : S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other");
    close(fd);
}

int main(void)
{
    mkdir("d", 0755);
    make_file("d/f", "x", 0644);
    symlink("d", "ld");
    symlink("d/f", "lf");
    symlink("lf", "llf");
    symlink("nowhere", "dangling");
    int fd = open("d/f", O_RDONLY);
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);

    try("plain path, NO_SYMLINKS", "d/f", O_RDONLY, RESOLVE_NO_SYMLINKS);
    try("symlink in the middle, NO_SYMLINKS", "ld/f", O_RDONLY, RESOLVE_NO_SYMLINKS);
    try("symlink at the end, NO_SYMLINKS", "lf", O_RDONLY, RESOLVE_NO_SYMLINKS);
    try("chain at the end, NO_SYMLINKS", "llf", O_RDONLY, RESOLVE_NO_SYMLINKS);
    try("symlink at the end, O_NOFOLLOW, NO_SYMLINKS", "lf", O_RDONLY | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
    try("symlink at the end, O_PATH|O_NOFOLLOW, NO_SYMLINKS", "lf", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
    try("dangling, O_CREAT, NO_SYMLINKS", "dangling", O_CREAT | O_WRONLY, RESOLVE_NO_SYMLINKS);
    try("symlink, no flags", "llf", O_RDONLY, 0);
    try("/proc/self (a plain symlink), NO_MAGICLINKS", "/proc/self/status", O_RDONLY, RESOLVE_NO_MAGICLINKS);
    try("magic link at the end, no flags", fdpath, O_RDONLY, 0);
    try("magic link at the end, NO_MAGICLINKS", fdpath, O_RDONLY, RESOLVE_NO_MAGICLINKS);
    try("magic link, O_PATH|O_NOFOLLOW, NO_MAGICLINKS", fdpath, O_PATH | O_NOFOLLOW, RESOLVE_NO_MAGICLINKS);
    try("magic link at the end, NO_SYMLINKS", fdpath, O_RDONLY, RESOLVE_NO_SYMLINKS);
    try("/proc/self/cwd/d (magic in the middle), NO_MAGICLINKS", "/proc/self/cwd/d", O_RDONLY, RESOLVE_NO_MAGICLINKS);
    try("/proc/self/cwd/d, NO_SYMLINKS", "/proc/self/cwd/d", O_RDONLY, RESOLVE_NO_SYMLINKS);
    try("/proc/self/cwd/d, no flags", "/proc/self/cwd/d", O_RDONLY, 0);
    try("/proc/self/exe, NO_MAGICLINKS", "/proc/self/exe", O_RDONLY, RESOLVE_NO_MAGICLINKS);
    return 0;
}
