/*
 * vfs.h: helpers shared by the vfs contracts.
 *
 * musl ships no <linux/*> headers, so the constants and structures of the
 * newer file calls (openat2, statx, xattrs, memfd seals, splice, fallocate
 * modes, preadv2 flags) are spelled out here, as the kernel's uapi defines
 * them, with raw syscall wrappers. Include after contract.h.
 */
#ifndef VFS_H
#define VFS_H

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>

/* openat2 */
struct open_how_v0 {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#define RESOLVE_CACHED 0x20
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

static long openat2_raw(int dirfd, const char *path, const void *how, size_t size)
{
    return syscall(SYS_openat2, dirfd, path, how, size);
}

static long openat2_(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
    struct open_how_v0 how = {flags, mode, resolve};
    return openat2_raw(dirfd, path, &how, sizeof how);
}

/* preadv2/pwritev2 */
#define RWF_HIPRI 0x01
#define RWF_DSYNC 0x02
#define RWF_SYNC 0x04
#define RWF_NOWAIT 0x08
#define RWF_APPEND 0x10
#define RWF_NOAPPEND 0x20

static long preadv2_(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
    return syscall(SYS_preadv2, fd, iov, cnt, (long)off, (long)((unsigned long long)off >> 63 >> 1), flags);
}

static long pwritev2_(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
    return syscall(SYS_pwritev2, fd, iov, cnt, (long)off, (long)((unsigned long long)off >> 63 >> 1), flags);
}

/* lseek */
#ifndef SEEK_DATA
#define SEEK_DATA 3
#define SEEK_HOLE 4
#endif

/* fallocate */
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 0x01
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE 0x02
#endif
#ifndef FALLOC_FL_NO_HIDE_STALE
#define FALLOC_FL_NO_HIDE_STALE 0x04
#endif
#ifndef FALLOC_FL_COLLAPSE_RANGE
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#endif
#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE 0x10
#endif
#ifndef FALLOC_FL_INSERT_RANGE
#define FALLOC_FL_INSERT_RANGE 0x20
#endif
#ifndef FALLOC_FL_UNSHARE_RANGE
#define FALLOC_FL_UNSHARE_RANGE 0x40
#endif
#ifndef FALLOC_FL_WRITE_ZEROES
#define FALLOC_FL_WRITE_ZEROES 0x80
#endif

static long fallocate_(int fd, int mode, off_t off, off_t len)
{
    return syscall(SYS_fallocate, fd, mode, (long)off, (long)len);
}

/* splice family */
#define SPLICE_F_MOVE 1
#define SPLICE_F_NONBLOCK 2
#define SPLICE_F_MORE 4
#define SPLICE_F_GIFT 8

static long splice_(int in, loff_t *off_in, int out, loff_t *off_out, size_t len, unsigned flags)
{
    return syscall(SYS_splice, in, off_in, out, off_out, len, flags);
}

static long tee_(int in, int out, size_t len, unsigned flags)
{
    return syscall(SYS_tee, in, out, len, flags);
}

static long vmsplice_(int fd, const struct iovec *iov, unsigned long n, unsigned flags)
{
    return syscall(SYS_vmsplice, fd, iov, n, flags);
}

static long copy_file_range_(int in, loff_t *off_in, int out, loff_t *off_out, size_t len, unsigned flags)
{
    return syscall(SYS_copy_file_range, in, off_in, out, off_out, len, flags);
}

#include "../statx.h"

/* xattrs */
#define XATTR_CREATE 1
#define XATTR_REPLACE 2

static long setxattr_(const char *p, const char *n, const void *v, size_t s, int f)
{
    return syscall(SYS_setxattr, p, n, v, s, f);
}
static long lsetxattr_(const char *p, const char *n, const void *v, size_t s, int f)
{
    return syscall(SYS_lsetxattr, p, n, v, s, f);
}
static long fsetxattr_(int fd, const char *n, const void *v, size_t s, int f)
{
    return syscall(SYS_fsetxattr, fd, n, v, s, f);
}
static long getxattr_(const char *p, const char *n, void *v, size_t s)
{
    return syscall(SYS_getxattr, p, n, v, s);
}
static long lgetxattr_(const char *p, const char *n, void *v, size_t s)
{
    return syscall(SYS_lgetxattr, p, n, v, s);
}
static long fgetxattr_(int fd, const char *n, void *v, size_t s)
{
    return syscall(SYS_fgetxattr, fd, n, v, s);
}
static long listxattr_(const char *p, char *l, size_t s)
{
    return syscall(SYS_listxattr, p, l, s);
}
static long llistxattr_(const char *p, char *l, size_t s)
{
    return syscall(SYS_llistxattr, p, l, s);
}
static long flistxattr_(int fd, char *l, size_t s)
{
    return syscall(SYS_flistxattr, fd, l, s);
}
static long removexattr_(const char *p, const char *n)
{
    return syscall(SYS_removexattr, p, n);
}
static long lremovexattr_(const char *p, const char *n)
{
    return syscall(SYS_lremovexattr, p, n);
}
static long fremovexattr_(int fd, const char *n)
{
    return syscall(SYS_fremovexattr, fd, n);
}

/* Prints a listxattr result as "name,name,..." in the order returned. */
static void say_list(const char *label, const char *buf, long n) __attribute__((unused));
static void say_list(const char *label, const char *buf, long n)
{
    printf("%s: [", label);
    for (long i = 0; i < n;) {
        printf("%s%s", i ? "," : "", buf + i);
        i += strlen(buf + i) + 1;
    }
    printf("]\n");
}

/* memfd */
#define MFD_CLOEXEC_ 0x0001U
#define MFD_ALLOW_SEALING_ 0x0002U
#define MFD_HUGETLB_ 0x0004U
#define MFD_NOEXEC_SEAL_ 0x0008U
#define MFD_EXEC_ 0x0010U
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#endif
#define F_SEAL_SEAL_ 0x0001
#define F_SEAL_SHRINK_ 0x0002
#define F_SEAL_GROW_ 0x0004
#define F_SEAL_WRITE_ 0x0008
#define F_SEAL_FUTURE_WRITE_ 0x0010
#define F_SEAL_EXEC_ 0x0020

static long memfd_(const char *name, unsigned flags)
{
    return syscall(SYS_memfd_create, name, flags);
}

/* Seal bits by name ("SEAL|WRITE"), or "none". */
static const char *seal_names(long s) __attribute__((unused));
static const char *seal_names(long s)
{
    static char buf[96];
    if (s < 0)
        return errname(errno);
    buf[0] = 0;
    static const char *names[] = {"SEAL", "SHRINK", "GROW", "WRITE", "FUTURE_WRITE", "EXEC"};
    for (int i = 0; i < 6; i++)
        if (s & (1 << i)) {
            if (buf[0])
                strcat(buf, "|");
            strcat(buf, names[i]);
        }
    if (s & ~0x3fL)
        strcat(buf, "|?");
    return buf[0] ? buf : "none";
}

/* renameat2 */
#define RENAME_NOREPLACE_ 1
#define RENAME_EXCHANGE_ 2
#define RENAME_WHITEOUT_ 4

static long renameat2_(const char *a, const char *b, unsigned flags)
{
    return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

/* Drops to an unprivileged user (uid/gid 1000 unless given). */
static void become_user(uid_t uid, gid_t gid) __attribute__((unused));
static void become_user(uid_t uid, gid_t gid)
{
    setgroups(0, NULL);
    if (setresgid(gid, gid, gid) || setresuid(uid, uid, uid)) {
        say("become_user: %s", errname(errno));
        _exit(1);
    }
}

/* Runs fn in a child and reports how it ended. */
static void in_child(const char *label, void (*fn)(void)) __attribute__((unused));
static void in_child(const char *label, void (*fn)(void))
{
    pid_t p = fork();
    if (p == 0) {
        fn();
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    say("%s: %s", label, wstatus(st));
}

/* A small file with content. */
static void make_file(const char *path, const char *content, mode_t mode) __attribute__((unused));
static void make_file(const char *path, const char *content, mode_t mode)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    if (content)
        write(fd, content, strlen(content));
    close(fd);
    chmod(path, mode);
}

#endif
