/* contract: glibc
 * The exit signal chosen at clone(2) is what the parent receives when
 * the child ends, and a child with an exit signal other than SIGCHLD is a
 * "clone child" that only __WCLONE or __WALL waits see. execve resets the
 * exit signal to SIGCHLD: after it, the child is an ordinary one. */
#include "contract.h"
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

static volatile int usr1, chld;
static char *self;

static void on_usr1(int s) { (void)s; usr1++; }
static void on_chld(int s) { (void)s; chld++; }

static int just_exit(void *arg)
{
    (void)arg;
    _exit(3);
}

static int exec_then_exit(void *arg)
{
    (void)arg;
    char *argv[] = {self, "exit4", NULL};
    execv(self, argv);
    _exit(99);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return 4;
    self = argv[0];
    signal(SIGUSR1, on_usr1);
    signal(SIGCHLD, on_chld);
    char *stack = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int st;

    pid_t pid = clone(just_exit, stack + 65536, SIGUSR1, NULL);
    while (!usr1 && !chld)
        usleep(1000);
    say("exit signal SIGUSR1: got SIGUSR1 %d, SIGCHLD %d", usr1, chld);
    SAY("  plain waitpid", waitpid(pid, &st, WNOHANG));
    int got = waitpid(pid, &st, __WCLONE) == pid;
    say("  __WCLONE waitpid: %d, %s", got, wstatus(st));

    usr1 = chld = 0;
    pid = clone(exec_then_exit, stack + 65536, SIGUSR1, NULL);
    while (!usr1 && !chld)
        usleep(1000);
    say("exit signal SIGUSR1, then execve: got SIGUSR1 %d, SIGCHLD %d", usr1, chld);
    SAY("  __WCLONE waitpid", waitpid(pid, &st, __WCLONE | WNOHANG));
    got = waitpid(pid, &st, 0) == pid;
    say("  plain waitpid: %d, %s", got, wstatus(st));
    return 0;
}
