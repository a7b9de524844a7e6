/* clock_nanosleep with TIMER_ABSTIME sleeps until the clock reaches the
 * given time; a time in the past returns at once. */
#include "contract.h"
#include <time.h>

static long long now(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct timespec ts(long long ns)
{
    struct timespec t = {ns / 1000000000LL, ns % 1000000000LL};
    return t;
}

static void abs_sleep(const char *name, clockid_t c)
{
    long long target = now(c) + 40000000;
    struct timespec t = ts(target);
    int r = clock_nanosleep(c, TIMER_ABSTIME, &t, NULL);
    long long after = now(c);
    if (r)
        say("%-10s %s", name, errname(r));
    else
        say("%-10s 0, clock reached the target: %d", name, after >= target);
}

int main(void)
{
    abs_sleep("MONOTONIC", CLOCK_MONOTONIC);
    abs_sleep("REALTIME", CLOCK_REALTIME);
    abs_sleep("BOOTTIME", CLOCK_BOOTTIME);
    abs_sleep("TAI", CLOCK_TAI);

    struct timespec past = {0, 0};
    say("MONOTONIC time 0: %d", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
    past = ts(now(CLOCK_REALTIME) - 5000000000LL);
    say("REALTIME 5s ago: %d", clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &past, NULL));
    /* Unknown flag bits are ignored. */
    struct timespec t = ts(now(CLOCK_MONOTONIC) + 1000000);
    say("flags 0x11: %d", clock_nanosleep(CLOCK_MONOTONIC, 0x11, &t, NULL));
    t.tv_nsec = 1000000000;
    say("absolute with bad nsec: %s", errname(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL)));
    t.tv_sec = -1;
    t.tv_nsec = 0;
    say("absolute negative: %s", errname(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL)));
    return 0;
}
