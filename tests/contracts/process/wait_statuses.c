/* Exit codes and signal statuses as wait4 reports them. */
#include "contract.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void report(const char *what, pid_t pid)
{
    int st = 0;
    pid_t w = waitpid(pid, &st, 0);
    say("%s: waited=%d %s", what, w == pid, wstatus(st));
}

int main(void)
{
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    pid_t p;
    if ((p = fork()) == 0) _exit(0);
    report("exit 0", p);
    if ((p = fork()) == 0) _exit(255);
    report("exit 255", p);
    if ((p = fork()) == 0) _exit(256 + 3);
    report("exit 259 (low byte)", p);
    if ((p = fork()) == 0) { raise(SIGTERM); _exit(1); }
    report("SIGTERM", p);
    if ((p = fork()) == 0) { raise(SIGKILL); _exit(1); }
    report("SIGKILL", p);
    if ((p = fork()) == 0) { abort(); }
    report("abort", p);
    if ((p = fork()) == 0) { *(volatile int *)0 = 1; _exit(1); }
    report("NULL store", p);
    if ((p = fork()) == 0) { exit(42); }
    report("exit(42) via libc", p);
    return 0;
}
