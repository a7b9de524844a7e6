/*
 * bench: Kevlar's micro-benchmarks, the same binary on Kevlar and Linux
 * (tools/bench.py boots both in one QEMU configuration and compares).
 *
 *   bench            smoke mode (the test suite): every benchmark runs a
 *                    few iterations; `PASS: name` or `FAIL: name`, then
 *                    `N passed, M failed`. A benchmark the kernel cannot
 *                    run yet (n/a) passes: the smoke checks the runner.
 *   bench --full     measure: `BENCH <name> <ns per op>` or
 *                    `BENCH <name> n/a <reason>` per benchmark.
 *
 * It works in ./bench-work (made here) and takes the programs it execs
 * and the tar file it extracts from /usr/lib/kvbench (put there by
 * tools/bench.py; without them those benchmarks are n/a).
 *
 * Iteration counts are fixed (no calibration), so under QEMU's -icount
 * the guest executes the same instructions every run. Timing uses
 * CLOCK_MONOTONIC around the whole loop.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifndef FUTEX_WAIT_PRIVATE
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#endif

static int smoke = 1;
static const char *na_reason;

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Each benchmark runs `n` operations and returns 0, or -1 (n/a, with
 * na_reason set) when the kernel cannot do it. */
typedef int (*bench_fn)(long n);

static volatile long sink;

static int b_getpid(long n) { for (long i = 0; i < n; i++) sink += getpid(); return 0; }
static int b_gettid(long n) { for (long i = 0; i < n; i++) sink += syscall(SYS_gettid); return 0; }
static int b_getuid(long n) { for (long i = 0; i < n; i++) sink += getuid(); return 0; }
static int b_clock_vdso(long n)
{
    struct timespec t;
    for (long i = 0; i < n; i++) { clock_gettime(CLOCK_MONOTONIC, &t); sink += t.tv_nsec; }
    return 0;
}
static int b_clock_syscall(long n)
{
    struct timespec t;
    for (long i = 0; i < n; i++) { syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t); sink += t.tv_nsec; }
    return 0;
}
static int b_gettimeofday(long n)
{
    struct timeval tv;
    for (long i = 0; i < n; i++) { gettimeofday(&tv, NULL); sink += tv.tv_usec; }
    return 0;
}
static int b_uname(long n) { struct utsname u; for (long i = 0; i < n; i++) uname(&u); return 0; }

static int dev_null = -1, dev_zero = -1;
static char page[4096];
static int b_read_null(long n) { for (long i = 0; i < n; i++) sink += read(dev_null, page, 1); return 0; }
static int b_write_null(long n) { for (long i = 0; i < n; i++) sink += write(dev_null, page, 1); return 0; }
static int b_read_zero(long n) { for (long i = 0; i < n; i++) sink += read(dev_zero, page, sizeof page); return 0; }
static int b_write_zero(long n) { for (long i = 0; i < n; i++) sink += write(dev_zero, page, sizeof page); return 0; }

