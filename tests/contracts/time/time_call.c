/* time(2): seconds since the epoch, stored through the pointer too, and
 * consistent with CLOCK_REALTIME. */
#include "contract.h"
#include <sys/syscall.h>
#include <time.h>

int main(void)
{
    struct timespec a, b;
    time_t t = 0;
    clock_gettime(CLOCK_REALTIME, &a);
    long r = syscall(SYS_time, &t);
    clock_gettime(CLOCK_REALTIME, &b);
    say("return equals stored value: %d", r == t);
    /* Linux's time(2) reads the tick-updated (coarse) clock, which may
     * still show the previous second just after CLOCK_REALTIME moved on. */
    say("between REALTIME reads (coarse): %d", t >= a.tv_sec - 1 && t <= b.tv_sec);
    long n = syscall(SYS_time, NULL);
    say("NULL pointer works: %d", n >= r);
    SAY("bad pointer", syscall(SYS_time, (void *)16));
    say("libc time() agrees: %d", time(NULL) >= t);
    return 0;
}
