/* clock_gettime for every clock id Linux defines: which succeed, which
 * fail (the alarm clocks need an RTC with wake-up alarms, which this
 * machine lacks; clock 10 is gone), and that values are sane.
 * contract: glibc */
#include "contract.h"
#include <sys/syscall.h>
#include <time.h>

static const char *names[] = {"REALTIME", "MONOTONIC", "PROCESS_CPUTIME_ID", "THREAD_CPUTIME_ID", "MONOTONIC_RAW", "REALTIME_COARSE",
                              "MONOTONIC_COARSE", "BOOTTIME", "REALTIME_ALARM", "BOOTTIME_ALARM", "SGI_CYCLE(10)", "TAI"};

int main(void)
{
    for (int id = 0; id < 12; id++) {
        struct timespec ts = {-1, -1};
        errno = 0;
        long r = syscall(SYS_clock_gettime, id, &ts);
        if (r < 0)
            say("%-20s -1 %s", names[id], errname(errno));
        else
            say("%-20s 0 nsec valid %d sec >= 0 %d", names[id], ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L, ts.tv_sec >= 0);
    }
    int bad[] = {12, 13, 16, 100, 0x7fffffff};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct timespec ts;
        errno = 0;
        long r = syscall(SYS_clock_gettime, bad[i], &ts);
        say("clock %d: %ld %s", bad[i], r, r < 0 ? errname(errno) : "");
    }
    struct timespec ts;
    SAY("libc clock_gettime(REALTIME)", clock_gettime(CLOCK_REALTIME, &ts));
    SAY("libc clock_gettime(MONOTONIC)", clock_gettime(CLOCK_MONOTONIC, &ts));
    SAY("libc clock_gettime(BOOTTIME)", clock_gettime(CLOCK_BOOTTIME, &ts));
    SAY("raw bad pointer", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)16));
    return 0;
}
