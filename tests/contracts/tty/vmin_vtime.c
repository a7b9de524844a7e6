/* Non-canonical reads (termios(3)): VMIN=0 VTIME=0 returns what is there;
 * VMIN=0 VTIME>0 waits that long for a first byte, then returns 0; VMIN>0
 * VTIME=0 waits for VMIN bytes; VMIN>0 VTIME>0 returns early when the
 * gap after a byte exceeds VTIME; O_NONBLOCK gives EAGAIN when empty;
 * a read never returns more than asked. */
#include "ptyutil.h"
#include <sys/wait.h>

static int m, s;

static void mode(int vmin, int vtime)
{
    struct termios t;
    tcgetattr(s, &t);
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = vmin;
    t.c_cc[VTIME] = vtime;
    tcsetattr(s, TCSANOW, &t);
}

/* Writes `text` to the master after the parent has had time to block. */
static pid_t later(const char *text)
{
    pid_t c = fork();
    if (c == 0) {
        usleep(100000);
        write(m, text, strlen(text));
        _exit(0);
    }
    return c;
}

int main(void)
{
    if (open_pty(&m, &s) < 0)
        return 1;
    char buf[64];
    int n, st;

    mode(0, 0);
    SAY("VMIN=0 VTIME=0 empty", read(s, buf, sizeof buf));
    write(m, "xy", 2);
    read_for(s, buf, 0, 0);
    usleep(50000);
    n = read(s, buf, sizeof buf);
    show("VMIN=0 VTIME=0 with data", buf, n);

    mode(0, 1);
    SAY("VMIN=0 VTIME=1 empty (times out)", read(s, buf, sizeof buf));
    mode(0, 10);
    pid_t c = later("late");
    n = read(s, buf, sizeof buf);
    say("VMIN=0 VTIME=10 data arrives: %d", n > 0);
    waitpid(c, &st, 0);
    usleep(50000);
    mode(0, 0);
    read(s, buf, sizeof buf);

    mode(3, 0);
    write(m, "ab", 2);
    c = later("cd");
    n = read(s, buf, sizeof buf);
    show("VMIN=3 waits for three", buf, n >= 3 ? 3 : n);
    waitpid(c, &st, 0);
    usleep(50000);
    mode(0, 0);
    read(s, buf, sizeof buf);

    mode(2, 0);
    write(m, "12345", 5);
    usleep(50000);
    n = read(s, buf, 2);
    show("read(2) of five ready", buf, n);
    n = read(s, buf, sizeof buf);
    show("the rest", buf, n);

    mode(5, 1);
    write(m, "ab", 2);
    n = read(s, buf, sizeof buf);
    show("VMIN=5 VTIME=1 with two bytes then a gap", buf, n);

    mode(1, 0);
    fcntl(s, F_SETFL, O_NONBLOCK);
    SAY("O_NONBLOCK empty", read(s, buf, sizeof buf));
    return 0;
}
