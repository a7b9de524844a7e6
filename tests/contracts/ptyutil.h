/* Helpers for terminal contracts: a pty pair and readers that wait for
 * the line discipline (Linux hands input to it asynchronously, so a read
 * right after a write on the other side may find nothing yet). */
#ifndef PTYUTIL_H
#define PTYUTIL_H
#include "contract.h"
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <sys/ioctl.h>

/* Opens a pty pair (no controlling terminal); returns 0 or -1. */
static int open_pty(int *m, int *s)
{
    *m = posix_openpt(O_RDWR | O_NOCTTY);
    if (*m < 0 || grantpt(*m) < 0 || unlockpt(*m) < 0)
        return -1;
    *s = open(ptsname(*m), O_RDWR | O_NOCTTY);
    return *s < 0 ? -1 : 0;
}

/* Reads until `want` bytes came or nothing more arrives for `ms`. */
static int read_for(int fd, char *buf, int want, int ms)
{
    int got = 0;
    while (got < want) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, ms) <= 0 || !(p.revents & POLLIN))
            break;
        int n = read(fd, buf + got, want - got);
        if (n <= 0)
            break;
        got += n;
    }
    return got;
}

/* Prints bytes with control characters escaped. */
static void show(const char *label, const char *buf, int n)
{
    printf("%s: %d '", label, n);
    for (int i = 0; i < n; i++) {
        unsigned char c = buf[i];
        if (c == '\n') printf("\\n");
        else if (c == '\r') printf("\\r");
        else if (c == '\t') printf("\\t");
        else if (c < 32 || c >= 127) printf("\\x%02x", c);
        else putchar(c);
    }
    printf("'\n");
}

/* Reads what the other side produced for `want` bytes (or 2 s of quiet:
 * Linux echoes to the master from a work queue, which a loaded host can
 * delay well past a few hundred milliseconds) and shows it. */
static void expect(int fd, const char *label, int want)
{
    char buf[512];
    int n = read_for(fd, buf, want < (int)sizeof buf ? want : (int)sizeof buf, 2000);
    show(label, buf, n);
}

static void set_lflag(int s, tcflag_t on, tcflag_t off)
{
    struct termios t;
    tcgetattr(s, &t);
    t.c_lflag = (t.c_lflag | on) & ~off;
    tcsetattr(s, TCSANOW, &t);
}
#endif
