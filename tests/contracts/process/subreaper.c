/* PR_SET_CHILD_SUBREAPER: orphans go to the nearest subreaper, which can
 * wait for them. */
#include "contract.h"
#include <sys/prctl.h>
#include <sys/wait.h>

int main(void)
{
    int v = -1;
    SAY("get subreaper", prctl(PR_GET_CHILD_SUBREAPER, &v));
    say("initially: %d", v);
    SAY("set subreaper", prctl(PR_SET_CHILD_SUBREAPER, 1));
    prctl(PR_GET_CHILD_SUBREAPER, &v);
    say("now: %d", v);
    int fd[2];
    pipe(fd);
    pid_t p = fork();
    if (p == 0) {
        pid_t g = fork();
        if (g == 0) {
            char c;
            read(fd[0], &c, 1);
            _exit(getppid() == getppid() ? 11 : 12);
        }
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    say("middle: %s", wstatus(st));
    write(fd[1], "x", 1);
    pid_t w = waitpid(-1, &st, 0);
    say("subreaper reaps the orphan: %d", w > 0 && w != p);
    say("orphan status: %s", wstatus(st));
    SAY("no more children", waitpid(-1, &st, WNOHANG));
    return 0;
}
