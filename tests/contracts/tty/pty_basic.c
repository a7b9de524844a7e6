/* A pseudo-terminal pair: open, grant, unlock, name; data both ways
 * through the line discipline (echo, ONLCR, canonical and raw reads);
 * window size; hangup when a side closes. */
#include "contract.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

static void show(const char *label, const char *buf, int n)
{
    printf("%s: %d bytes '", label, n);
    for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') printf("\\n");
        else if (buf[i] == '\r') printf("\\r");
        else putchar(buf[i]);
    }
    printf("'\n");
}

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    say("posix_openpt: %d", m >= 0);
    SAY("grantpt", grantpt(m));
    SAY("unlockpt", unlockpt(m));
    char *name = ptsname(m);
    say("ptsname under /dev/pts/: %d", name && strncmp(name, "/dev/pts/", 9) == 0);
    int s = open(name, O_RDWR | O_NOCTTY);
    say("open slave: %d", s >= 0);
    say("isatty master %d slave %d", isatty(m), isatty(s));

    char buf[64];
    write(m, "hello\n", 6);
    int n = read(s, buf, sizeof buf);
    show("slave reads a line", buf, n);
    n = read(m, buf, sizeof buf);
    show("master reads the echo", buf, n);
    write(s, "out\n", 4);
    n = read(m, buf, sizeof buf);
    show("master reads slave output", buf, n);

    struct termios t;
    tcgetattr(s, &t);
    say("default lflag ICANON %d ECHO %d, oflag ONLCR %d", !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO), !!(t.c_oflag & ONLCR));
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    SAY("tcsetattr raw", tcsetattr(s, TCSANOW, &t));
    write(m, "ab", 2);
    n = read(s, buf, sizeof buf);
    show("raw read", buf, n);
    fcntl(m, F_SETFL, O_NONBLOCK);
    n = read(m, buf, sizeof buf);
    say("no echo in raw mode: %s", n < 0 ? errname(errno) : "data");

    struct winsize ws = {33, 99, 0, 0}, got;
    SAY("TIOCSWINSZ on master", ioctl(m, TIOCSWINSZ, &ws));
    SAY("TIOCGWINSZ on slave", ioctl(s, TIOCGWINSZ, &got));
    say("slave sees %dx%d", got.ws_row, got.ws_col);
    SAY("TIOCGPTN on slave", ioctl(s, TIOCGPTN, &n));

    close(s);
    fcntl(m, F_SETFL, 0);
    n = read(m, buf, sizeof buf);
    say("master read after slave closed: %d %s", n, n < 0 ? errname(errno) : "");
    int s2 = open(name, O_RDWR | O_NOCTTY);
    close(m);
    n = read(s2, buf, sizeof buf);
    say("slave read after master closed: %d", n);
    n = write(s2, "x", 1);
    say("slave write after master closed: %d %s", n, n < 0 ? errname(errno) : "");
    return 0;
}
