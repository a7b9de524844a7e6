/*
 * tests/c/efault.c: bad user pointers must make system calls fail with
 * EFAULT, never crash the kernel or the caller.
 *
 * Build: musl-gcc -static -O2 -o efault efault.c
 * Run:   ./efault        (uses $TMPDIR or /tmp for a scratch file)
 *
 * Prints `PASS: name` / `FAIL: name: detail` per check, then
 * `N passed, M failed`; exits 0 iff every check passed.
 *
 * Every call goes through the raw syscall() function so that no libc
 * wrapper (or the vDSO, for clock_gettime) touches the bad pointer first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096

#include "kvtest.h"

/* ret/err are the syscall() result and the errno right after it. */
static void expect_efault(const char *name, long ret, int err)
{
    if (ret == -1 && err == EFAULT)
        pass(name);
    else if (ret == -1)
        fail(name, "expected -1/EFAULT got -1/errno %d (%s)", err, strerror(err));
    else
        fail(name, "expected -1/EFAULT got %ld", ret);
}

static void expect_ret(const char *name, long want, long ret, int err)
{
    if (ret == want)
        pass(name);
    else if (ret == -1)
        fail(name, "expected %ld got -1/errno %d (%s)", want, err, strerror(err));
    else
        fail(name, "expected %ld got %ld", want, ret);
}

struct badptr {
    const char *label;
    uintptr_t addr;
};

/* Filled in main(): wild user addresses, an unmapped page, kernel half. */
static struct badptr bad[16];
static int nbad;

static void add_bad(const char *label, uintptr_t addr)
{
    bad[nbad].label = label;
    bad[nbad].addr = addr;
    nbad++;
}

static char tmpfile_path[512];
static int data_fd = -1;

static void name_for(char *buf, size_t len, const char *what, const char *label)
{
    snprintf(buf, len, "%s-%s", what, label);
}

#define CALL(expr) \
    do { errno = 0; ret = (expr); err = errno; } while (0)

/*
 * Runs execve(path, argv, envp) in a child and reports the errno it got.
 * The child exits 100 + errno if execve failed (so EFAULT -> 114);
 * if execve wrongly succeeds the child runs the target program instead.
 */
