/* clock_settime and settimeofday refuse what they must without touching
 * the clock: non-settable clocks, bad nanoseconds, bad pointers. (No
 * successful set here: the contract also runs on the host.) */
#include "contract.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    SAY("settime MONOTONIC", syscall(SYS_clock_settime, CLOCK_MONOTONIC, &t));
    SAY("settime BOOTTIME", syscall(SYS_clock_settime, CLOCK_BOOTTIME, &t));
    SAY("settime PROCESS_CPUTIME", syscall(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, &t));
    SAY("settime clock 99", syscall(SYS_clock_settime, 99, &t));
    struct timespec bad = {1700000000, 1000000000};
    SAY("settime REALTIME nsec 1e9", syscall(SYS_clock_settime, CLOCK_REALTIME, &bad));
    bad.tv_nsec = -1;
    SAY("settime REALTIME nsec -1", syscall(SYS_clock_settime, CLOCK_REALTIME, &bad));
    bad.tv_sec = -5;
    bad.tv_nsec = 0;
    SAY("settime REALTIME negative", syscall(SYS_clock_settime, CLOCK_REALTIME, &bad));
    SAY("settime REALTIME bad pointer", syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)16));
    struct timeval tv = {1700000000, 1000000};
    SAY("settimeofday usec 1e6", syscall(SYS_settimeofday, &tv, NULL));
    tv.tv_usec = -1;
    SAY("settimeofday usec -1", syscall(SYS_settimeofday, &tv, NULL));
    SAY("settimeofday bad pointer", syscall(SYS_settimeofday, (void *)16, NULL));
    struct timezone tz = {15 * 60 + 1, 0};
    SAY("settimeofday zone 15h01 west", syscall(SYS_settimeofday, NULL, &tz));
    tz.tz_minuteswest = -15 * 60 - 1;
    SAY("settimeofday zone 15h01 east", syscall(SYS_settimeofday, NULL, &tz));
    SAY("settimeofday bad zone pointer", syscall(SYS_settimeofday, NULL, (void *)16));
    return 0;
}
