/* An interrupted nanosleep reports the unslept time in rem: more than 0,
 * less than asked, and less than asked minus the time known to have
 * passed. rem may alias req, which lets a loop resume the sleep. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static volatile int calls;
static void h(int sig) { (void)sig; calls++; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec req = {10, 0}, rem;
    SAY("nanosleep 10s", nanosleep(&req, &rem));
    long long left = rem.tv_sec * 1000000000LL + rem.tv_nsec;
    say("rem > 0: %d", left > 0);
    say("rem <= 10s - 200ms: %d", left <= 9800000000LL);

    /* Resume with rem as both req and rem, interrupted again. */
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec r2 = rem;
    SAY("resumed", nanosleep(&r2, &r2));
    long long left2 = r2.tv_sec * 1000000000LL + r2.tv_nsec;
    say("second rem smaller than first by >= 200ms: %d", left2 <= left - 200000000LL);
    say("handler calls: %d", calls);

    /* Short sleeps are not disturbed by a far timer. */
    it.it_value.tv_sec = 100;
    it.it_value.tv_usec = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    req.tv_sec = 0;
    req.tv_nsec = 10000000;
    SAY("10ms sleep", nanosleep(&req, &rem));
    return 0;
}
