/*
 * ext4disk: an ext4 file system made by mkfs.ext4 on the host (a virtio
 * disk, /dev/vda, when the runner attaches one; else the test image's
 * /tests/ext4.img, which the kernel serves as /dev/loop0 with
 * kevlar.loop=) mounted, read, changed, unmounted and mounted again:
 * what was written is there after the remount, the host's files read back
 * exactly, a read-only mount refuses writes. PASS/FAIL lines, then
 * `N passed, M failed`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef BLKGETSIZE64
#define BLKROGET 0x125e
#define BLKSSZGET 0x1268
#define BLKGETSIZE64 0x80081272
#endif
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;

static void check(const char *name, int ok, const char *detail)
{
    if (ok) {
        passed++;
        printf("PASS: %s\n", name);
    } else {
        failed++;
        printf("FAIL: %s: %s (errno %s)\n", name, detail, strerror(errno));
    }
}

static int file_is(const char *path, const char *want)
{
    char buf[256] = { 0 };
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n == (ssize_t)strlen(want) && memcmp(buf, want, n) == 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0)
        return 0;
    ssize_t n = write(fd, data, len);
    int ok = n == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    return ok;
}

static void run_on(const char *dev);

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* The virtio disk the test runner attaches, and the loop disk. */
    int any = 0;
    const char *devs[] = { "/dev/vda", "/dev/loop0" };
    for (int i = 0; i < 2; i++) {
        if (access(devs[i], F_OK) == 0) {
            printf("disk: %s\n", devs[i]);
            run_on(devs[i]);
            any = 1;
        }
    }
    if (!any)
        printf("SKIP: no /dev/vda or /dev/loop0\n");
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

