/* ppoll's signal mask: a signal blocked outside is let in during the
 * call, so it interrupts it (EINTR) and its handler runs; afterwards the
 * old mask is back. A wrong sigsetsize is EINVAL. */
#include "contract.h"
#include "events.h"

static volatile int got;
static void on_usr1(int sig) { got = sig; }

int main(void)
{
    signal(SIGUSR1, on_usr1);
    sigset_t block, none, cur;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, 0);
    int p[2];
    pipe(p);
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    kill(getpid(), SIGUSR1);
    say("pending before: handler ran %d", got);
    sigemptyset(&none);
    SAY("ppoll with an empty mask", ppoll(&pf, 1, NULL, &none));
    say("handler ran: %d", got);
    sigprocmask(SIG_BLOCK, 0, &cur);
    say("SIGUSR1 blocked again: %d", sigismember(&cur, SIGUSR1));
    got = 0;
    /* A mask that keeps it blocked: the timeout ends the call. */
    kill(getpid(), SIGUSR1);
    struct timespec ts = {0, 20000000};
    SAY("ppoll keeping it blocked", ppoll(&pf, 1, &ts, &block));
    say("handler ran: %d", got);
    SAY("raw ppoll, sigsetsize 4", syscall(SYS_ppoll, &pf, 1, &ts, &none, 4));
    SAY("raw ppoll, sigsetsize 16", syscall(SYS_ppoll, &pf, 1, &ts, &none, 16));
    sigprocmask(SIG_UNBLOCK, &block, 0);
    say("delivered at unblock: %d", got);
    return 0;
}
