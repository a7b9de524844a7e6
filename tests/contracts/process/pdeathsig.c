/* PR_SET_PDEATHSIG: the child gets the signal when its parent dies. */
#include "contract.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

int main(void)
{
    int v = -1;
    SAY("get pdeathsig", prctl(PR_GET_PDEATHSIG, &v));
    say("default: %d", v);
    SAY("bad signal", prctl(PR_SET_PDEATHSIG, 99));
    int fd[2], res[2];
    pipe(fd);
    pipe(res);
    pid_t p = fork();
    if (p == 0) {
        pid_t g = fork();
        if (g == 0) {
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            int got = -1;
            prctl(PR_GET_PDEATHSIG, &got);
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGUSR1);
            sigprocmask(SIG_BLOCK, &set, 0);
            write(fd[1], "r", 1); /* ready */
            int sig = 0;
            sigwait(&set, &sig);
            int out[2] = {got, sig};
            write(res[1], out, sizeof out);
            _exit(0);
        }
        char c;
        read(fd[0], &c, 1);
        _exit(0); /* the parent dies */
    }
    int st;
    waitpid(p, &st, 0);
    int out[2] = {0, 0};
    read(res[0], out, sizeof out);
    say("child saw pdeathsig set to %d and received signal %d", out[0], out[1]);
    return 0;
}
