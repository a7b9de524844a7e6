/* clone(CLONE_NEWNS) gives the child a copy of the namespace;
 * CLONE_NEWNS with CLONE_FS is refused. */
#include "mnt.h"
#include <signal.h>

int main(void)
{
    isolate();
    mkdir("t/a", 0755);
    long c = syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
    if (c == 0) {
        OK("child mounts t/a", mount("a", "t/a", "tmpfs", 0, NULL));
        touch("t/a/x");
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("child %s", wstatus(st));
    SAY("parent does not see it", access("t/a/x", F_OK));
    SAY("CLONE_NEWNS|CLONE_FS", syscall(SYS_clone, CLONE_NEWNS | CLONE_FS | SIGCHLD, 0, 0, 0, 0));
    return 0;
}
