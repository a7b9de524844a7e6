/* fork: the child starts with no pending signals but inherits the mask,
 * the dispositions and the alternate stack; the parent keeps its pending
 * signals. */
#include "contract.h"
#include <signal.h>
#include <sys/wait.h>

static void h(int sig) { (void)sig; }
static char altbuf[16384];

int main(void)
{
    signal(SIGUSR1, h);
    signal(SIGUSR2, SIG_IGN);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &s, NULL);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGTERM);
    union sigval v = {0};
    sigqueue(getpid(), SIGRTMIN, v);
    stack_t ss = {.ss_sp = altbuf, .ss_size = sizeof altbuf, .ss_flags = 0};
    sigaltstack(&ss, NULL);

    pid_t c = fork();
    if (c == 0) {
        sigset_t p, m;
        sigpending(&p);
        say("child pending: USR1 %d TERM %d RTMIN %d", sigismember(&p, SIGUSR1), sigismember(&p, SIGTERM), sigismember(&p, SIGRTMIN));
        sigprocmask(SIG_SETMASK, NULL, &m);
        say("child mask: USR1 %d TERM %d RTMIN %d", sigismember(&m, SIGUSR1), sigismember(&m, SIGTERM), sigismember(&m, SIGRTMIN));
        struct sigaction a;
        sigaction(SIGUSR1, NULL, &a);
        say("child SIGUSR1 handler kept: %d", a.sa_handler == h);
        sigaction(SIGUSR2, NULL, &a);
        say("child SIGUSR2 ignored: %d", a.sa_handler == SIG_IGN);
        stack_t q;
        sigaltstack(NULL, &q);
        say("child alt stack kept: %d size %zu", q.ss_sp == altbuf && q.ss_flags == 0, q.ss_size);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    say("child: %s", wstatus(st));
    sigset_t p;
    sigpending(&p);
    say("parent pending: USR1 %d TERM %d RTMIN %d", sigismember(&p, SIGUSR1), sigismember(&p, SIGTERM), sigismember(&p, SIGRTMIN));
    return 0;
}
