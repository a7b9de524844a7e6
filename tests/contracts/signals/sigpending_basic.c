/* sigpending lists blocked pending signals; a standard signal is pending
 * once however often it is sent; unblocking delivers it. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>

static volatile int calls;
static void h(int sig) { (void)sig; calls++; }

static void show(const char *label)
{
    sigset_t p;
    sigpending(&p);
    say("%s: USR1 %d USR2 %d TERM %d RTMIN %d", label, sigismember(&p, SIGUSR1), sigismember(&p, SIGUSR2), sigismember(&p, SIGTERM), sigismember(&p, SIGRTMIN));
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGRTMIN, &sa, NULL);

    show("start");
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &s, NULL);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGRTMIN);
    kill(getpid(), SIGRTMIN);
    kill(getpid(), SIGUSR2); /* not blocked: delivered now */
    show("after sending");
    say("handler calls so far: %d", calls);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("handler calls after unblock: %d", calls);
    show("after unblock");

    /* A thread-directed signal shows up too. */
    sigprocmask(SIG_BLOCK, &s, NULL);
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
    show("after tgkill");
    SAY("rt_sigpending bad pointer", syscall(SYS_rt_sigpending, (void *)16, 8));
    SAY("rt_sigpending size 4", syscall(SYS_rt_sigpending, &s, 4));
    SAY("rt_sigpending size 16", syscall(SYS_rt_sigpending, &s, 16));
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("handler calls: %d", calls);
    return 0;
}
