/* A dead child stays a zombie until waited for: kill(pid, 0) succeeds on a
 * zombie, fails with ESRCH after the reap. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

int main(void)
{
    pid_t p = fork();
    if (p == 0)
        _exit(1);
    siginfo_t si;
    waitid(P_PID, p, &si, WEXITED | WNOWAIT); /* it is dead now */
    SAY("kill(zombie, 0)", kill(p, 0));
    SAY("kill(zombie, SIGKILL)", kill(p, SIGKILL));
    int st;
    say("reaped: %d", waitpid(p, &st, 0) == p);
    say("status: %s", wstatus(st));
    SAY("kill(reaped, 0)", kill(p, 0));
    return 0;
}
