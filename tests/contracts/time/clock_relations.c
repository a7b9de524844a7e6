/* Relations between clocks: MONOTONIC never goes back; BOOTTIME is at
 * least MONOTONIC; coarse clocks are never ahead of the fine ones read
 * after them; TAI is REALTIME plus a non-negative offset. */
#include "contract.h"
#include <time.h>

static long long ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
    int mono_ok = 1, raw_ok = 1, boot_ok = 1, coarse_ok = 1, rt_coarse_ok = 1, tai_ok = 1;
    long long last = ns(CLOCK_MONOTONIC), last_raw = ns(CLOCK_MONOTONIC_RAW);
    for (int i = 0; i < 20000; i++) {
        long long m = ns(CLOCK_MONOTONIC);
        if (m < last)
            mono_ok = 0;
        last = m;
        long long r = ns(CLOCK_MONOTONIC_RAW);
        if (r < last_raw)
            raw_ok = 0;
        last_raw = r;
        if (i % 100 == 0) {
            long long mm = ns(CLOCK_MONOTONIC);
            long long b = ns(CLOCK_BOOTTIME);
            if (b < mm)
                boot_ok = 0;
            long long mc = ns(CLOCK_MONOTONIC_COARSE);
            long long mf = ns(CLOCK_MONOTONIC);
            if (mc > mf)
                coarse_ok = 0;
            long long rc = ns(CLOCK_REALTIME_COARSE);
            long long rf = ns(CLOCK_REALTIME);
            if (rc > rf)
                rt_coarse_ok = 0;
            long long rt = ns(CLOCK_REALTIME);
            long long tai = ns(CLOCK_TAI);
            if (tai < rt)
                tai_ok = 0;
        }
    }
    say("MONOTONIC non-decreasing: %d", mono_ok);
    say("MONOTONIC_RAW non-decreasing: %d", raw_ok);
    say("BOOTTIME >= MONOTONIC: %d", boot_ok);
    say("MONOTONIC_COARSE <= MONOTONIC read after: %d", coarse_ok);
    say("REALTIME_COARSE <= REALTIME read after: %d", rt_coarse_ok);
    say("TAI >= REALTIME: %d", tai_ok);
    long long a = ns(CLOCK_MONOTONIC);
    struct timespec d = {0, 20000000};
    nanosleep(&d, NULL);
    long long b = ns(CLOCK_MONOTONIC);
    say("MONOTONIC advanced over a 20ms sleep by >= 20ms: %d", b - a >= 20000000);
    a = ns(CLOCK_MONOTONIC_COARSE);
    nanosleep(&d, NULL);
    b = ns(CLOCK_MONOTONIC_COARSE);
    say("MONOTONIC_COARSE advanced over a 20ms sleep: %d", b > a);
    return 0;
}
