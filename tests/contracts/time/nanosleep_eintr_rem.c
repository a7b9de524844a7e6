/* An interrupted nanosleep reports the unslept time in rem: more than 0,
 * less than asked, and at least what was asked minus the time that
 * passed around the call. rem may alias req, which lets a loop resume
 * the sleep. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static volatile int calls;
static void h(int sig) { (void)sig; calls++; }

static long long mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec req = {10, 0}, rem;
    long long a = mono();
    SAY("nanosleep 10s", nanosleep(&req, &rem));
    long long b = mono();
    long long left = ns(rem);
    say("rem > 0: %d", left > 0);
    say("rem < 10s: %d", left < 10000000000LL);
    say("rem >= 10s - time passed: %d", left >= 10000000000LL - (b - a));
    say("rem nsec valid: %d", rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000L);

    /* Resume with rem as both req and rem, interrupted again. */
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec r2 = rem;
    a = mono();
    SAY("resumed", nanosleep(&r2, &r2));
    b = mono();
    long long left2 = ns(r2);
    say("second rem < first: %d", left2 < left);
    say("second rem >= first - time passed: %d", left2 >= left - (b - a));
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
