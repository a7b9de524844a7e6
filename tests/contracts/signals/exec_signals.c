/* execve: caught signals go back to SIG_DFL, ignored ones stay ignored,
 * the mask and pending signals are kept, the alternate stack is
 * disabled, and SA_* flags of reset handlers are cleared. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

static void h(int sig) { (void)sig; }
static char altbuf[16384];

static void after_exec(void)
{
    struct sigaction a;
    sigaction(SIGUSR1, NULL, &a);
    say("SIGUSR1 back to default: %d, flags restart %d", a.sa_handler == SIG_DFL, (a.sa_flags & SA_RESTART) != 0);
    sigaction(SIGUSR2, NULL, &a);
    say("SIGUSR2 still ignored: %d", a.sa_handler == SIG_IGN);
    sigaction(SIGCHLD, NULL, &a);
    say("SIGCHLD (was handled) default: %d", a.sa_handler == SIG_DFL);
    sigset_t m, p;
    sigprocmask(SIG_SETMASK, NULL, &m);
    say("mask kept: TERM %d HUP %d USR1 %d", sigismember(&m, SIGTERM), sigismember(&m, SIGHUP), sigismember(&m, SIGUSR1));
    sigpending(&p);
    say("pending kept: HUP %d RTMIN %d", sigismember(&p, SIGHUP), sigismember(&p, SIGRTMIN));
    stack_t q;
    sigaltstack(NULL, &q);
    say("alt stack disabled: %d", q.ss_flags == SS_DISABLE);
    siginfo_t si;
    sigset_t w;
    sigemptyset(&w);
    sigaddset(&w, SIGRTMIN);
    int r = sigwaitinfo(&w, &si);
    say("queued value survived: %d %d", r == SIGRTMIN, si.si_value.sival_int);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        after_exec();
        return 0;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGUSR2, SIG_IGN);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    sigaddset(&s, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &s, NULL);
    kill(getpid(), SIGHUP);
    union sigval v = {.sival_int = 99};
    sigqueue(getpid(), SIGRTMIN, v);
    stack_t ss = {.ss_sp = altbuf, .ss_size = sizeof altbuf, .ss_flags = 0};
    sigaltstack(&ss, NULL);

    char *args[] = {argv[0], "after", NULL};
    char *env[] = {NULL};
    execve(argv[0], args, env);
    say("execve failed: %s", errname(errno));
    return 1;
}