static void execve_child(const char *name, const char *path, char *const *argv,
                         char *const *envp)
{
    pid_t pid = fork();
    if (pid < 0) {
        fail(name, "fork failed: %s", strerror(errno));
        return;
    }
    if (pid == 0) {
        syscall(SYS_execve, path, argv, envp);
        _exit(100 + (errno & 0x7f));
    }
    int st = 0;
    if (waitpid(pid, &st, 0) != pid) {
        fail(name, "waitpid failed: %s", strerror(errno));
        return;
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 100 + EFAULT)
        pass(name);
    else if (WIFEXITED(st) && WEXITSTATUS(st) >= 100)
        fail(name, "expected EFAULT got errno %d", WEXITSTATUS(st) - 100);
    else if (WIFEXITED(st))
        fail(name, "execve seems to have succeeded (exit status %d)", WEXITSTATUS(st));
    else
        fail(name, "child killed by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
}

int main(int argc, char **argv)
{
    long ret;
    int err;
    char name[128];
    (void)argc;
    (void)argv;

    /* An address inside a page that was mapped and then unmapped. */
    char *gone = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (gone == MAP_FAILED) {
        printf("FAIL: setup-mmap: %s\n0 passed, 1 failed\n", strerror(errno));
        return 1;
    }
    gone[0] = 1;
    munmap(gone, PAGE);

    add_bad("ptr1", 1);
    add_bad("ptr0x10", 0x10);
    add_bad("unmapped", (uintptr_t)gone + 100);
    add_bad("noncanonical", 0x0000800000000000ull);
    add_bad("kernel-ffff8000", 0xffff800000000000ull);
    add_bad("kernel-ffff8880", 0xffff888000000000ull);
    add_bad("kernel-ffffffff8000", 0xffffffff80000000ull);
    add_bad("kernel-ffffffff8100", 0xffffffff81000000ull);

    /* A scratch file with 3 pages of known data. */
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    snprintf(tmpfile_path, sizeof tmpfile_path, "%s/efault.%d", tmpdir, (int)getpid());
    data_fd = open(tmpfile_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (data_fd < 0) {
        printf("FAIL: setup-tmpfile: open %s: %s\n0 passed, 1 failed\n",
               tmpfile_path, strerror(errno));
        return 1;
    }
    static char pattern[3 * PAGE];
    for (size_t i = 0; i < sizeof pattern; i++)
        pattern[i] = (char)('a' + i % 26);
    if (write(data_fd, pattern, sizeof pattern) != (ssize_t)sizeof pattern) {
        printf("FAIL: setup-write: %s\n0 passed, 1 failed\n", strerror(errno));
        return 1;
    }

    /* Controls: the same calls with good pointers succeed. */
    {
        char buf[16];
        CALL(syscall(SYS_pread64, data_fd, buf, 16, 0));
        expect_ret("control-read", 16, ret, err);
        struct utsname u;
        CALL(syscall(SYS_uname, &u));
        expect_ret("control-uname", 0, ret, err);
        struct timespec ts;
        CALL(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts));
        expect_ret("control-clock_gettime", 0, ret, err);
        struct stat sb;
        CALL(syscall(SYS_newfstatat, AT_FDCWD, tmpfile_path, &sb, 0));
        expect_ret("control-stat", 0, ret, err);
        if (ret == 0 && sb.st_size != 3 * PAGE)
            fail("control-stat-size", "expected %d got %ld", 3 * PAGE, (long)sb.st_size);
        else
            pass("control-stat-size");
    }

    for (int i = 0; i < nbad; i++) {
        void *p = (void *)bad[i].addr;
        const char *l = bad[i].label;

        lseek(data_fd, 0, SEEK_SET);
        name_for(name, sizeof name, "read", l);
        CALL(syscall(SYS_read, data_fd, p, 16));
        expect_efault(name, ret, err);

        /* The file must be unchanged by a failed write. */
        name_for(name, sizeof name, "write", l);
        lseek(data_fd, 0, SEEK_END);
        CALL(syscall(SYS_write, data_fd, p, 16));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "open", l);
        CALL(syscall(SYS_open, p, O_RDONLY));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "openat", l);
        CALL(syscall(SYS_openat, AT_FDCWD, p, O_RDONLY));
        expect_efault(name, ret, err);

        struct stat sb;
        name_for(name, sizeof name, "stat-path", l);
        CALL(syscall(SYS_stat, p, &sb));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "stat-buf", l);
        CALL(syscall(SYS_stat, "/", p));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "newfstatat-path", l);
        CALL(syscall(SYS_newfstatat, AT_FDCWD, p, &sb, 0));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "newfstatat-buf", l);
        CALL(syscall(SYS_newfstatat, AT_FDCWD, "/", p, 0));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "fstat-buf", l);
        CALL(syscall(SYS_fstat, data_fd, p));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "uname", l);
        CALL(syscall(SYS_uname, p));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "clock_gettime", l);
        CALL(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "clock_gettime-realtime", l);
        CALL(syscall(SYS_clock_gettime, CLOCK_REALTIME, p));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "pipe2", l);
        CALL(syscall(SYS_pipe2, p, 0));
        expect_efault(name, ret, err);

        name_for(name, sizeof name, "getcwd", l);
        CALL(syscall(SYS_getcwd, p, 256));
        expect_efault(name, ret, err);
    }

    /* The file must still hold exactly the original 3 pages. */
    {
        struct stat sb;
        CALL(syscall(SYS_fstat, data_fd, &sb));
        if (ret == 0 && sb.st_size == 3 * PAGE)
            pass("failed-writes-left-file-alone");
        else
            fail("failed-writes-left-file-alone", "size %ld ret %ld", (long)sb.st_size, ret);
    }

    /* write() with a bad buffer into a pipe. */
    {
        int pfd[2];
        if (pipe(pfd) == 0) {
            CALL(syscall(SYS_write, pfd[1], (void *)0x10, 8));
            expect_efault("write-pipe-ptr0x10", ret, err);
            CALL(syscall(SYS_write, pfd[1], (void *)0xffff888000000000ull, 8));
            expect_efault("write-pipe-kernel", ret, err);
            /* Nothing may have been queued in the pipe by the failures. */
            char c = 'z';
            syscall(SYS_write, pfd[1], &c, 1);
            char rb[16];
            CALL(syscall(SYS_read, pfd[0], rb, sizeof rb));
            if (ret == 1 && rb[0] == 'z')
                pass("pipe-clean-after-efault");
            else
                fail("pipe-clean-after-efault", "expected 1 byte 'z', got %ld", ret);
            /* read() from a pipe with data into a bad buffer. */
            syscall(SYS_write, pfd[1], "abc", 3);
            CALL(syscall(SYS_read, pfd[0], (void *)0xffffffff81000000ull, 3));
            expect_efault("read-pipe-kernel", ret, err);
            close(pfd[0]);
            close(pfd[1]);
        } else {
            fail("pipe", "pipe() failed: %s", strerror(errno));
        }
    }

    /* execve: bad path, bad argv array, bad string inside argv, bad envp. */
    {
        const char *prog = "/bin/true";
        if (access(prog, X_OK) != 0)
            prog = "/bin/busybox";
        char *good_argv[] = { (char *)"true", NULL };
        char *good_envp[] = { NULL };
        execve_child("execve-path-ptr0x10", (const char *)0x10, good_argv, good_envp);
        execve_child("execve-path-kernel", (const char *)0xffff800000000000ull,
                     good_argv, good_envp);
        execve_child("execve-path-unmapped", gone + 100, good_argv, good_envp);
        execve_child("execve-argv-ptr0x10", prog, (char *const *)0x10, good_envp);
        execve_child("execve-argv-kernel", prog, (char *const *)0xffffffff81000000ull,
                     good_envp);
        char *bad_elem_argv[] = { (char *)"true", (char *)0xffff888000000000ull, NULL };
        execve_child("execve-argv-element-kernel", prog, bad_elem_argv, good_envp);
        execve_child("execve-envp-unmapped", prog, good_argv, (char *const *)(gone + 64));
    }

    /* A few more syscalls taking pointers. */
    {
        CALL(syscall(SYS_nanosleep, (void *)0x10, NULL));
        expect_efault("nanosleep-req", ret, err);
        CALL(syscall(SYS_gettimeofday, (void *)0xffff800000000000ull, NULL));
        expect_efault("gettimeofday-kernel", ret, err);
        CALL(syscall(SYS_rt_sigaction, SIGUSR1, (void *)0x10, NULL, 8));
        expect_efault("rt_sigaction-act", ret, err);
        CALL(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)0xffffffff80000000ull, NULL, 8));
        expect_efault("rt_sigprocmask-set", ret, err);
        CALL(syscall(SYS_chdir, (void *)0x10));
        expect_efault("chdir-path", ret, err);
        CALL(syscall(SYS_mkdir, (void *)0xffff888000000000ull, 0755));
        expect_efault("mkdir-path", ret, err);
        CALL(syscall(SYS_unlink, gone + 8));
        expect_efault("unlink-path", ret, err);
        CALL(syscall(SYS_wait4, -1, (void *)0x10, WNOHANG, NULL));
        /* No children left: Linux reports ECHILD before touching status. */
        expect_ret("wait4-nochild", -1, ret, err);
        if (ret == -1 && err != ECHILD)
            fail("wait4-nochild-errno", "expected ECHILD got %d", err);
        else
            pass("wait4-nochild-errno");
    }

    /*
     * A buffer whose first page is mapped and whose second page is not.
     * Linux copies what fits and returns a short count (4096) for both a
     * read() from and a write() to a regular file; it returns EFAULT only
     * when not a single byte could be transferred.
     */
    {
        char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (two == MAP_FAILED) {
            fail("straddle-setup", "mmap: %s", strerror(errno));
        } else {
            munmap(two + PAGE, PAGE);
            memset(two, 0, PAGE);
            CALL(syscall(SYS_pread64, data_fd, two, 2 * PAGE, 0));
            expect_ret("read-straddle-short", PAGE, ret, err);
            if (memcmp(two, pattern, PAGE) == 0)
                pass("read-straddle-data");
            else
                fail("read-straddle-data", "first page does not match file contents");

            /* Straddling write into a fresh file. */
            char path2[600];
            snprintf(path2, sizeof path2, "%s.w", tmpfile_path);
            int fd2 = open(path2, O_RDWR | O_CREAT | O_TRUNC, 0600);
            if (fd2 < 0) {
                fail("write-straddle", "open %s: %s", path2, strerror(errno));
            } else {
                memcpy(two, pattern, PAGE);
                CALL(syscall(SYS_write, fd2, two, 2 * PAGE));
                expect_ret("write-straddle-short", PAGE, ret, err);
                struct stat sb;
                fstat(fd2, &sb);
                expect_ret("write-straddle-size", PAGE, (long)sb.st_size, 0);
                close(fd2);
                unlink(path2);
            }
            /* Starting exactly at the unmapped page: nothing transferred. */
            CALL(syscall(SYS_pread64, data_fd, two + PAGE, 16, 0));
            expect_efault("read-at-unmapped-page", ret, err);
            munmap(two, PAGE);
        }
    }

    close(data_fd);
    unlink(tmpfile_path);

    /* Still alive after all of that. */
    pass("process-survived");

    return summary();
}
