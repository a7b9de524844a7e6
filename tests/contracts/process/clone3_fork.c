/* clone3 as fork: argument validation and a working child. */
#include "contract.h"
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

int main(void)
{
    struct clone_args a;
    memset(&a, 0, sizeof a);
    a.exit_signal = SIGCHLD;
    SAY("size too small", syscall(SYS_clone3, &a, 32));
    SAY("bad pointer", syscall(SYS_clone3, (void *)8, sizeof a));
    struct clone_args b = a;
    b.exit_signal = 100;
    SAY("bad exit signal", syscall(SYS_clone3, &b, sizeof b));
    b = a;
    b.stack = 4096;
    SAY("stack without size", syscall(SYS_clone3, &b, sizeof b));
    long r = syscall(SYS_clone3, &a, sizeof a);
    if (r == 0)
        _exit(21);
    int st;
    say("clone3 returned a pid: %d", r > 0 && waitpid(r, &st, 0) == r);
    say("status: %s", wstatus(st));
    int tid = -1;
    a.flags = 0x100000; /* CLONE_PARENT_SETTID */
    a.parent_tid = (uint64_t)(uintptr_t)&tid;
    r = syscall(SYS_clone3, &a, sizeof a);
    if (r == 0)
        _exit(0);
    waitpid(r, &st, 0);
    say("CLONE_PARENT_SETTID stored the pid: %d", tid == r);
    return 0;
}
