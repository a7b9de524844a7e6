/* A fault signal cannot be blocked or ignored away: if SIGSEGV is blocked
 * or ignored when the CPU raises it, the process dies of it. The same
 * signal sent by kill() while blocked just stays pending. */
#include "contract.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void h(int sig) { (void)sig; _exit(42); }

static void fault(void)
{
    volatile int *p = (int *)16;
    *p = 1;
}

int main(void)
{
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    prctl(PR_SET_DUMPABLE, 0);
    int st;
    pid_t c = fork();
    if (c == 0) {
        signal(SIGSEGV, h);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGSEGV);
        sigprocmask(SIG_BLOCK, &s, NULL);
        kill(getpid(), SIGSEGV);
        sigset_t p;
        sigpending(&p);
        say("sent while blocked: pending %d", sigismember(&p, SIGSEGV));
        fault();
        _exit(0);
    }
    waitpid(c, &st, 0);
    say("blocked + handler, then a fault: %s", wstatus(st));

    c = fork();
    if (c == 0) {
        signal(SIGSEGV, SIG_IGN);
        kill(getpid(), SIGSEGV);
        say("sent while ignored: still alive");
        fault();
        _exit(0);
    }
    waitpid(c, &st, 0);
    say("ignored, then a fault: %s", wstatus(st));

    c = fork();
    if (c == 0) {
        signal(SIGSEGV, h);
        fault();
        _exit(0);
    }
    waitpid(c, &st, 0);
    say("handled fault: %s", wstatus(st));
    return 0;
}
