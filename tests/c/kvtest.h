/*
 * kvtest.h: the output protocol of Kevlar's C test programs.
 *
 * One line per check, `PASS: name` or `FAIL: name: detail`, then
 * `N passed, M failed`; the program exits 0 iff nothing failed. Output is
 * flushed after every line so a crash or hang still shows how far it got.
 */
#ifndef KVTEST_H
#define KVTEST_H

#include <stdarg.h>
#include <stdio.h>

static int npass, nfail;

static void pass(const char *name)
{
    npass++;
    printf("PASS: %s\n", name);
    fflush(stdout);
}

static void vfail(const char *name, const char *fmt, va_list ap)
{
    nfail++;
    printf("FAIL: %s: ", name);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
}

static void fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static void fail(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(name, fmt, ap);
    va_end(ap);
}

/* PASS if `ok`, else FAIL with the formatted detail. */
static void check(const char *name, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4), unused));
static void check(const char *name, int ok, const char *fmt, ...)
{
    if (ok) {
        pass(name);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vfail(name, fmt, ap);
    va_end(ap);
}

/* Prints the summary line; returns the exit status. */
static int summary(void) __attribute__((unused));
static int summary(void)
{
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail != 0;
}

#endif
