/* contract: glibc
 * clone(2) flag rules: CLONE_THREAD needs CLONE_SIGHAND, CLONE_SIGHAND
 * needs CLONE_VM, CLONE_FS excludes new mount and user namespaces
 * (EINVAL for each, before any permission check). CLONE_VM|CLONE_VFORK
 * (posix_spawn's way) runs the child in our memory while we wait;
 * CLONE_IO, CLONE_DETACHED and CLONE_UNTRACED are accepted. */
#include "contract.h"
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

static volatile int touched;

static int child(void *arg)
{
    touched = (int)(long)arg;
    _exit(5);
}

static char *stack;

static long try(int flags)
{
    return clone(child, stack + 65536, flags, (void *)7L);
}

int main(void)
{
    stack = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SAY("CLONE_THREAD without CLONE_SIGHAND", try(CLONE_THREAD | CLONE_VM));
    SAY("CLONE_SIGHAND without CLONE_VM", try(CLONE_SIGHAND | SIGCHLD));
    SAY("CLONE_FS with CLONE_NEWNS", try(CLONE_FS | CLONE_NEWNS | SIGCHLD));
    SAY("CLONE_FS with CLONE_NEWUSER", try(CLONE_FS | CLONE_NEWUSER | SIGCHLD));
    SAY("CLONE_THREAD with CLONE_NEWPID", try(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID));

    long pid = try(CLONE_VM | CLONE_VFORK | SIGCHLD);
    say("vfork-style child ran before clone returned: %d", touched == 7);
    int st;
    int reaped = waitpid((pid_t)pid, &st, 0) == pid;
    say("reaped: %d, %s", reaped, wstatus(st));

    int ok_flags[] = {CLONE_IO | SIGCHLD, 0x00400000 /* CLONE_DETACHED */ | SIGCHLD, CLONE_UNTRACED | SIGCHLD};
    const char *names[] = {"CLONE_IO", "CLONE_DETACHED", "CLONE_UNTRACED"};
    for (int i = 0; i < 3; i++) {
        pid = try(ok_flags[i]);
        if (pid < 0) {
            say("%s: -1 %s", names[i], errname(errno));
            continue;
        }
        waitpid((pid_t)pid, &st, 0);
        say("%s: child %s", names[i], wstatus(st));
    }
    /* No exit signal: a "clone child" only __WCLONE or __WALL waits see. */
    pid = try(0);
    SAY("plain wait for a clone child", waitpid((pid_t)pid, &st, WNOHANG));
    reaped = waitpid((pid_t)pid, &st, __WALL) == pid;
    say("__WALL wait: %d, %s", reaped, wstatus(st));
    return 0;
}
