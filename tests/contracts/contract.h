/*
 * contract.h: helpers for contract tests (see tests/contracts/README.md).
 *
 * A contract prints what it observes, one fact per line, so that its
 * output on Linux and on Kevlar can be compared line by line. Print only
 * what is deterministic: return values, errno names, flags, sizes; never
 * pids, addresses, times or anything that depends on the CPU count.
 * stdout is unbuffered, so output order follows program order, also
 * across fork.
 */
#ifndef CONTRACT_H
#define CONTRACT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void contract_unbuffered(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
}

/* The symbolic name of an errno value ("ENOENT"). */
static const char *errname(int e)
{
    static char buf[16];
    switch (e) {
#define E(x) case x: return #x;
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF) E(ECHILD)
    E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(ENOTBLK) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV)
    E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC)
    E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(EDEADLK) E(ENAMETOOLONG) E(ENOLCK)
    E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENOMSG) E(EIDRM) E(ENODATA) E(ETIME) E(EOVERFLOW) E(EBADFD)
    E(EILSEQ) E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE) E(ENOPROTOOPT)
    E(EPROTONOSUPPORT) E(ESOCKTNOSUPPORT) E(ETOOMANYREFS) E(EOPNOTSUPP) E(EAFNOSUPPORT) E(EADDRINUSE) E(EADDRNOTAVAIL) E(ENETDOWN)
    E(ENETUNREACH) E(ECONNABORTED) E(ECONNRESET) E(ENOBUFS) E(EISCONN) E(ENOTCONN) E(ETIMEDOUT)
    E(ECONNREFUSED) E(EHOSTUNREACH) E(EALREADY) E(EINPROGRESS) E(ESTALE) E(EDQUOT) E(ECANCELED)
    E(EOWNERDEAD) E(ENOTRECOVERABLE)
#undef E
    case 0: return "0";
    default: snprintf(buf, sizeof buf, "E%d", e); return buf;
    }
}

/* Prints "label: value" or, for -1, "label: -1 ENAME". */
#define SAY(label, expr)                                                   \
    do {                                                                   \
        errno = 0;                                                         \
        long _r = (long)(expr);                                            \
        if (_r == -1)                                                      \
            printf("%s: -1 %s\n", (label), errname(errno));                \
        else                                                               \
            printf("%s: %ld\n", (label), _r);                              \
    } while (0)

/* Prints "label: ok" if expr is -1-free and true-ish, else the error. */
#define OK(label, expr)                                                    \
    do {                                                                   \
        errno = 0;                                                         \
        long _r = (long)(expr);                                            \
        if (_r == -1)                                                      \
            printf("%s: -1 %s\n", (label), errname(errno));                \
        else                                                               \
            printf("%s: ok\n", (label));                                   \
    } while (0)

/* printf plus a newline. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* How a wait status reads, deterministically. */
static const char *wstatus(int st) __attribute__((unused));
static const char *wstatus(int st)
{
    static char buf[48];
    if ((st & 0x7f) == 0)
        snprintf(buf, sizeof buf, "exited %d", (st >> 8) & 0xff);
    else if ((st & 0xff) == 0x7f)
        snprintf(buf, sizeof buf, "stopped %d", (st >> 8) & 0xff);
    else if (st == 0xffff)
        snprintf(buf, sizeof buf, "continued");
    else
        snprintf(buf, sizeof buf, "signaled %d%s", st & 0x7f, (st & 0x80) ? " core" : "");
    return buf;
}

/* Prints "label: target" for a symlink, or "label: ENAME". */
static void say_link(const char *label, const char *path) __attribute__((unused));
static void say_link(const char *label, const char *path)
{
    char buf[512];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) {
        say("%s: %s", label, errname(errno));
        return;
    }
    buf[n] = 0;
    say("%s: %s", label, buf);
}

#endif
