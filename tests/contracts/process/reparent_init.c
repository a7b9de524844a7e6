/* A grandchild whose parent exits is reparented to init: getppid() == 1. */
#include "contract.h"
#include <sys/wait.h>

int main(void)
{
    int fd[2], back[2];
    pipe(fd);
    pipe(back);
    pid_t p = fork();
    if (p == 0) {
        pid_t g = fork();
        if (g == 0) {
            char c;
            read(fd[0], &c, 1); /* wait until the middle process is gone */
            int ppid = getppid();
            write(back[1], &ppid, sizeof ppid);
            _exit(0);
        }
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    say("middle exited: %s", wstatus(st));
    write(fd[1], "x", 1);
    int ppid = -1;
    read(back[0], &ppid, sizeof ppid);
    say("orphan's parent is init: %d", ppid == 1);
    return 0;
}
