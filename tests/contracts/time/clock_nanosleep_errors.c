/* clock_nanosleep argument errors are returned as the function result. */
#include "contract.h"
#include <sys/syscall.h>
#include <time.h>

int main(void)
{
    struct timespec t = {0, 1000000000};
    say("nsec 1e9: %s", errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL)));
    t.tv_nsec = -1;
    say("nsec -1: %s", errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL)));
    t.tv_sec = -1;
    t.tv_nsec = 0;
    say("sec -1 relative: %s", errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL)));
    t.tv_sec = 0;
    t.tv_nsec = 1000;
    say("invalid clock 99: %s", errname(clock_nanosleep(99, 0, &t, NULL)));
    say("THREAD_CPUTIME: %s", errname(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &t, NULL)));
    errno = 0;
    long r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (void *)16, NULL);
    say("bad pointer (raw): %ld %s", r, errname(errno));
    r = syscall(SYS_clock_nanosleep, 99, 0, &t, NULL);
    say("bad clock (raw): %ld %s", r, errname(errno));
    errno = 0;
    r = syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &t, NULL);
    say("THREAD_CPUTIME (raw): %ld %s", r, errname(errno));
    errno = 0;
    r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &t, NULL);
    say("MONOTONIC_RAW (raw): %ld %s", r, errname(errno));
    return 0;
}
