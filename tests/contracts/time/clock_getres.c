/* clock_getres: 1 ns for the high-resolution clocks, one tick (more than
 * 0, at most 10 ms) for the coarse clocks; EINVAL for unknown clocks; a
 * NULL result pointer is allowed. */
#include "contract.h"
#include <sys/syscall.h>
#include <time.h>

static void res(const char *name, clockid_t c)
{
    struct timespec r = {-1, -1};
    errno = 0;
    long ret = syscall(SYS_clock_getres, c, &r);
    if (ret < 0) {
        say("%-18s -1 %s", name, errname(errno));
        return;
    }
    if (r.tv_sec == 0 && r.tv_nsec == 1)
        say("%-18s 1 ns", name);
    else
        say("%-18s tick-like (0 < res <= 10ms): %d", name, r.tv_sec == 0 && r.tv_nsec > 1 && r.tv_nsec <= 10000000);
}

int main(void)
{
    res("REALTIME", CLOCK_REALTIME);
    res("MONOTONIC", CLOCK_MONOTONIC);
    res("PROCESS_CPUTIME", CLOCK_PROCESS_CPUTIME_ID);
    res("THREAD_CPUTIME", CLOCK_THREAD_CPUTIME_ID);
    res("MONOTONIC_RAW", CLOCK_MONOTONIC_RAW);
    res("REALTIME_COARSE", CLOCK_REALTIME_COARSE);
    res("MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE);
    res("BOOTTIME", CLOCK_BOOTTIME);
    res("TAI", CLOCK_TAI);
    res("REALTIME_ALARM", CLOCK_REALTIME_ALARM);
    res("BOOTTIME_ALARM", CLOCK_BOOTTIME_ALARM);
    res("clock 10", 10);
    res("clock 12", 12);
    res("clock 1000", 1000);
    SAY("NULL result", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
    SAY("NULL result, bad clock", syscall(SYS_clock_getres, 77, NULL));
    SAY("bad pointer", syscall(SYS_clock_getres, CLOCK_MONOTONIC, (void *)16));
    struct timespec a, b;
    clock_getres(CLOCK_MONOTONIC_COARSE, &a);
    clock_getres(CLOCK_REALTIME_COARSE, &b);
    say("both coarse clocks have the same resolution: %d", a.tv_nsec == b.tv_nsec);
    return 0;
}
