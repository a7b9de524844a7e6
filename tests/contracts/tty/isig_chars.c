/* ISIG: ^C, ^\ and ^Z on the master signal the slave's foreground group
 * and flush pending input (unless NOFLSH); the echo shows ^C; with ISIG
 * off they are plain bytes; VINTR can be changed or disabled. */
#include "ptyutil.h"
#include <signal.h>
#include <sys/wait.h>

static volatile sig_atomic_t last;
static void h(int sig) { last = sig; }

int main(void)
{
    int m, s;
    /* A session of our own with the slave as controlling terminal, so the
     * characters have a foreground group to signal. */
    pid_t c = fork();
    if (c == 0) {
        setsid();
        if (open_pty(&m, &s) < 0 || ioctl(s, TIOCSCTTY, 0) < 0) {
            say("setup failed");
            _exit(1);
        }
        signal(SIGINT, h);
        signal(SIGQUIT, h);
        signal(SIGTSTP, h);
        char buf[64];
        const char keys[] = {3, 28, 26};
        for (int i = 0; i < 3; i++) {
            last = 0;
            write(m, "pending", 7);
            expect(m, "echo of the pending input", 7);
            write(m, &keys[i], 1);
            expect(m, "echo of the key", 2);
            while (!last)
                usleep(1000);
            say("signal for key %d: %d", keys[i], last);
            struct termios t;
            tcgetattr(s, &t);
            t.c_cc[VMIN] = 0;
            t.c_cc[VTIME] = 0;
            t.c_lflag &= ~ICANON;
            tcsetattr(s, TCSANOW, &t);
            int n = read(s, buf, sizeof buf);
            show("input left after the signal", buf, n > 0 ? n : 0);
            t.c_lflag |= ICANON;
            tcsetattr(s, TCSANOW, &t);
        }

        set_lflag(s, NOFLSH, 0);
        last = 0;
        write(m, "kept", 4);
        expect(m, "echo", 4);
        write(m, "\003", 1);
        expect(m, "echo with NOFLSH", 2);
        while (!last)
            usleep(1000);
        write(m, "\n", 1);
        int n = read(s, buf, sizeof buf);
        show("NOFLSH keeps the line", buf, n);
        expect(m, "echo of newline", 2);

        set_lflag(s, 0, ISIG | NOFLSH);
        last = 0;
        write(m, "a\003b\n", 4);
        n = read(s, buf, sizeof buf);
        show("ISIG off: ^C is data", buf, n);
        say("no signal: %d", last == 0);
        expect(m, "echo", 7);

        struct termios t;
        tcgetattr(s, &t);
        t.c_lflag |= ISIG;
        t.c_cc[VINTR] = 'q';
        tcsetattr(s, TCSANOW, &t);
        last = 0;
        write(m, "q", 1);
        expect(m, "echo of new VINTR", 1);
        while (!last)
            usleep(1000);
        say("VINTR='q' signal: %d", last);
        t.c_cc[VINTR] = _POSIX_VDISABLE;
        tcsetattr(s, TCSANOW, &t);
        last = 0;
        write(m, "\003q\n", 3);
        n = read(s, buf, sizeof buf);
        show("VINTR disabled", buf, n);
        say("no signal: %d", last == 0);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    return 0;
}
