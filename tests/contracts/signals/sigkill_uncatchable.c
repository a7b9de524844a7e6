/* SIGKILL and SIGSTOP cannot be blocked, caught or ignored: a child that
 * blocks and ignores everything it can is still stopped and killed. */
#include "contract.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

int main(void)
{
    sigset_t all, cur;
    sigfillset(&all);
    OK("block everything", sigprocmask(SIG_SETMASK, &all, NULL));
    OK("read mask", sigprocmask(SIG_SETMASK, NULL, &cur));
    say("SIGKILL blocked: %d", sigismember(&cur, SIGKILL));
    say("SIGSTOP blocked: %d", sigismember(&cur, SIGSTOP));
    say("SIGTERM blocked: %d", sigismember(&cur, SIGTERM));
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);

    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_IGN;
        for (int s = 1; s < 32; s++)
            if (s != SIGKILL && s != SIGSTOP)
                sigaction(s, &sa, NULL);
        sigset_t full;
        sigfillset(&full);
        sigprocmask(SIG_SETMASK, &full, NULL);
        write(p[1], "r", 1);
        for (;;)
            pause();
    }
    char b;
    read(p[0], &b, 1);
    int st;
    OK("SIGSTOP", kill(c, SIGSTOP));
    pid_t w = waitpid(c, &st, WUNTRACED);
    say("stopped: %d %s", w == c, wstatus(st));
    OK("SIGKILL", kill(c, SIGKILL));
    w = waitpid(c, &st, 0);
    say("killed: %d %s", w == c, wstatus(st));
    return 0;
}
