/*
 * oom.c: running out of physical memory kills the process that needed the
 * page with SIGKILL (from a page fault, from a fault inside a system call,
 * from MAP_POPULATE, from a copy-on-write break, in shared memory), never
 * the kernel; the memory comes back and the machine goes on working.
 *
 * Only meaningful on a small machine: inside Kevlar's guest (1 GiB) it
 * touches more memory than there is. Elsewhere (the host Linux with many
 * GiB, where the OOM killer may also pick another process) it reports the
 * checks as skipped and passes; the deterministic side of out-of-memory
 * (ENOMEM under RLIMIT_AS) is the contract memory/oom_rlimit.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "kvtest.h"

#define PG 4096UL

static unsigned long total_bytes;

static unsigned long free_bytes(void)
{
    struct sysinfo si;
    sysinfo(&si);
    return si.freeram * si.mem_unit;
}

/* Touches `len` bytes of `p`, one store per page. */
static void touch(char *p, unsigned long len)
{
    for (unsigned long off = 0; off < len; off += PG)
        p[off] = 1;
}

/* Runs `fn` in a child and returns its wait status. */
static int in_child(void (*fn)(void))
{
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return st;
}

static int killed(int st)
{
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
}

static void describe(char *buf, size_t n, int st)
{
    if (WIFSIGNALED(st))
        snprintf(buf, n, "killed by signal %d", WTERMSIG(st));
    else
        snprintf(buf, n, "exited %d", WEXITSTATUS(st));
}

/* More than all memory, reserved without accounting, touched page by
 * page: the fault that finds no page must kill. */
static void exhaust_by_faults(void)
{
    unsigned long len = 2 * total_bytes;
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        _exit(2);
    touch(p, len);
    _exit(3); /* survived touching twice the machine's memory */
}

/* The same, but the pages are first touched by the kernel copying into
 * them (read from /dev/zero): the fault inside the system call kills. */
static void exhaust_in_syscall(void)
{
    unsigned long len = 2 * total_bytes;
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    int fd = open("/dev/zero", O_RDONLY);
    if (p == MAP_FAILED || fd < 0)
        _exit(2);
    for (unsigned long off = 0; off < len; off += 1 << 20)
        if (read(fd, p + off, 1 << 20) < 0)
            _exit(4);
    _exit(3);
}

/* MAP_POPULATE asks the kernel to fault everything in at once: the
 * process asking is the one that dies. */
static void exhaust_by_populate(void)
{
    unsigned long len = 2 * total_bytes;
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED)
        _exit(2);
    _exit(3);
}

/* Shared anonymous memory: its pages come from its own object. */
static void exhaust_shared(void)
{
    unsigned long len = 2 * total_bytes;
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        _exit(2);
    touch(p, len);
    _exit(3);
}

/* Copy-on-write: a parent holding 60% of memory forks; the child writes
 * every page, needing 60% more. The child must die, the parent live. */
static void exhaust_by_cow(void)
{
    unsigned long len = total_bytes / 10 * 6;
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(2);
    touch(p, len);
    pid_t pid = fork();
    if (pid == 0) {
        for (unsigned long off = 0; off < len; off += PG)
            p[off] = 2;
        _exit(3);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    /* The parent's pages are intact. */
    for (unsigned long off = 0; off < len; off += PG)
        if (p[off] != 1)
            _exit(5);
    _exit(killed(st) ? 0 : 6);
}

/* A healthy workload after the storms: 256 MiB touched and checked. */
static void normal_work(void)
{
    unsigned long len = 256UL << 20;
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(2);
    for (unsigned long off = 0; off < len; off += PG)
        p[off] = (char)(off >> 12);
    for (unsigned long off = 0; off < len; off += PG)
        if (p[off] != (char)(off >> 12))
            _exit(3);
    _exit(0);
}

/* Every way of running out, each in its own child. */
static void storm(int round)
{
    char name[96], d[96];
    int st;

    st = in_child(exhaust_by_faults);
    describe(d, sizeof d, st);
    snprintf(name, sizeof name, "page-fault-oom-kills-with-sigkill-%d", round);
    check(name, killed(st), "child %s", d);

    st = in_child(exhaust_in_syscall);
    describe(d, sizeof d, st);
    snprintf(name, sizeof name, "oom-inside-read-kills-with-sigkill-%d", round);
    check(name, killed(st), "child %s", d);

    st = in_child(exhaust_by_populate);
    describe(d, sizeof d, st);
    snprintf(name, sizeof name, "populate-oom-kills-with-sigkill-%d", round);
    check(name, killed(st), "child %s", d);

    st = in_child(exhaust_shared);
    describe(d, sizeof d, st);
    snprintf(name, sizeof name, "shared-memory-oom-kills-with-sigkill-%d", round);
    check(name, killed(st), "child %s", d);

    st = in_child(exhaust_by_cow);
    describe(d, sizeof d, st);
    snprintf(name, sizeof name, "cow-oom-kills-the-writer-not-the-owner-%d", round);
    check(name, WIFEXITED(st) && WEXITSTATUS(st) == 0, "parent of the writer %s", d);

    /* Two at once: both die in the end, one after the other, and the
     * parent lives. */
    pid_t a = fork();
    if (a == 0)
        exhaust_by_faults();
    pid_t b = fork();
    if (b == 0)
        exhaust_by_faults();
    int sa = 0, sb = 0;
    waitpid(a, &sa, 0);
    waitpid(b, &sb, 0);
    snprintf(name, sizeof name, "two-hogs-both-killed-%d", round);
    check(name, killed(sa) && killed(sb), "statuses %#x %#x", sa, sb);
}

int main(void)
{
    struct utsname u;
    uname(&u);
    struct sysinfo si;
    sysinfo(&si);
    total_bytes = si.totalram * si.mem_unit;
    if (!strstr(u.release, "kevlar") || total_bytes > (4UL << 30)) {
        printf("oom: skipped (not inside Kevlar's small guest: %s, %lu MiB)\n", u.release, total_bytes >> 20);
        return summary();
    }
    /* Two rounds: the first also grows the kernel's own structures to
     * their high-water mark (the kernel heap keeps what it grew), the
     * second must then give back everything it took. */
    unsigned long after_round[2];
    for (int round = 1; round <= 2; round++) {
        storm(round);
        after_round[round - 1] = free_bytes();
        printf("oom: round %d done, free memory %lu KiB\n", round, after_round[round - 1] >> 10);
    }
    char d[96];
    int st = in_child(normal_work);
    describe(d, sizeof d, st);
    check("memory-usable-afterwards", WIFEXITED(st) && WEXITSTATUS(st) == 0, "256 MiB worker %s", d);
    long lost_kib = ((long)after_round[0] - (long)after_round[1]) / 1024;
    check("memory-comes-back", lost_kib < 1024, "free memory fell by %ld KiB in the second round", lost_kib);
    return summary();
}
