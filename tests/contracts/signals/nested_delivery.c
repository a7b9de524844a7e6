/* A handler can itself be interrupted by another signal that it does not
 * block; the inner handler returns into the outer one, which then
 * returns to the main program with its registers intact. */
#include "contract.h"
#include <signal.h>

static char trace[32];
static volatile int tn;

static void inner(int sig)
{
    (void)sig;
    trace[tn++] = 'i';
}

static void outer(int sig)
{
    (void)sig;
    volatile double x = 1.5;
    trace[tn++] = '(';
    raise(SIGUSR2);
    x *= 3.0; /* FPU state survives the inner handler */
    trace[tn++] = x == 4.5 ? 'f' : '!';
    trace[tn++] = ')';
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = inner;
    sigaction(SIGUSR2, &sa, NULL);
    sa.sa_handler = outer;
    sigaction(SIGUSR1, &sa, NULL);

    volatile double y = 2.25;
    volatile long k = 41;
    raise(SIGUSR1);
    say("order: %s", trace);
    say("main's values intact: %d", y == 2.25 && k + 1 == 42);

    /* Two levels from a blocked pair released together: the lower number
     * is taken first, and the higher one interrupts its handler at once. */
    tn = 0;
    memset(trace, 0, sizeof trace);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGUSR2);
    raise(SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("released together: %s", trace);
    return 0;
}