static void run_on(const char *dev)
{
    mkdir("/mnt", 0755);
    mkdir("/mnt/e", 0755);
    /* the device itself: size, sector size, the superblock's magic at an
     * unaligned offset */
    int bd = open(dev, O_RDONLY);
    check("open-device", bd >= 0, "open");
    unsigned long long bytes = 0;
    int ssz = 0, ro = -1;
    check("BLKGETSIZE64", ioctl(bd, BLKGETSIZE64, &bytes) == 0 && bytes > 0 && bytes % 512 == 0, "size");
    check("BLKSSZGET", ioctl(bd, BLKSSZGET, &ssz) == 0 && ssz == 512, "512");
    check("BLKROGET", ioctl(bd, BLKROGET, &ro) == 0 && ro == 0, "writable");
    check("lseek-end", lseek(bd, 0, SEEK_END) == (off_t)bytes, "SEEK_END = size");
    unsigned char magic[2] = { 0 };
    check("superblock-magic", pread(bd, magic, 2, 1080) == 2 && magic[0] == 0x53 && magic[1] == 0xef, "0xEF53 at 1080");
    check("read-at-end", pread(bd, magic, 2, bytes) == 0, "EOF");
    /* a measurement, not a check: sequential read of the whole device */
    static char chunk[65536];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned long long total = 0;
    ssize_t r;
    while ((r = pread(bd, chunk, sizeof chunk, total)) > 0)
        total += r;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("info: %s sequential read %llu MiB in %.2f s (%.1f MiB/s)\n", dev, total >> 20, secs, secs > 0 ? (total / 1048576.0) / secs : 0.0);
    close(bd);
    check("mount", mount(dev, "/mnt/e", "ext4", 0, NULL) == 0, "mount -t ext4 /dev/loop0");
    struct statfs sf;
    check("statfs-type", statfs("/mnt/e", &sf) == 0 && sf.f_type == 0xEF53, "f_type");
    check("statfs-namelen", sf.f_namelen == 255, "f_namelen");
    check("host-file", file_is("/mnt/e/hello.txt", "hello from the host\n"), "hello.txt");
    check("host-nested", file_is("/mnt/e/dir/sub/deep.txt", "deep\n"), "dir/sub/deep.txt");
    char lbuf[64] = { 0 };
    check("host-symlink", readlink("/mnt/e/link", lbuf, sizeof lbuf) == 9 && !strcmp(lbuf, "hello.txt"), "readlink");
    check("through-symlink", file_is("/mnt/e/link", "hello from the host\n"), "follow");
    struct stat st;
    check("host-mode", stat("/mnt/e/script.sh", &st) == 0 && (st.st_mode & 0777) == 0755, "mode 0755");
    check("lost+found", stat("/mnt/e/lost+found", &st) == 0 && S_ISDIR(st.st_mode), "lost+found");
    /* changes */
    check("create", write_file("/mnt/e/new.txt", "written by kevlar\n", 18), "new.txt");
    check("mkdir", mkdir("/mnt/e/newdir", 0750) == 0, "mkdir");
    check("create-in-dir", write_file("/mnt/e/newdir/a", "a\n", 2), "newdir/a");
    static char big[1 << 20];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 131 + (i >> 12));
    check("big-write", write_file("/mnt/e/big.bin", big, sizeof big), "1 MiB");
    check("rename", rename("/mnt/e/newdir/a", "/mnt/e/newdir/b") == 0, "rename");
    check("hard-link", link("/mnt/e/new.txt", "/mnt/e/new-link") == 0, "link");
    check("symlink", symlink("newdir/b", "/mnt/e/slink") == 0, "symlink");
    check("unlink", unlink("/mnt/e/dir/sub/deep.txt") == 0, "unlink");
    check("rmdir", rmdir("/mnt/e/dir/sub") == 0, "rmdir");
    check("chmod", chmod("/mnt/e/new.txt", 0600) == 0, "chmod");
    check("chown", chown("/mnt/e/new.txt", 1234, 5678) == 0, "chown");
    check("setxattr", setxattr("/mnt/e/new.txt", "user.kv", "yes", 3, 0) == 0, "user.kv");
    int fd = open("/mnt/e/held", O_CREAT | O_RDWR, 0644);
    write(fd, "held", 4);
    check("unlink-open", unlink("/mnt/e/held") == 0, "unlink while open");
    char hb[8] = { 0 };
    check("read-unlinked", pread(fd, hb, 4, 0) == 4 && !memcmp(hb, "held", 4), "still readable");
    close(fd);
    /* mmap: a shared mapping's stores reach read(2) and the disk, a
     * private one's do not, write(2) shows in a mapping */
    fd = open("/mnt/e/mapped", O_CREAT | O_RDWR | O_TRUNC, 0644);
    check("map-size", ftruncate(fd, 8192) == 0, "ftruncate 8192");
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check("map-shared", m != MAP_FAILED, "mmap MAP_SHARED");
    if (m != MAP_FAILED) {
        memcpy(m + 4090, "across-pages", 12);
        char rb[16] = { 0 };
        check("map-store-seen-by-read", pread(fd, rb, 12, 4090) == 12 && !memcmp(rb, "across-pages", 12), "pread");
        pwrite(fd, "WRITE", 5, 100);
        check("write-seen-by-map", !memcmp(m + 100, "WRITE", 5), "mapping");
        check("msync", msync(m, 8192, MS_SYNC) == 0, "msync");
        munmap(m, 8192);
    }
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
        memcpy(p + 100, "PRIV!", 5);
        char rb[8] = { 0 };
        check("private-store-hidden", pread(fd, rb, 5, 100) == 5 && !memcmp(rb, "WRITE", 5), "pread");
        munmap(p, 4096);
    } else {
        check("map-private", 0, "mmap MAP_PRIVATE");
    }
    close(fd);
    /* a program on the disk runs (its text is mapped from ext4) */
    int in = open("/bin/busybox", O_RDONLY), out = open("/mnt/e/bb", O_CREAT | O_WRONLY | O_TRUNC, 0755);
    static char cp[65536];
    ssize_t k;
    while (in >= 0 && out >= 0 && (k = read(in, cp, sizeof cp)) > 0)
        write(out, cp, k);
    close(in);
    close(out);
    int pfd[2];
    pipe(pfd);
    pid_t pid = fork();
    if (pid == 0) {
        close(pfd[0]);
        execl("/mnt/e/bb", "true", (char *)NULL);
        int e = errno;
        write(pfd[1], &e, sizeof e);
        _exit(127);
    }
    close(pfd[1]);
    int exec_errno = 0, st2 = -1;
    read(pfd[0], &exec_errno, sizeof exec_errno);
    close(pfd[0]);
    waitpid(pid, &st2, 0);
    errno = exec_errno;
    check("exec-from-ext4", WIFEXITED(st2) && WEXITSTATUS(st2) == 0, "execl /mnt/e/bb true");
    sync();
    check("umount", umount("/mnt/e") == 0, "umount");
    check("gone-after-umount", access("/mnt/e/new.txt", F_OK) != 0, "mount point empty");
    /* everything is still there after a fresh mount */
    check("remount", mount(dev, "/mnt/e", "ext4", 0, NULL) == 0, "mount again");
    check("persist-file", file_is("/mnt/e/new.txt", "written by kevlar\n"), "new.txt");
    check("persist-renamed", file_is("/mnt/e/newdir/b", "a\n"), "newdir/b");
    check("persist-symlink", file_is("/mnt/e/slink", "a\n"), "slink");
    check("persist-link-count", stat("/mnt/e/new.txt", &st) == 0 && st.st_nlink == 2, "nlink 2");
    check("persist-mode", (st.st_mode & 0777) == 0600, "mode 0600");
    check("persist-owner", st.st_uid == 1234 && st.st_gid == 5678, "uid/gid");
    char xv[8] = { 0 };
    check("persist-xattr", getxattr("/mnt/e/new.txt", "user.kv", xv, sizeof xv) == 3 && !memcmp(xv, "yes", 3), "user.kv");
    check("persist-unlink", access("/mnt/e/dir/sub", F_OK) != 0, "dir/sub gone");
    check("persist-dir-mode", stat("/mnt/e/newdir", &st) == 0 && (st.st_mode & 0777) == 0750, "mode 0750");
    static char back[1 << 20];
    fd = open("/mnt/e/big.bin", O_RDONLY);
    size_t got = 0;
    ssize_t n;
    while (fd >= 0 && got < sizeof back && (n = read(fd, back + got, sizeof back - got)) > 0)
        got += n;
    close(fd);
    check("persist-big", got == sizeof big && memcmp(big, back, sizeof big) == 0, "1 MiB read back");
    check("persist-orphan-freed", access("/mnt/e/held", F_OK) != 0, "held gone");
    char mb[16] = { 0 };
    fd = open("/mnt/e/mapped", O_RDONLY);
    check("persist-map-store", pread(fd, mb, 12, 4090) == 12 && !memcmp(mb, "across-pages", 12), "mapped store on disk");
    close(fd);
    check("umount-2", umount("/mnt/e") == 0, "umount");
    /* read-only */
    check("mount-ro", mount(dev, "/mnt/e", "ext4", MS_RDONLY, NULL) == 0, "mount -o ro");
    check("ro-reads", file_is("/mnt/e/new.txt", "written by kevlar\n"), "read");
    errno = 0;
    check("ro-refuses-create", open("/mnt/e/x", O_CREAT | O_WRONLY, 0644) < 0 && errno == EROFS, "EROFS");
    check("umount-ro", umount("/mnt/e") == 0, "umount");
    /* errors */
    errno = 0;
    check("not-a-block-device", mount("/dev/null", "/mnt/e", "ext4", 0, NULL) < 0 && errno == ENOTBLK, "ENOTBLK");
    errno = 0;
    check("missing-device", mount("/dev/nonexistent", "/mnt/e", "ext4", 0, NULL) < 0 && errno == ENOENT, "ENOENT");
    unlink("/dev/loop7");
    mknod("/dev/loop7", S_IFBLK | 0600, makedev(7, 7));
    errno = 0;
    check("no-such-disk", mount("/dev/loop7", "/mnt/e", "ext4", 0, NULL) < 0 && errno == ENXIO, "ENXIO");
}
