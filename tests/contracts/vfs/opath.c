/* O_PATH descriptors: which calls accept them (fstat, fchdir, *at with
 * the descriptor as base, dup, fcntl, close, fstatfs, linkat and
 * readlinkat with an empty path) and which fail with EBADF (I/O, fchmod,
 * fchown, ioctl, mmap, getdents, fgetxattr, fsync, lseek, ftruncate). */
#include "contract.h"
#include "vfs.h"
#include <sys/ioctl.h>
#include <sys/statfs.h>

int main(void)
{
    mkdir("d", 0755);
    make_file("d/f", "data", 0644);
    symlink("d/f", "lnk");
    int fd = open("d/f", O_PATH);
    int dfd = open("d", O_PATH | O_DIRECTORY);
    char buf[16];
    struct stat st;
    struct statfs sfs;
    SAY("read", read(fd, buf, 4));
    SAY("write", write(fd, "x", 1));
    SAY("pread", pread(fd, buf, 4, 0));
    SAY("fstat", fstat(fd, &st));
    say("fstat size %ld", (long)st.st_size);
    SAY("fstatfs", fstatfs(fd, &sfs));
    SAY("fchmod", fchmod(fd, 0600));
    SAY("fchown", fchown(fd, 0, 0));
    SAY("ioctl FIONREAD", ioctl(fd, FIONREAD, &(int){0}));
    SAY("ioctl FIOCLEX", ioctl(fd, FIOCLEX));
    SAY("mmap", (long)mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == -1 ? -1 : 0);
    SAY("lseek", lseek(fd, 0, SEEK_SET));
    SAY("ftruncate", ftruncate(fd, 0));
    SAY("fsync", fsync(fd));
    SAY("fdatasync", fdatasync(fd));
    SAY("fgetxattr", fgetxattr_(fd, "user.x", buf, sizeof buf));
    SAY("fsetxattr", fsetxattr_(fd, "user.x", "v", 1, 0));
    SAY("flistxattr", flistxattr_(fd, buf, sizeof buf));
    SAY("fallocate", fallocate_(fd, 0, 0, 10));
    SAY("getdents64 on an O_PATH dir", syscall(SYS_getdents64, dfd, buf, sizeof buf));
    SAY("F_GETFL has O_PATH", (fcntl(fd, F_GETFL) & O_PATH) != 0);
    SAY("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
    SAY("F_GETFL after F_SETFL", fcntl(fd, F_GETFL) & (O_PATH | O_APPEND | O_ACCMODE));
    SAY("F_SETFD/F_GETFD", fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 ? fcntl(fd, F_GETFD) : -1);
    int d2 = dup(fd);
    SAY("dup", d2 >= 0);
    SAY("openat relative to O_PATH dir", openat(dfd, "f", O_RDONLY) >= 0);
    SAY("fstatat relative to O_PATH dir", fstatat(dfd, "f", &st, 0));
    SAY("fstatat AT_EMPTY_PATH", fstatat(fd, "", &st, AT_EMPTY_PATH));
    SAY("fchdir to O_PATH dir", fchdir(dfd));
    SAY("cwd is d", access("f", F_OK));
    chdir("..");
    SAY("reopen via /proc/self/fd for reading", ({ char p[64]; snprintf(p, sizeof p, "/proc/self/fd/%d", fd); int r = open(p, O_RDONLY); r >= 0 ? (int)read(r, buf, 4) : -1; }));
    int lfd = open("lnk", O_PATH | O_NOFOLLOW);
    fstat(lfd, &st);
    say("O_PATH|O_NOFOLLOW on a symlink opens the link: %d", S_ISLNK(st.st_mode));
    SAY("readlinkat on it", readlinkat(lfd, "", buf, sizeof buf));
    SAY("O_NOFOLLOW without O_PATH", open("lnk", O_RDONLY | O_NOFOLLOW));
    SAY("O_PATH ignores O_TRUNC", open("d/f", O_PATH | O_TRUNC | O_WRONLY) >= 0);
    stat("d/f", &st);
    say("size still %ld", (long)st.st_size);
    chmod(".", 0755);
    SAY("O_PATH without read permission (exit status)", ({ chmod("d/f", 0); pid_t p = fork(); if (p == 0) { become_user(1000, 1000); _exit(open("d/f", O_PATH) >= 0 ? 0 : 1); } int ws; waitpid(p, &ws, 0); WEXITSTATUS(ws); }));
    SAY("close", close(fd));
    return 0;
}
