/* stat/fstat/lstat/fstatat/statx: the fields that are deterministic for a
 * fresh file, directory, symlink and device. */
#include "contract.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <stdint.h>

/* struct statx (linux/stat.h; this musl has no statx wrapper). */
struct kstatx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t reserved; };
struct kstatx {
    uint32_t stx_mask, stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink, stx_uid, stx_gid;
    uint16_t stx_mode, spare0;
    uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct kstatx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
    uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    uint64_t spare[14];
};
#define STATX_TYPE 1u
#define STATX_BASIC_STATS 0x7ffu
#define statx(d, p, f, m, b) syscall(SYS_statx, d, p, f, m, b)

static void show(const char *label, struct stat *s)
{
    say("%s: mode %06o nlink %ld uid %u gid %u size %ld blksize>0 %d rdev %u:%u", label, s->st_mode, (long)s->st_nlink,
        s->st_uid, s->st_gid, (long)s->st_size, s->st_blksize > 0, major(s->st_rdev), minor(s->st_rdev));
}

int main(void)
{
    umask(022);
    int fd = open("f", O_RDWR | O_CREAT, 0666);
    write(fd, "12345", 5);
    struct stat a, b;
    stat("f", &a);
    show("file", &a);
    fstat(fd, &b);
    say("fstat == stat (dev, ino): %d", a.st_dev == b.st_dev && a.st_ino == b.st_ino);
    say("mtime == ctime for a fresh write: %d", a.st_mtim.tv_sec == a.st_ctim.tv_sec);
    mkdir("d", 0777);
    stat("d", &a);
    show("dir", &a);
    mkdir("d/sub", 0700);
    stat("d", &a);
    say("dir nlink with a subdir: %ld", (long)a.st_nlink);
    symlink("f", "l");
    lstat("l", &a);
    show("lstat link", &a);
    stat("l", &b);
    say("stat through link is the file: %d", S_ISREG(b.st_mode));
    fstatat(AT_FDCWD, "l", &a, AT_SYMLINK_NOFOLLOW);
    say("fstatat NOFOLLOW is the link: %d", S_ISLNK(a.st_mode));
    stat("/dev/null", &a);
    show("/dev/null", &a);
    stat("/dev/zero", &a);
    say("/dev/zero rdev %u:%u", major(a.st_rdev), minor(a.st_rdev));
    stat("/dev/full", &a);
    say("/dev/full rdev %u:%u", major(a.st_rdev), minor(a.st_rdev));
    stat("/dev/urandom", &a);
    say("/dev/urandom rdev %u:%u", major(a.st_rdev), minor(a.st_rdev));
    SAY("fstatat AT_EMPTY_PATH", fstatat(fd, "", &a, AT_EMPTY_PATH));
    SAY("fstatat empty path without flag", fstatat(fd, "", &a, 0));
    SAY("fstatat bad flag", fstatat(AT_FDCWD, "f", &a, 0x4000000));
    SAY("stat missing", stat("missing", &a));
    SAY("stat through a file", stat("f/x", &a));
    struct kstatx sx;
    SAY("statx", statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx));
    say("statx: mask has BASIC %d, size %llu, mode %o, nlink %u", (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS,
        (unsigned long long)sx.stx_size, sx.stx_mode, sx.stx_nlink);
    SAY("statx on a link with NOFOLLOW", statx(AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, STATX_TYPE, &sx));
    say("statx link type: %d", S_ISLNK(sx.stx_mode));
    return 0;
}
