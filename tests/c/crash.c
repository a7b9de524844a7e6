/*
 * tests/c/crash.c: faulting user processes must die with the right signal
 * (seen by the parent through waitpid), handlers for synchronous faults
 * must run, and the parent must be unaffected.
 *
 * Build: musl-gcc -static -O2 -o crash crash.c
 * Run:   ./crash
 *
 * Prints `PASS: name` / `FAIL: name: detail` per check, then
 * `N passed, M failed`; exits 0 iff every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

#include "kvtest.h"

/* Values the compiler cannot see through, so faults really happen. */
static volatile uintptr_t zero_addr = 0;
static volatile int vzero = 0;
static volatile int vone = 1;

/* Written by children: the parent's copy must not change (copy-on-write). */
static volatile int shared_marker = 1234;

static void describe(char *buf, size_t len, int st)
{
    if (WIFEXITED(st))
        snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        snprintf(buf, len, "raw wait status 0x%x", st);
}

/* Runs fn in a child; returns its wait status, or -1 (after a FAIL) on error. */
static int run_child(const char *name, void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        fail(name, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        fn();
        _exit(99); /* fn should never return */
    }
    int st = 0;
    pid_t r = waitpid(pid, &st, 0);
    if (r != pid) {
        fail(name, "waitpid returned %d: %s", (int)r, strerror(errno));
        return -1;
    }
    return st;
}

static void expect_signal(const char *name, void (*fn)(void), int sig)
{
    int st = run_child(name, fn);
    if (st == -1)
        return;
    char d[128];
    describe(d, sizeof d, st);
    if (WIFSIGNALED(st) && !WIFEXITED(st) && WTERMSIG(st) == sig)
        pass(name);
    else
        fail(name, "expected killed by signal %d (%s), %s", sig, strsignal(sig), d);
}

static void expect_exit(const char *name, void (*fn)(void), int code)
{
    int st = run_child(name, fn);
    if (st == -1)
        return;
    char d[128];
    describe(d, sizeof d, st);
    if (WIFEXITED(st) && !WIFSIGNALED(st) && WEXITSTATUS(st) == code)
        pass(name);
    else
        fail(name, "expected exit status %d, %s", code, d);
}

/* ---- children ---------------------------------------------------------- */

static void child_null_store(void)
{
    shared_marker = 1; /* private to the child */
    *(volatile int *)zero_addr = 42;
}

static void child_null_load(void)
{
    volatile int x = *(volatile int *)(zero_addr + 8);
    (void)x;
}

static void child_kernel_store(void)
{
    *(volatile int *)(zero_addr + 0xffffffff81000000ull) = 1;
}

static void child_noncanonical_load(void)
{
    volatile long x = *(volatile long *)(zero_addr + 0x0000800000000000ull);
    (void)x;
}

static void child_ud2(void)
{
    __builtin_trap();
}

static void child_divzero(void)
{
    volatile int q = vone / vzero;
    (void)q;
}

static void child_abort(void)
{
    abort();
}

static void child_exit42(void)
{
    exit(42);
}

static void child_pause_forever(void)
{
    for (;;)
        pause();
}

static void segv_exit7(int sig)
{
    (void)sig;
    _exit(7);
}

static void child_segv_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = segv_exit7;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) != 0)
        _exit(90);
    *(volatile int *)zero_addr = 1;
    _exit(91);
}

/* SA_SIGINFO: check si_signo, si_code and si_addr of a fault. */
static volatile uintptr_t expected_addr;
static volatile int expected_code;

static void segv_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (sig != SIGSEGV || si->si_signo != SIGSEGV)
        _exit(10);
    if ((uintptr_t)si->si_addr != expected_addr)
        _exit(11);
    if (si->si_code != expected_code)
        _exit(12);
    _exit(8);
}

static void install_segv_info(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv_info;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) != 0)
        _exit(90);
}

static void child_siginfo_unmapped(void)
{
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(92);
    munmap(p, PAGE);
    install_segv_info();
    expected_addr = (uintptr_t)p + 0x123;
    expected_code = SEGV_MAPERR;
    *(volatile char *)(p + 0x123) = 1;
    _exit(91);
}

