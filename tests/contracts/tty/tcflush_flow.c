/* tcflush drops queued input (TCIFLUSH) or output (TCOFLUSH); tcflow
 * TCOOFF holds the slave's output until TCOON; TIOCOUTQ and TIOCINQ count
 * queued bytes; tcdrain returns; bad arguments are EINVAL. */
#include "ptyutil.h"
#include <sys/wait.h>

int main(void)
{
    int m, s;
    if (open_pty(&m, &s) < 0)
        return 1;
    set_lflag(s, 0, ICANON | ECHO);
    char buf[64];
    write(m, "queued", 6);
    usleep(100000);
    int q = -1;
    SAY("TIOCINQ", ioctl(s, TIOCINQ, &q));
    say("queued input: %d", q);
    SAY("tcflush TCIFLUSH", tcflush(s, TCIFLUSH));
    ioctl(s, TIOCINQ, &q);
    say("after flush: %d", q);
    struct termios t;
    tcgetattr(s, &t);
    t.c_cc[VMIN] = 0;
    tcsetattr(s, TCSANOW, &t);
    SAY("read after input flush", read(s, buf, sizeof buf));

    SAY("tcflow TCOOFF", tcflow(s, TCOOFF));
    /* A writer blocks while output is off; it writes from a child. */
    pid_t c = fork();
    if (c == 0) {
        write(s, "held", 4);
        _exit(0);
    }
    struct pollfd p = {m, POLLIN, 0};
    say("master readable while output is off: %d", poll(&p, 1, 200));
    SAY("tcflow TCOON", tcflow(s, TCOON));
    int n = read_for(m, buf, 4, 1000);
    show("after TCOON", buf, n);
    int st;
    waitpid(c, &st, 0);
    say("writer: %s", wstatus(st));

    SAY("tcdrain", tcdrain(s));
    SAY("tcflush bad queue", tcflush(s, 7));
    SAY("tcflow bad action", tcflow(s, 9));
    int pp[2];
    pipe(pp);
    SAY("tcflush on a pipe", tcflush(pp[0], TCIFLUSH));
    SAY("tcflush TCIOFLUSH on the master", tcflush(m, TCIOFLUSH));
    return 0;
}
