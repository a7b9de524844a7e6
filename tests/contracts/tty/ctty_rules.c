/* Controlling-terminal rules: /dev/tty without one is ENXIO; TIOCSCTTY
 * needs a session leader without a terminal (EPERM otherwise), a terminal
 * another session owns needs arg 1 and CAP_SYS_ADMIN; opening a tty as a
 * leader without O_NOCTTY acquires it; TIOCNOTTY drops it; setsid by a
 * group leader is EPERM; tcsetpgrp to another session's group is EPERM. */
#include "ptyutil.h"
#include <signal.h>
#include <sys/wait.h>

int main(void)
{
    int sync[2];
    pipe(sync);
    pid_t c = fork();
    if (c == 0) {
        SAY("setsid as a fresh child", setsid() > 0);
        SAY("setsid again (group leader)", setsid());
        SAY("open /dev/tty without one", open("/dev/tty", O_RDWR));
        int m, s;
        open_pty(&m, &s);
        SAY("TIOCSCTTY", ioctl(s, TIOCSCTTY, 0));
        SAY("TIOCSCTTY again (same tty)", ioctl(s, TIOCSCTTY, 0));
        int t = open("/dev/tty", O_RDWR);
        say("open /dev/tty now: %d", t >= 0);
        pid_t sid = -1;
        SAY("TIOCGSID", ioctl(s, TIOCGSID, &sid));
        say("sid is ours: %d", sid == getsid(0));
        int m2, s2;
        open_pty(&m2, &s2);
        SAY("TIOCSCTTY of a second tty", ioctl(s2, TIOCSCTTY, 0));
        SAY("tcsetpgrp to our group", tcsetpgrp(s, getpgrp()));
        SAY("tcsetpgrp to a missing group", tcsetpgrp(s, 999999));
        SAY("tcsetpgrp on a tty that is not ours", tcsetpgrp(s2, getpgrp()));
        SAY("TIOCGPGRP on a tty that is not ours", tcgetpgrp(s2));

        /* A grandchild in a new session tries to take our terminal. */
        pid_t g = fork();
        if (g == 0) {
            setsid();
            SAY("steal without force", ioctl(s, TIOCSCTTY, 0));
            SAY("steal with force (root)", ioctl(s, TIOCSCTTY, 1));
            int tt = open("/dev/tty", O_RDWR);
            say("grandchild /dev/tty after steal: %d", tt >= 0);
            _exit(0);
        }
        int st;
        waitpid(g, &st, 0);
        SAY("our TIOCGSID after the steal", ioctl(s, TIOCGSID, &sid));

        /* A new session opens the slave without O_NOCTTY: acquires it. */
        int m3, s3;
        open_pty(&m3, &s3);
        char name[64];
        snprintf(name, sizeof name, "%s", ptsname(m3));
        g = fork();
        if (g == 0) {
            setsid();
            int fd = open(name, O_RDWR);
            pid_t sid2 = -1;
            SAY("TIOCGSID after a plain open", ioctl(fd, TIOCGSID, &sid2));
            say("it is ours: %d", sid2 == getsid(0));
            SAY("TIOCNOTTY", ioctl(fd, TIOCNOTTY));
            SAY("open /dev/tty after TIOCNOTTY", open("/dev/tty", O_RDWR));
            _exit(0);
        }
        waitpid(g, &st, 0);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
