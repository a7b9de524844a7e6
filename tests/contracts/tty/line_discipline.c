/* The canonical line discipline through a pty: erase, kill, word erase,
 * EOF, ICRNL, VMIN/VTIME in raw mode, ECHOCTL. */
#include "ptyutil.h"
#include <fcntl.h>
#include <poll.h>
#include <termios.h>

static int m, s;

/* Reads the echo from the master up to the end of its line: Linux
 * delivers echo to the master asynchronously, in pieces, so one read
 * could see only part of it. */
static void drain_master(const char *label)
{
    char buf[128];
    struct pollfd p = {m, POLLIN, 0};
    int n = 0;
    while ((n == 0 || buf[n - 1] != '\n') && n < (int)sizeof buf && poll(&p, 1, 1000) > 0) {
        int r = read(m, buf + n, sizeof buf - n);
        if (r <= 0)
            break;
        n += r;
    }
    show(label, buf, n);
}

int main(void)
{
    m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    s = open(ptsname(m), O_RDWR | O_NOCTTY);
    char buf[128];
    int n;
    write(m, "abc\177d\n", 6); /* DEL erases 'c' */
    n = read(s, buf, sizeof buf);
    show("erase", buf, n);
    drain_master("echo of erase");
    write(m, "xyz\025ok\n", 7); /* ^U kills the line */
    n = read(s, buf, sizeof buf);
    show("kill", buf, n);
    drain_master("echo of kill");
    write(m, "one two\027three\n", 14); /* ^W erases a word */
    n = read(s, buf, sizeof buf);
    show("werase", buf, n);
    drain_master("echo of werase");
    write(m, "partial\004", 8); /* ^D ends the read without a newline */
    n = read(s, buf, sizeof buf);
    show("eof mid-line", buf, n);
    write(m, "\004", 1); /* ^D on an empty line: end of file */
    n = read(s, buf, sizeof buf);
    show("eof on empty line", buf, n);
    write(m, "cr\r", 3); /* ICRNL: CR becomes NL */
    n = read(s, buf, sizeof buf);
    show("icrnl", buf, n);
    drain_master("drain");

    struct termios t;
    tcgetattr(s, &t);
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    write(m, "12345", 5);
    n = read(s, buf, sizeof buf);
    show("VMIN=3 with 5 ready", buf, n);
    t.c_cc[VMIN] = 0;
    tcsetattr(s, TCSANOW, &t);
    n = read(s, buf, sizeof buf);
    show("VMIN=0 VTIME=0 nothing ready", buf, n);
    t.c_lflag |= ECHO | ECHOCTL | ICANON;
    tcsetattr(s, TCSANOW, &t);
    write(m, "\001\n", 2);
    n = read(s, buf, sizeof buf);
    show("control char", buf, n);
    drain_master("echoctl");
    return 0;
}
