/*
 * events.h: helpers shared by the events and pipes contracts.
 *
 * Symbolic names for poll and epoll event bits (so outputs read as
 * "IN|RDNORM" rather than numbers), raw wrappers for calls musl has no
 * wrapper for (pidfd_open, pidfd_send_signal, epoll_pwait2, the old
 * single-purpose numbers), and small timing helpers. Include after
 * contract.h. Nothing here prints anything that depends on timing.
 */
#ifndef EVENTS_H
#define EVENTS_H

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef EPOLLEXCLUSIVE
#define EPOLLEXCLUSIVE (1u << 28)
#endif

static int pidfd_open(pid_t pid, unsigned flags) __attribute__((unused));
static int pidfd_open(pid_t pid, unsigned flags)
{
    return syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned flags) __attribute__((unused));
static int pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned flags)
{
    return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

/* poll(2) revents as names, in bit order. */
static const char *pollname(int ev) __attribute__((unused));
static const char *pollname(int ev)
{
    /* A few buffers in turn, so one printf may show several results. */
    static char bufs[6][128];
    static int turn;
    char *buf = bufs[turn++ % 6];
    static const struct { int bit; const char *name; } bits[] = {
        {POLLIN, "IN"}, {POLLPRI, "PRI"}, {POLLOUT, "OUT"}, {POLLERR, "ERR"},
        {POLLHUP, "HUP"}, {POLLNVAL, "NVAL"}, {POLLRDNORM, "RDNORM"},
        {POLLRDBAND, "RDBAND"}, {POLLWRNORM, "WRNORM"}, {POLLWRBAND, "WRBAND"},
        {0x2000, "RDHUP"},
    };
    buf[0] = 0;
    for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        if (ev & bits[i].bit) {
            if (buf[0])
                strcat(buf, "|");
            strcat(buf, bits[i].name);
            ev &= ~bits[i].bit;
        }
    }
    if (ev) {
        char rest[24];
        snprintf(rest, sizeof rest, "%s%#x", buf[0] ? "|" : "", ev);
        strcat(buf, rest);
    }
    if (!buf[0])
        strcpy(buf, "none");
    return buf;
}

/* The readiness of one descriptor right now (poll with a zero timeout),
 * asking for everything. */
static const char *ready(int fd) __attribute__((unused));
static const char *ready(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLWRNORM | 0x2000};
    int n = poll(&p, 1, 0);
    if (n < 0)
        return errname(errno);
    return pollname(p.revents);
}

/* Milliseconds of sleep (restarted after signals). */
static void sleep_ms(long ms) __attribute__((unused));
static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        ;
}

/* CLOCK_MONOTONIC in milliseconds (only ever used for lower bounds). */
static long now_ms(void) __attribute__((unused));
static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* One epoll_wait with a timeout; prints "label: n" and each event as
 * data:EVENTS. */
static int show_wait(const char *label, int ep, int maxev, int timeout_ms) __attribute__((unused));
static int show_wait(const char *label, int ep, int maxev, int timeout_ms)
{
    struct epoll_event ev[16];
    if (maxev > 16)
        maxev = 16;
    int n = epoll_wait(ep, ev, maxev, timeout_ms);
    if (n < 0) {
        printf("%s: -1 %s\n", label, errname(errno));
        return n;
    }
    printf("%s: %d", label, n);
    for (int i = 0; i < n; i++)
        printf(" [%llu:%s]", (unsigned long long)ev[i].data.u64, pollname(ev[i].events));
    printf("\n");
    return n;
}

/* Adds fd to ep with the given events and data = fd. */
static int ep_add(int ep, int fd, unsigned events) __attribute__((unused));
static int ep_add(int ep, int fd, unsigned events)
{
    struct epoll_event e = {.events = events, .data.u64 = (uint64_t)fd};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static int ep_mod(int ep, int fd, unsigned events) __attribute__((unused));
static int ep_mod(int ep, int fd, unsigned events)
{
    struct epoll_event e = {.events = events, .data.u64 = (uint64_t)fd};
    return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
}

#endif
