/* clock_nanosleep, relative: returns 0 (errors are returned, not put in
 * errno) after at least the requested time, on the clocks that support
 * sleeping.
 * contract: glibc */
#include "contract.h"
#include <time.h>

static long long now(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void rel(const char *name, clockid_t c)
{
    struct timespec req = {0, 30000000};
    long long a = now(CLOCK_MONOTONIC);
    int r = clock_nanosleep(c, 0, &req, NULL);
    long long b = now(CLOCK_MONOTONIC);
    if (r)
        say("%-16s %s", name, errname(r));
    else
        say("%-16s 0, slept at least 30ms: %d", name, b - a >= 30000000);
}

int main(void)
{
    rel("REALTIME", CLOCK_REALTIME);
    rel("MONOTONIC", CLOCK_MONOTONIC);
    rel("BOOTTIME", CLOCK_BOOTTIME);
    rel("TAI", CLOCK_TAI);
    rel("MONOTONIC_RAW", CLOCK_MONOTONIC_RAW);
    rel("REALTIME_COARSE", CLOCK_REALTIME_COARSE);
    rel("MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE);
    rel("THREAD_CPUTIME", CLOCK_THREAD_CPUTIME_ID);
    rel("REALTIME_ALARM", CLOCK_REALTIME_ALARM);
    rel("clock 10", 10);
    rel("clock 12", 12);
    struct timespec z = {0, 0};
    say("zero sleep: %d", clock_nanosleep(CLOCK_MONOTONIC, 0, &z, NULL));
    return 0;
}