static void child_siginfo_readonly(void)
{
    char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(92);
    volatile char c = p[0]; /* readable */
    (void)c;
    install_segv_info();
    expected_addr = (uintptr_t)p + 0x40;
    expected_code = SEGV_ACCERR;
    *(volatile char *)(p + 0x40) = 1;
    _exit(91);
}

/* After mprotect(PROT_NONE) even reads fault. */
static void child_prot_none(void)
{
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(92);
    p[0] = 5;
    if (mprotect(p, PAGE, PROT_NONE) != 0)
        _exit(93);
    volatile char c = *(volatile char *)p;
    (void)c;
    _exit(91);
}

/* A handler that returns: execution resumes after the signal (rt_sigreturn). */
static volatile sig_atomic_t usr1_count;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_count++;
}

static void child_handler_returns(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, NULL) != 0)
        _exit(90);
    volatile long before = 0x1122334455667788L;
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    if (usr1_count != 2)
        _exit(20 + usr1_count);
    if (before != 0x1122334455667788L)
        _exit(30);
    _exit(6);
}

/* A blocked signal stays pending until unblocked, then the handler runs. */
static void child_blocked_signal(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, NULL) != 0)
        _exit(90);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    if (usr1_count != 0)
        _exit(40);
    sigset_t pend;
    sigemptyset(&pend);
    sigpending(&pend);
    if (!sigismember(&pend, SIGUSR1))
        _exit(41);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (usr1_count != 1)
        _exit(42 + usr1_count);
    _exit(5);
}

/* An ignored fatal-by-default signal does nothing. */
static void child_ignored_term(void)
{
    signal(SIGTERM, SIG_IGN);
    kill(getpid(), SIGTERM);
    _exit(4);
}

/* ---- main --------------------------------------------------------------- */

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    expect_signal("null-store-sigsegv", child_null_store, SIGSEGV);
    expect_signal("null-load-sigsegv", child_null_load, SIGSEGV);
    expect_signal("kernel-addr-store-sigsegv", child_kernel_store, SIGSEGV);
    expect_signal("noncanonical-load-sigsegv", child_noncanonical_load, SIGSEGV);
    expect_signal("prot-none-read-sigsegv", child_prot_none, SIGSEGV);
    expect_signal("invalid-opcode-sigill", child_ud2, SIGILL);
    expect_signal("divide-by-zero-sigfpe", child_divzero, SIGFPE);
    expect_signal("abort-sigabrt", child_abort, SIGABRT);
    expect_exit("exit-42", child_exit42, 42);
    expect_exit("segv-handler-called", child_segv_handler, 7);
    expect_exit("segv-siginfo-maperr", child_siginfo_unmapped, 8);
    expect_exit("segv-siginfo-accerr", child_siginfo_readonly, 8);
    expect_exit("handler-returns", child_handler_returns, 6);
    expect_exit("blocked-signal-pending", child_blocked_signal, 5);
    expect_exit("ignored-sigterm", child_ignored_term, 4);

    /* A child killed from outside by the parent. */
    {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            child_pause_forever();
            _exit(99);
        }
        if (pid < 0) {
            fail("sigkill-from-parent", "fork: %s", strerror(errno));
        } else {
            kill(pid, SIGKILL);
            int st = 0;
            char d[128];
            if (waitpid(pid, &st, 0) != pid) {
                fail("sigkill-from-parent", "waitpid: %s", strerror(errno));
            } else {
                describe(d, sizeof d, st);
                if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
                    pass("sigkill-from-parent");
                else
                    fail("sigkill-from-parent", "expected signal 9, %s", d);
            }
        }
    }

    /* waitpid with no children left. */
    {
        int st;
        errno = 0;
        pid_t r = waitpid(-1, &st, 0);
        if (r == -1 && errno == ECHILD)
            pass("waitpid-echild");
        else
            fail("waitpid-echild", "expected -1/ECHILD got %d/errno %d", (int)r, errno);
    }

    /* The parent is alive and its memory was not touched by the children. */
    if (shared_marker == 1234)
        pass("parent-memory-intact");
    else
        fail("parent-memory-intact", "expected 1234 got %d", shared_marker);
    if (getppid() > 0 && kill(getpid(), 0) == 0)
        pass("parent-survived");
    else
        fail("parent-survived", "getppid/kill(self, 0) failed: %s", strerror(errno));

    return summary();
}
