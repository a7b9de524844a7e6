/*
 * inotify.h: reading and printing inotify events deterministically (for
 * the inotify contracts). Include after contract.h and events.h.
 */
#ifndef INOTIFY_TEST_H
#define INOTIFY_TEST_H

#include <stdint.h>
#include <sys/inotify.h>

static const char *inmask(uint32_t m)
{
    static char buf[256];
    static const struct { uint32_t bit; const char *name; } bits[] = {
        {IN_ACCESS, "ACCESS"}, {IN_MODIFY, "MODIFY"}, {IN_ATTRIB, "ATTRIB"},
        {IN_CLOSE_WRITE, "CLOSE_WRITE"}, {IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"}, {IN_OPEN, "OPEN"},
        {IN_MOVED_FROM, "MOVED_FROM"}, {IN_MOVED_TO, "MOVED_TO"}, {IN_CREATE, "CREATE"},
        {IN_DELETE, "DELETE"}, {IN_DELETE_SELF, "DELETE_SELF"}, {IN_MOVE_SELF, "MOVE_SELF"},
        {IN_UNMOUNT, "UNMOUNT"}, {IN_Q_OVERFLOW, "Q_OVERFLOW"}, {IN_IGNORED, "IGNORED"},
        {IN_ISDIR, "ISDIR"},
    };
    buf[0] = 0;
    for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++)
        if (m & bits[i].bit) {
            if (buf[0])
                strcat(buf, "|");
            strcat(buf, bits[i].name);
            m &= ~bits[i].bit;
        }
    if (m) {
        char rest[24];
        snprintf(rest, sizeof rest, "|%#x", m);
        strcat(buf, rest);
    }
    return buf[0] ? buf : "0";
}

/* Cookies are printed as c1, c2, ... in order of first appearance. */
static uint32_t cookies[32];
static int ncookies;

static int cookie_no(uint32_t c)
{
    for (int i = 0; i < ncookies; i++)
        if (cookies[i] == c)
            return i + 1;
    if (ncookies < 32)
        cookies[ncookies++] = c;
    return ncookies;
}

/* Reads everything queued on a non-blocking inotify fd and prints one
 * line per event: wd, mask, cookie, len, name. Returns the count. */
static int drain(const char *label, int fd)
{
    char buf[8192] __attribute__((aligned(8)));
    int count = 0;
    say("%s:", label);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN)
                say("  read: %s", errname(errno));
            break;
        }
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *)p;
            char ck[16] = "0";
            if (e->cookie)
                snprintf(ck, sizeof ck, "c%d", cookie_no(e->cookie));
            say("  wd %d %s cookie %s len %u name '%s'", e->wd, inmask(e->mask), ck, e->len, e->len ? e->name : "");
            p += sizeof *e + e->len;
            count++;
        }
    }
    if (!count)
        say("  (none)");
    return count;
}

#endif
