/* Children killed by signals: WIFSIGNALED, WTERMSIG, and no core bit
 * when RLIMIT_CORE is 0 (for "core" signals too). */
#include "contract.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void run(int sig, int by_fault)
{
    pid_t c = fork();
    if (c == 0) {
        if (by_fault) {
            volatile int *p = NULL;
            *p = 1;
        }
        kill(getpid(), sig);
        for (;;)
            pause();
    }
    int st;
    waitpid(c, &st, 0);
    say("signal %2d: %s WIFSIGNALED %d WTERMSIG %d WCOREDUMP %d", sig, wstatus(st), WIFSIGNALED(st), WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
}

int main(void)
{
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    prctl(PR_SET_DUMPABLE, 0);
    int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGUSR1,
                  SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGSTKFLT, SIGXCPU, SIGXFSZ, SIGVTALRM,
                  SIGPROF, SIGIO, SIGPWR, SIGSYS, 34, 50, 64};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        run(sigs[i], 0);
    run(SIGSEGV, 1);

    /* exit codes are not signals */
    pid_t c = fork();
    if (c == 0)
        _exit(137);
    int st;
    waitpid(c, &st, 0);
    say("exit 137: %s WIFSIGNALED %d", wstatus(st), WIFSIGNALED(st));
    return 0;
}
