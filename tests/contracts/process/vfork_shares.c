/* vfork: the parent is suspended until the child execs or exits, and the
 * child runs in the parent's memory. */
#include "contract.h"
#include <sys/wait.h>

static volatile int shared_var = 1;

int main(void)
{
    int st;
    pid_t p = vfork();
    if (p == 0) {
        shared_var = 2; /* visible to the parent: same memory */
        _exit(4);
    }
    say("parent resumes after child exit, sees child's store: %d", shared_var);
    waitpid(p, &st, 0);
    say("status: %s", wstatus(st));

    p = vfork();
    if (p == 0) {
        char *argv[] = {"/bin/true", 0};
        execv(argv[0], argv);
        _exit(127);
    }
    waitpid(p, &st, 0);
    say("vfork+exec true: %s", wstatus(st));
    return 0;
}
