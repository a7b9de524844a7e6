/* sigsuspend replaces the mask while it waits, returns -1 EINTR after the
 * handler ran, and restores the old mask; a signal already pending and
 * unblocked by the temporary mask ends it at once. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>

static volatile sig_atomic_t got, blocked_in_handler;

static void h(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    blocked_in_handler = sigismember(&cur, SIGUSR2);
    got = sig;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);

    sigset_t block, old, wait, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &old);

    /* Already pending. */
    kill(getpid(), SIGUSR1);
    say("handler before sigsuspend: %d", got);
    sigemptyset(&wait);
    sigaddset(&wait, SIGUSR2);
    SAY("sigsuspend with SIGUSR1 pending", sigsuspend(&wait));
    say("handler got SIGUSR1: %d", got == SIGUSR1);
    say("SIGUSR2 blocked in handler (temporary mask): %d", blocked_in_handler);
    sigprocmask(SIG_SETMASK, NULL, &now);
    say("mask restored: SIGUSR1 %d SIGALRM %d SIGUSR2 %d", sigismember(&now, SIGUSR1), sigismember(&now, SIGALRM), sigismember(&now, SIGUSR2));

    /* Arrives while waiting. */
    got = 0;
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    sigemptyset(&wait);
    SAY("sigsuspend waiting for SIGALRM", sigsuspend(&wait));
    say("handler got SIGALRM: %d", got == SIGALRM);
    sigprocmask(SIG_SETMASK, NULL, &now);
    say("mask restored: SIGUSR1 %d SIGALRM %d SIGUSR2 %d", sigismember(&now, SIGUSR1), sigismember(&now, SIGALRM), sigismember(&now, SIGUSR2));
    sigset_t pend;
    sigpending(&pend);
    say("nothing pending: %d", !sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGALRM));
    return 0;
}
