/* getpid/gettid/getppid/getpgrp/getsid relations in a single-threaded
 * process and its child. */
#include "contract.h"
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
    say("gettid == getpid: %d", syscall(SYS_gettid) == getpid());
    say("getppid > 0: %d", getppid() > 0);
    say("getpgrp == getpgid(0): %d", getpgrp() == getpgid(0));
    say("getsid(0) == getsid(getpid()): %d", getsid(0) == getsid(getpid()));
    pid_t parent = getpid();
    pid_t p = fork();
    if (p == 0) {
        say("child: getppid == parent: %d", getppid() == parent);
        say("child: pid differs: %d", getpid() != parent);
        say("child: same pgrp and session: %d", getpgrp() == getpgid(parent) && getsid(0) == getsid(parent));
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    say("fork returned the child's pid: %d", p > 0 && p != parent);
    return 0;
}