static int b_open_close(long n)
{
    for (long i = 0; i < n; i++) {
        int fd = open("bench-work/file", O_RDONLY);
        if (fd < 0) { na_reason = "open failed"; return -1; }
        close(fd);
    }
    return 0;
}
static int b_stat(long n) { struct stat st; for (long i = 0; i < n; i++) stat("bench-work/file", &st); return 0; }
static int b_fstat(long n)
{
    struct stat st;
    int fd = open("bench-work/file", O_RDONLY);
    for (long i = 0; i < n; i++) fstat(fd, &st);
    close(fd);
    return 0;
}
static int b_getdents(long n)
{
    char buf[32768];
    for (long i = 0; i < n; i++) {
        int fd = open("bench-work/dir", O_RDONLY | O_DIRECTORY);
        long got;
        while ((got = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
            sink += got;
        close(fd);
    }
    return 0;
}
static int b_create_unlink(long n)
{
    for (long i = 0; i < n; i++) {
        int fd = open("bench-work/tmp-cu", O_CREAT | O_WRONLY | O_TRUNC, 0644);
        close(fd);
        unlink("bench-work/tmp-cu");
    }
    return 0;
}
static int b_rename(long n)
{
    close(open("bench-work/tmp-a", O_CREAT | O_WRONLY, 0644));
    for (long i = 0; i < n; i++) {
        rename("bench-work/tmp-a", "bench-work/tmp-b");
        rename("bench-work/tmp-b", "bench-work/tmp-a");
    }
    unlink("bench-work/tmp-a");
    return 0;
}

/* A one-byte ping-pong between two processes over a pair of channels. */
static int ping_pong(int a0, int a1, int b0, int b1, long n)
{
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        for (long i = 0; i < n; i++) {
            if (read(a1, &c, 1) != 1) _exit(1);
            write(b0, &c, 1);
        }
        _exit(0);
    }
    char c = 'x';
    for (long i = 0; i < n; i++) {
        write(a0, &c, 1);
        read(b1, &c, 1);
    }
    int st;
    waitpid(pid, &st, 0);
    return 0;
}
static int b_pipe_pingpong(long n)
{
    int p[2], q[2];
    pipe(p);
    pipe(q);
    ping_pong(p[1], p[0], q[1], q[0], n);
    close(p[0]); close(p[1]); close(q[0]); close(q[1]);
    return 0;
}
static int b_unix_pingpong(long n)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) { na_reason = "no socketpair"; return -1; }
    ping_pong(sv[0], sv[1], sv[1], sv[0], n);
    close(sv[0]); close(sv[1]);
    return 0;
}
static int b_eventfd(long n)
{
    int e = eventfd(0, 0);
    uint64_t v = 1;
    for (long i = 0; i < n; i++) { write(e, &v, 8); read(e, &v, 8); }
    close(e);
    return 0;
}
static int b_epoll_ready(long n)
{
    int e = eventfd(1, 0), ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
    for (long i = 0; i < n; i++) sink += epoll_wait(ep, &out, 1, 0);
    close(ep); close(e);
    return 0;
}
static int b_poll_ready(long n)
{
    int e = eventfd(1, 0);
    struct pollfd p = { e, POLLIN, 0 };
    for (long i = 0; i < n; i++) sink += poll(&p, 1, 0);
    close(e);
    return 0;
}
static int b_brk(long n)
{
    /* The raw call: musl's sbrk refuses to move the break. */
    char *cur = (char *)syscall(SYS_brk, 0);
    for (long i = 0; i < n; i++) {
        syscall(SYS_brk, cur + 65536);
        syscall(SYS_brk, cur);
    }
    return 0;
}
static int b_mmap_munmap(long n)
{
    for (long i = 0; i < n; i++) {
        void *p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        munmap(p, 65536);
    }
    return 0;
}
static int b_page_fault(long n)
{
    char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { na_reason = "mmap failed"; return -1; }
    for (long i = 0; i < n; i++) p[i * 4096] = 1;
    munmap(p, n * 4096);
    return 0;
}
static int b_mprotect(long n)
{
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 1;
    for (long i = 0; i < n; i++) {
        mprotect(p, 8192, PROT_READ);
        mprotect(p, 8192, PROT_READ | PROT_WRITE);
    }
    munmap(p, 8192);
    return 0;
}
static int b_fork_wait(long n)
{
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        int st;
        waitpid(pid, &st, 0);
    }
    return 0;
}
static int spawn(const char *path, long n)
{
    for (long i = 0; i < n; i++) {
        pid_t pid = vfork();
        if (pid == 0) {
            execl(path, path, (char *)NULL);
            _exit(127);
        }
        int st;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { na_reason = "exec failed"; return -1; }
    }
    return 0;
}
static int b_exec_static(long n) { return spawn("/usr/lib/kvbench/true-static", n); }
static int b_exec_dynamic(long n) { return spawn("/usr/lib/kvbench/true-dynamic", n); }

static void *thread_body(void *arg) { return arg; }
static int b_thread(long n)
{
    for (long i = 0; i < n; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, thread_body, NULL)) { na_reason = "pthread_create failed"; return -1; }
        pthread_join(t, NULL);
    }
    return 0;
}

