/* epoll_pwait's signal mask: a blocked signal is let in for the wait
 * (EINTR, handler runs, mask back); a NULL mask is epoll_wait; a wrong
 * sigsetsize is EINVAL. A caught signal interrupts epoll_wait with EINTR
 * even with SA_RESTART. */
#include "contract.h"
#include "events.h"

static volatile int got;
static void on_sig(int sig) { got = sig; }

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_sig;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, 0);
    sigaction(SIGALRM, &sa, 0);
    sigset_t block, none, cur;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, 0);
    sigemptyset(&none);
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    ep_add(ep, p[0], EPOLLIN);
    struct epoll_event ev[4];
    kill(getpid(), SIGUSR1);
    SAY("epoll_pwait with an empty mask", epoll_pwait(ep, ev, 4, -1, &none));
    say("handler ran: %d", got);
    sigprocmask(SIG_BLOCK, 0, &cur);
    say("SIGUSR1 blocked again: %d", sigismember(&cur, SIGUSR1));
    got = 0;
    kill(getpid(), SIGUSR1);
    SAY("epoll_pwait keeping it blocked", epoll_pwait(ep, ev, 4, 20, &block));
    say("handler ran: %d", got);
    SAY("sigsetsize 4", syscall(SYS_epoll_pwait, ep, ev, 4, 0, &none, 4));
    SAY("NULL mask, sigsetsize 4 (ignored)", syscall(SYS_epoll_pwait, ep, ev, 4, 0, NULL, 4));
    sigprocmask(SIG_UNBLOCK, &block, 0);
    say("delivered at unblock: %d", got);
    got = 0;
    struct itimerval it = {{0, 0}, {0, 30000}};
    setitimer(ITIMER_REAL, &it, 0);
    SAY("epoll_wait interrupted (SA_RESTART)", epoll_wait(ep, ev, 4, -1));
    say("handler ran: %d", got);
    SAY("old epoll_wait number", syscall(SYS_epoll_wait, ep, ev, 4, 0));
    write(p[1], "x", 1);
    SAY("old epoll_wait number, ready", syscall(SYS_epoll_wait, ep, ev, 4, 0));
    return 0;
}
