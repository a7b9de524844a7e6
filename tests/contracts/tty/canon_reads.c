/* Canonical reads: one line per read, a short buffer takes the line in
 * pieces, VEOL and VEOL2 end lines too, a line is capped at 4095 bytes
 * plus the newline, and FIONREAD counts what is readable. */
#include "ptyutil.h"

int main(void)
{
    int m, s;
    if (open_pty(&m, &s) < 0)
        return 1;
    set_lflag(s, 0, ECHO);
    char buf[8192];
    int n;
    write(m, "one\ntwo\n", 8);
    n = read(s, buf, sizeof buf);
    show("first read", buf, n);
    n = read(s, buf, sizeof buf);
    show("second read", buf, n);

    write(m, "abcdef\n", 7);
    n = read(s, buf, 3);
    show("3 of a line", buf, n);
    n = read(s, buf, sizeof buf);
    show("rest of the line", buf, n);

    struct termios t;
    tcgetattr(s, &t);
    t.c_cc[VEOL] = ';';
    t.c_cc[VEOL2] = '|';
    tcsetattr(s, TCSANOW, &t);
    write(m, "x;y|", 4);
    n = read(s, buf, sizeof buf);
    show("VEOL line", buf, n);
    n = read(s, buf, sizeof buf);
    show("VEOL2 line", buf, n);

    write(m, "pend\nin", 7);
    read_for(s, buf, 0, 0);
    usleep(100000);
    int avail = -1;
    ioctl(s, FIONREAD, &avail);
    say("FIONREAD with a line and a partial one: %d", avail);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);
    write(m, "\n", 1);
    n = read(s, buf, sizeof buf);
    show("read", buf, n);

    /* 5000 bytes then a newline: the line is capped. */
    memset(buf, 'z', 5000);
    int w = write(m, buf, 5000);
    say("wrote long input: %d", w > 0);
    write(m, "\n", 1);
    n = read(s, buf, sizeof buf);
    say("long line read: %d bytes, ends with newline %d", n, n > 0 && buf[n - 1] == '\n');
    return 0;
}
