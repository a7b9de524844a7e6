/*
 * memprobe.h: touch memory and report what happened, for the memory
 * contracts (tests/contracts/memory/).
 *
 * probe_read(p) / probe_write(p, v) / probe_exec(fn) perform one access
 * and return "ok" (probe_read: "ok N" with the byte read; probe_exec:
 * "ok N" with the function's result), or the signal it raised as
 * "SIGSEGV SEGV_MAPERR",
 * "SIGSEGV SEGV_ACCERR", "SIGBUS BUS_ADRERR" ..., followed by " (at p)"
 * when si_addr is the probed address and " (elsewhere)" when not. A
 * SIGSEGV/SIGBUS handler catches the fault and siglongjmp()s back, so one
 * process can probe many times. Never prints an address. The result
 * string is static: use one probe per printf.
 */
#ifndef MEMPROBE_H
#define MEMPROBE_H

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

static sigjmp_buf probe_env;
static volatile int probe_signo, probe_code;
static void *volatile probe_addr;
static char probe_buf[80];

static void probe_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    probe_signo = sig;
    probe_code = si->si_code;
    probe_addr = si->si_addr;
    siglongjmp(probe_env, 1);
}

static void probe_install(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = probe_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, 0);
    sigaction(SIGBUS, &sa, 0);
}

static const char *probe_describe(const void *p)
{
    const char *sig = probe_signo == SIGSEGV ? "SIGSEGV" : probe_signo == SIGBUS ? "SIGBUS" : "signal?";
    const char *code = "?";
    if (probe_signo == SIGSEGV)
        code = probe_code == SEGV_MAPERR ? "SEGV_MAPERR" : probe_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other";
    else if (probe_signo == SIGBUS)
        code = probe_code == BUS_ADRERR ? "BUS_ADRERR" : probe_code == BUS_OBJERR ? "BUS_OBJERR" : "other";
    snprintf(probe_buf, sizeof probe_buf, "%s %s (%s)", sig, code, probe_addr == p ? "at p" : "elsewhere");
    return probe_buf;
}

/* Loads one byte at p. */
static __attribute__((unused)) const char *probe_read(const void *p)
{
    probe_install();
    if (sigsetjmp(probe_env, 1))
        return probe_describe(p);
    int v = *(const volatile unsigned char *)p;
    snprintf(probe_buf, sizeof probe_buf, "ok %d", v);
    return probe_buf;
}

/* Stores v at p. */
static __attribute__((unused)) const char *probe_write(void *p, unsigned char v)
{
    probe_install();
    if (sigsetjmp(probe_env, 1))
        return probe_describe(p);
    *(volatile unsigned char *)p = v;
    return "ok";
}

/* Calls the function at p (which returns an int). */
static __attribute__((unused)) const char *probe_exec(void *p)
{
    probe_install();
    if (sigsetjmp(probe_env, 1))
        return probe_describe(p);
    int (*volatile fn)(void) = (int (*)(void))p;
    int v = fn();
    snprintf(probe_buf, sizeof probe_buf, "ok %d", v);
    return probe_buf;
}

/* A fixed playground far from anything either kernel places by itself
 * (Linux and Kevlar put mmap regions near the top of the address space,
 * programs and brk near the bottom). */
#define PLAYGROUND ((char *)0x200000000000UL)
#define PG 4096UL

/* Maps len bytes exactly at addr (MAP_FIXED_NOREPLACE), anonymous private
 * read-write; returns addr or MAP_FAILED. */
static __attribute__((unused)) char *map_at(char *addr, size_t len, int prot, int flags)
{
    return mmap(addr, len, prot, flags | MAP_FIXED_NOREPLACE, -1, 0);
}

/* Whether each of n pages from p is resident (mincore), as a string of
 * 0/1 ("-" on error). */
static __attribute__((unused)) const char *resident(void *p, size_t n)
{
    static char out[256];
    unsigned char vec[256];
    if (n > 255)
        n = 255;
    if (mincore(p, n * PG, vec) != 0) {
        snprintf(out, sizeof out, "- %s", errname(errno));
        return out;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (vec[i] & 1) ? '1' : '0';
    out[n] = 0;
    return out;
}

#endif