static _Atomic int fword;
static long futex_rounds;
static void *futex_partner(void *arg)
{
    (void)arg;
    for (long i = 0; i < futex_rounds; i++) {
        while (fword != 1) syscall(SYS_futex, &fword, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
        fword = 0;
        syscall(SYS_futex, &fword, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    }
    return NULL;
}
static int b_futex(long n)
{
    pthread_t t;
    futex_rounds = n;
    fword = 0;
    pthread_create(&t, NULL, futex_partner, NULL);
    for (long i = 0; i < n; i++) {
        fword = 1;
        syscall(SYS_futex, &fword, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        while (fword != 0) syscall(SYS_futex, &fword, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
    }
    pthread_join(t, NULL);
    return 0;
}

static void on_usr1(int s) { sink += s; }
static int b_signal(long n)
{
    struct sigaction sa = { .sa_handler = on_usr1 };
    for (long i = 0; i < n; i++) {
        sigaction(SIGUSR1, &sa, NULL);
        kill(getpid(), SIGUSR1);
    }
    return 0;
}
static int b_yield(long n) { for (long i = 0; i < n; i++) sched_yield(); return 0; }

static int b_pipe_1mib(long n)
{
    static char buf[65536];
    for (long r = 0; r < n; r++) {
        int p[2];
        pipe(p);
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            for (int i = 0; i < 16; i++) write(p[1], buf, sizeof buf);
            _exit(0);
        }
        close(p[1]);
        long got = 0, k;
        while ((k = read(p[0], buf, sizeof buf)) > 0) got += k;
        close(p[0]);
        int st;
        waitpid(pid, &st, 0);
        sink += got;
    }
    return 0;
}
static int shell(const char *cmd, long n)
{
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
            _exit(127);
        }
        int st;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { na_reason = "shell command failed"; return -1; }
    }
    return 0;
}
static int b_tar(long n) { return shell("rm -rf bench-work/x && mkdir bench-work/x && tar -xf /usr/lib/kvbench/tree.tar -C bench-work/x", n); }
static int b_shell_true(long n) { return shell("i=0; while [ $i -lt 100 ]; do true; i=$((i+1)); done", n); }

struct bench {
    const char *name;
    bench_fn fn;
    long full;   /* iterations when measuring */
};

static const struct bench BENCHES[] = {
    { "getpid", b_getpid, 20000 },
    { "gettid", b_gettid, 20000 },
    { "getuid", b_getuid, 20000 },
    { "clock_gettime_libc", b_clock_vdso, 20000 },
    { "clock_gettime_syscall", b_clock_syscall, 20000 },
    { "gettimeofday", b_gettimeofday, 20000 },
    { "uname", b_uname, 10000 },
    { "read_dev_null", b_read_null, 10000 },
    { "write_dev_null", b_write_null, 10000 },
    { "read_dev_zero_4k", b_read_zero, 5000 },
    { "write_dev_zero_4k", b_write_zero, 5000 },
    { "open_close", b_open_close, 5000 },
    { "stat", b_stat, 5000 },
    { "fstat", b_fstat, 10000 },
    { "getdents64_1000", b_getdents, 50 },
    { "create_unlink", b_create_unlink, 2000 },
    { "rename", b_rename, 2000 },
    { "pipe_pingpong", b_pipe_pingpong, 2000 },
    { "unix_pingpong", b_unix_pingpong, 2000 },
    { "eventfd_rw", b_eventfd, 10000 },
    { "epoll_wait_ready", b_epoll_ready, 10000 },
    { "poll_ready", b_poll_ready, 10000 },
    { "brk_grow_shrink", b_brk, 5000 },
    { "mmap_munmap", b_mmap_munmap, 5000 },
    { "page_fault", b_page_fault, 5000 },
    { "mprotect", b_mprotect, 5000 },
    { "fork_exit_wait", b_fork_wait, 200 },
    { "vfork_exec_static", b_exec_static, 100 },
    { "exec_dynamic", b_exec_dynamic, 50 },
    { "thread_create_join", b_thread, 500 },
    { "futex_pingpong", b_futex, 2000 },
    { "signal_self", b_signal, 5000 },
    { "sched_yield", b_yield, 10000 },
    { "pipe_1mib", b_pipe_1mib, 10 },
    { "tar_extract", b_tar, 5 },
    { "shell_true_x100", b_shell_true, 3 },
};

/* The files some benchmarks use (made here, so the program needs only
 * a writable /bench directory, which it creates). */
static int setup(void)
{
    mkdir("bench-work", 0755);
    int fd = open("bench-work/file", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    write(fd, "bench\n", 6);
    close(fd);
    mkdir("bench-work/dir", 0755);
    char name[64];
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "bench-work/dir/entry-%04d", i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    dev_null = open("/dev/null", O_RDWR);
    dev_zero = open("/dev/zero", O_RDWR);
    return dev_null >= 0 && dev_zero >= 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    smoke = !(argc > 1 && strcmp(argv[1], "--full") == 0);
    const char *only = argc > 2 ? argv[2] : NULL;
    if (setup() < 0) {
        printf("FAIL: setup: %s\n0 passed, 1 failed\n", strerror(errno));
        return 1;
    }
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof BENCHES / sizeof BENCHES[0]; i++) {
        const struct bench *b = &BENCHES[i];
        if (only && strcmp(only, b->name) != 0)
            continue;
        long n = smoke ? 2 : b->full;
        na_reason = NULL;
        uint64_t t0 = now_ns();
        int r = b->fn(n);
        uint64_t t1 = now_ns();
        if (smoke) {
            /* n/a is a pass here: the runner must work, not the feature. */
            if (r < 0)
                printf("PASS: %s (n/a: %s)\n", b->name, na_reason ? na_reason : "unsupported");
            else
                printf("PASS: %s\n", b->name);
            passed++;
        } else if (r < 0) {
            printf("BENCH %s n/a %s\n", b->name, na_reason ? na_reason : "unsupported");
        } else {
            printf("BENCH %s %.1f\n", b->name, (double)(t1 - t0) / (double)n);
        }
    }
    if (smoke)
        printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
