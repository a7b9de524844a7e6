/* kill: signal 0 probes; missing processes give ESRCH; bad signal numbers
 * give EINVAL; a zombie can still be "signalled" until it is reaped. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

int main(void)
{
    SAY("kill(self, 0)", kill(getpid(), 0));
    SAY("kill(missing, 0)", kill(0x3fffff00, 0));
    SAY("kill(missing, SIGTERM)", kill(0x3fffff00, SIGTERM));
    SAY("kill(self, 65)", kill(getpid(), 65));
    SAY("kill(self, -1)", kill(getpid(), -1));
    SAY("kill(missing, 65)", kill(0x3fffff00, 65));
    SAY("kill(-missing group, 0)", kill(-0x3fffff00, 0));
    SAY("kill(0, 0) own group", kill(0, 0));
    SAY("kill(INT_MIN, 0)", kill((pid_t)0x80000000, 0));
    SAY("kill(-1, 0) probes every other process", kill(-1, 0));
    SAY("kill(-1, 65)", kill(-1, 65));

    pid_t c = fork();
    if (c == 0)
        _exit(3);
    /* Let it become a zombie without reaping it. */
    siginfo_t si;
    waitid(P_PID, c, &si, WEXITED | WNOWAIT);
    SAY("kill(zombie, 0)", kill(c, 0));
    SAY("kill(zombie, SIGKILL)", kill(c, SIGKILL));
    int st;
    waitpid(c, &st, 0);
    say("zombie's status unchanged: %s", wstatus(st));
    SAY("kill(reaped, 0)", kill(c, 0));

    /* A signal ignored by the target still "succeeds". */
    signal(SIGUSR1, SIG_IGN);
    SAY("kill(self, ignored SIGUSR1)", kill(getpid(), SIGUSR1));
    return 0;
}
