/* Window size: TIOCSWINSZ on either side is seen by both; a change sends
 * SIGWINCH to the foreground group, setting the same size again does
 * not. */
#include "ptyutil.h"
#include <signal.h>
#include <sys/wait.h>

static volatile sig_atomic_t winches;
static void h(int sig) { (void)sig; winches++; }

int main(void)
{
    pid_t c = fork();
    if (c == 0) {
        int m, s;
        setsid();
        if (open_pty(&m, &s) < 0 || ioctl(s, TIOCSCTTY, 0) < 0)
            _exit(1);
        signal(SIGWINCH, h);
        struct winsize w = {0};
        SAY("TIOCGWINSZ initial", ioctl(s, TIOCGWINSZ, &w));
        say("initial: %d x %d", w.ws_row, w.ws_col);
        w.ws_row = 24;
        w.ws_col = 80;
        SAY("TIOCSWINSZ on master", ioctl(m, TIOCSWINSZ, &w));
        struct winsize r;
        ioctl(s, TIOCGWINSZ, &r);
        say("slave sees %d x %d", r.ws_row, r.ws_col);
        say("SIGWINCH count: %d", winches);
        SAY("same size again", ioctl(m, TIOCSWINSZ, &w));
        say("SIGWINCH count: %d", winches);
        w.ws_col = 132;
        w.ws_xpixel = 7;
        SAY("TIOCSWINSZ on slave", ioctl(s, TIOCSWINSZ, &w));
        ioctl(m, TIOCGWINSZ, &r);
        say("master sees %d x %d, xpixel %d", r.ws_row, r.ws_col, r.ws_xpixel);
        say("SIGWINCH count: %d", winches);
        SAY("TIOCGWINSZ bad pointer", ioctl(s, TIOCGWINSZ, (void *)8));
        int pp[2];
        pipe(pp);
        SAY("TIOCGWINSZ on a pipe", ioctl(pp[0], TIOCGWINSZ, &r));
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
