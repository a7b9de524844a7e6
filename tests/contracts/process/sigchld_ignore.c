/* With SIGCHLD ignored (or SA_NOCLDWAIT), children are reaped
 * automatically: wait blocks until they are all gone, then ECHILD. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

int main(void)
{
    signal(SIGCHLD, SIG_IGN);
    for (int i = 0; i < 3; i++)
        if (fork() == 0)
            _exit(i);
    int st;
    SAY("wait with SIGCHLD ignored", wait(&st));

    signal(SIGCHLD, SIG_DFL);
    struct sigaction sa = {0};
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = SA_NOCLDWAIT;
    sigaction(SIGCHLD, &sa, 0);
    for (int i = 0; i < 2; i++)
        if (fork() == 0)
            _exit(i);
    SAY("wait with SA_NOCLDWAIT", wait(&st));

    sa.sa_flags = 0;
    sigaction(SIGCHLD, &sa, 0);
    pid_t p = fork();
    if (p == 0)
        _exit(5);
    say("default: wait reaps the zombie: %d", wait(&st) == p);
    say("status: %s", wstatus(st));
    return 0;
}
