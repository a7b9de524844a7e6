/* fork returns 0 in the child and the child's pid in the parent; the
 * child's exit status reaches the parent through wait4. */
#include "contract.h"
#include <sys/wait.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        say("child: getppid matches parent: %d", getppid() > 1);
        _exit(7);
    }
    int st = 0;
    pid_t w = waitpid(pid, &st, 0);
    say("waitpid returned the child: %d", w == pid);
    say("status: %s", wstatus(st));
    SAY("second waitpid", waitpid(pid, &st, 0));
    SAY("waitpid(-1) with no children", waitpid(-1, &st, WNOHANG));
    return 0;
}
