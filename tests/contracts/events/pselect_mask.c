/* pselect6: the temporary mask lets a blocked signal in (EINTR, handler
 * runs, mask restored); the timespec is checked; a NULL mask leaves the
 * mask alone. */
#include "contract.h"
#include "events.h"
#include <sys/select.h>

static volatile int got;
static void on_usr2(int sig) { got = sig; }

int main(void)
{
    signal(SIGUSR2, on_usr2);
    sigset_t block, none, cur;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, 0);
    int p[2];
    pipe(p);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    kill(getpid(), SIGUSR2);
    sigemptyset(&none);
    SAY("pselect with an empty mask", pselect(p[0] + 1, &r, 0, 0, NULL, &none));
    say("handler ran: %d", got);
    sigprocmask(SIG_BLOCK, 0, &cur);
    say("still blocked after: %d", sigismember(&cur, SIGUSR2));
    struct timespec ts = {0, 20000000};
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    got = 0;
    kill(getpid(), SIGUSR2);
    SAY("pselect with NULL mask", pselect(p[0] + 1, &r, 0, 0, &ts, NULL));
    say("handler ran: %d", got);
    struct timespec bad = {0, 2000000000};
    SAY("pselect bad timespec", pselect(p[0] + 1, &r, 0, 0, &bad, NULL));
    write(p[1], "x", 1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    SAY("pselect ready", pselect(p[0] + 1, &r, 0, 0, &ts, &none));
    say("handler ran (signal still pending, descriptor ready first?): %d", got);
    sigprocmask(SIG_UNBLOCK, &block, 0);
    say("after unblock: %d", got);
    return 0;
}
