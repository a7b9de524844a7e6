/* SIGCHLD set to SIG_IGN (or SA_NOCLDWAIT) makes children vanish when
 * they exit: wait finds nothing (ECHILD) once they are gone. The default
 * disposition (also "ignore") keeps zombies for wait. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static void h(int sig) { (void)sig; }

static int run(const char *label)
{
    pid_t c = fork();
    if (c == 0)
        _exit(5);
    int st = 0;
    errno = 0;
    pid_t w = waitpid(c, &st, 0);
    if (w < 0)
        say("%s: waitpid -1 %s", label, errname(errno));
    else
        say("%s: waitpid reaped child %d %s", label, w == c, wstatus(st));
    return 0;
}

int main(void)
{
    run("SIG_DFL");
    signal(SIGCHLD, SIG_IGN);
    run("SIG_IGN");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_NOCLDWAIT;
    sigaction(SIGCHLD, &sa, NULL);
    run("SA_NOCLDWAIT with handler");
    sa.sa_flags = 0;
    sigaction(SIGCHLD, &sa, NULL);
    run("handler");
    return 0;
}
