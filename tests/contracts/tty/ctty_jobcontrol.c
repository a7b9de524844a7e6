/* Controlling terminals and job control through a pty: setsid + TIOCSCTTY
 * makes the slave the controlling terminal; tcsetpgrp picks the
 * foreground group; a background reader gets SIGTTIN, a background writer
 * with TOSTOP gets SIGTTOU; ^C on the master signals the foreground group;
 * closing the master hangs up the session. */
#include "contract.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    char name[64];
    snprintf(name, sizeof name, "%s", ptsname(m));
    int report[2];
    pipe(report);
    pid_t leader = fork();
    if (leader == 0) {
        close(m);
        setsid();
        int s = open(name, O_RDWR | O_NOCTTY);
        int r = ioctl(s, TIOCSCTTY, 0);
        char line[256];
        int n = snprintf(line, sizeof line, "TIOCSCTTY: %d\n", r);
        write(report[1], line, n);
        n = snprintf(line, sizeof line, "tcgetpgrp is own group: %d\n", tcgetpgrp(s) == getpgrp());
        write(report[1], line, n);
        n = snprintf(line, sizeof line, "getsid of tty owner: %d\n", tcgetsid(s) == getpid());
        write(report[1], line, n);
        int tty = open("/dev/tty", O_RDWR);
        n = snprintf(line, sizeof line, "/dev/tty opens: %d\n", tty >= 0);
        write(report[1], line, n);

        /* A background group: reading gives SIGTTIN (stops it). */
        pid_t bg = fork();
        if (bg == 0) {
            setpgid(0, 0);
            char c;
            read(s, &c, 1);
            _exit(3);
        }
        setpgid(bg, bg);
        int st;
        waitpid(bg, &st, WUNTRACED);
        n = snprintf(line, sizeof line, "background read: stopped by %d\n", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
        write(report[1], line, n);
        kill(bg, SIGKILL);
        waitpid(bg, &st, 0);

        /* With SIGTTIN ignored, the read fails with EIO instead. */
        bg = fork();
        if (bg == 0) {
            setpgid(0, 0);
            signal(SIGTTIN, SIG_IGN);
            char c;
            int r = read(s, &c, 1);
            _exit(r < 0 && errno == EIO ? 4 : 5);
        }
        setpgid(bg, bg);
        waitpid(bg, &st, 0);
        n = snprintf(line, sizeof line, "background read with SIGTTIN ignored: exit %d\n", WEXITSTATUS(st));
        write(report[1], line, n);

        /* TOSTOP: a background write stops with SIGTTOU. */
        struct termios t;
        tcgetattr(s, &t);
        t.c_lflag |= TOSTOP;
        tcsetattr(s, TCSANOW, &t);
        bg = fork();
        if (bg == 0) {
            setpgid(0, 0);
            write(s, "x", 1);
            _exit(6);
        }
        setpgid(bg, bg);
        waitpid(bg, &st, WUNTRACED);
        n = snprintf(line, sizeof line, "background write with TOSTOP: stopped by %d\n", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
        write(report[1], line, n);
        kill(bg, SIGKILL);
        waitpid(bg, &st, 0);

        /* The foreground child gets SIGINT from ^C typed on the master. */
        pid_t fg = fork();
        if (fg == 0) {
            setpgid(0, 0);
            pause();
            _exit(7);
        }
        setpgid(fg, fg);
        tcsetpgrp(s, fg);
        n = snprintf(line, sizeof line, "tcsetpgrp to child: %d\nready\n", tcgetpgrp(s) == fg);
        write(report[1], line, n);
        waitpid(fg, &st, 0);
        n = snprintf(line, sizeof line, "foreground child: signaled %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
        write(report[1], line, n);
        _exit(0);
    }
    close(report[1]);
    char buf[512];
    int got = 0;
    for (;;) {
        int n = read(report[0], buf + got, sizeof buf - 1 - got);
        if (n <= 0)
            break;
        got += n;
        buf[got] = 0;
        if (strstr(buf, "ready\n")) {
            /* Drain pending output, then type ^C. */
            fcntl(m, F_SETFL, O_NONBLOCK);
            char junk[64];
            while (read(m, junk, sizeof junk) > 0)
                ;
            write(m, "\003", 1);
        }
    }
    buf[got] = 0;
    fputs(buf, stdout);
    int st;
    waitpid(leader, &st, 0);
    say("leader: %s", wstatus(st));
    return 0;
}
