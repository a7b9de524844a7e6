/* CPU-time clocks: they advance while the process computes, not while it
 * sleeps; the thread clock never exceeds the process clock; their
 * resolution is fine enough to see a few microseconds of work. */
#include "contract.h"
#include <time.h>

static long long ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void spin(long n)
{
    volatile long x = 0;
    for (long i = 0; i < n; i++)
        x += i;
}

int main(void)
{
    long long p0 = ns(CLOCK_PROCESS_CPUTIME_ID);
    spin(20000000);
    long long p1 = ns(CLOCK_PROCESS_CPUTIME_ID);
    say("process clock advanced while spinning: %d", p1 > p0);
    long long t = ns(CLOCK_THREAD_CPUTIME_ID);
    long long p = ns(CLOCK_PROCESS_CPUTIME_ID);
    say("thread <= process: %d", t <= p);

    long long s0 = ns(CLOCK_PROCESS_CPUTIME_ID);
    struct timespec d = {0, 200000000};
    nanosleep(&d, NULL);
    long long s1 = ns(CLOCK_PROCESS_CPUTIME_ID);
    say("a 200ms sleep used less than 100ms of CPU: %d", s1 - s0 < 100000000);

    /* Fine resolution: consecutive reads around a little work differ. */
    int distinct = 0;
    for (int i = 0; i < 50; i++) {
        long long a = ns(CLOCK_THREAD_CPUTIME_ID);
        spin(2000);
        long long b = ns(CLOCK_THREAD_CPUTIME_ID);
        if (b > a)
            distinct++;
    }
    say("thread clock moved across 50 short spins: %d", distinct == 50);
    distinct = 0;
    for (int i = 0; i < 50; i++) {
        long long a = ns(CLOCK_PROCESS_CPUTIME_ID);
        spin(2000);
        long long b = ns(CLOCK_PROCESS_CPUTIME_ID);
        if (b > a)
            distinct++;
    }
    say("process clock moved across 50 short spins: %d", distinct == 50);
    return 0;
}
