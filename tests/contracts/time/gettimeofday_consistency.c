/* gettimeofday agrees with clock_gettime(CLOCK_REALTIME) read around it
 * (to the microsecond); the timezone argument may be NULL or not.
 * contract: glibc */
#include "contract.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
    int ok = 1;
    for (int i = 0; i < 1000; i++) {
        struct timespec a, b;
        struct timeval tv;
        clock_gettime(CLOCK_REALTIME, &a);
        gettimeofday(&tv, NULL);
        clock_gettime(CLOCK_REALTIME, &b);
        long long lo = a.tv_sec * 1000000LL + a.tv_nsec / 1000;
        long long hi = b.tv_sec * 1000000LL + b.tv_nsec / 1000;
        long long t = tv.tv_sec * 1000000LL + tv.tv_usec;
        if (t < lo || t > hi || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
            ok = 0;
    }
    say("gettimeofday between two clock_gettime reads: %d", ok);
    struct timeval tv;
    struct timezone tz = {-1, -1};
    SAY("raw with timezone", syscall(SYS_gettimeofday, &tv, &tz));
    say("timezone fields: %d %d", tz.tz_minuteswest, tz.tz_dsttime);
    SAY("raw NULL NULL", syscall(SYS_gettimeofday, NULL, NULL));
    SAY("raw bad tv pointer", syscall(SYS_gettimeofday, (void *)16, NULL));
    SAY("raw bad tz pointer", syscall(SYS_gettimeofday, &tv, (void *)16));
    return 0;
}
