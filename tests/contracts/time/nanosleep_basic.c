/* nanosleep sleeps at least as long as asked (measured on MONOTONIC);
 * a zero sleep returns at once; rem is left alone on success. */
#include "contract.h"
#include <time.h>

static long long mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
    struct timespec req = {0, 50000000}, rem = {7, 7};
    long long a = mono();
    SAY("nanosleep 50ms", nanosleep(&req, &rem));
    long long b = mono();
    say("slept at least 50ms: %d", b - a >= 50000000);
    say("rem untouched: %d", rem.tv_sec == 7 && rem.tv_nsec == 7);

    req.tv_sec = 0;
    req.tv_nsec = 0;
    SAY("nanosleep 0", nanosleep(&req, NULL));
    req.tv_sec = 1;
    req.tv_nsec = 0;
    a = mono();
    SAY("nanosleep 1s", nanosleep(&req, NULL));
    b = mono();
    say("slept at least 1s: %d", b - a >= 1000000000);
    req.tv_sec = 0;
    req.tv_nsec = 999999999;
    a = mono();
    SAY("nanosleep 999999999ns", nanosleep(&req, NULL));
    b = mono();
    say("slept at least 999999999ns: %d", b - a >= 999999999);
    /* usleep and sleep are built on it. */
    a = mono();
    SAY("usleep 30000", usleep(30000));
    b = mono();
    say("usleep slept at least 30ms: %d", b - a >= 30000000);
    return 0;
}
