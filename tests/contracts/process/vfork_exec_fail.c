/* A vfork child whose execve fails can still _exit: the parent resumes
 * and sees the status. */
#include "contract.h"
#include <sys/wait.h>

int main(void)
{
    volatile int err = 0;
    pid_t p = vfork();
    if (p == 0) {
        execl("/nonexistent/program", "x", (char *)0);
        err = errno;
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    say("child's exec error seen through shared memory: %s", errname(err));
    say("status: %s", wstatus(st));
    return 0;
}
