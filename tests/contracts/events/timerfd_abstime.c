/* TFD_TIMER_ABSTIME: the value is a time on the timer's clock; one in
 * the past fires at once; gettime still reports time left (relative).
 * Works on CLOCK_MONOTONIC, CLOCK_REALTIME and CLOCK_BOOTTIME. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/timerfd.h>

static void run(const char *name, clockid_t clk)
{
    int t = timerfd_create(clk, 0);
    struct timespec now;
    clock_gettime(clk, &now);
    struct itimerspec its = {{0, 0}, now};
    its.it_value.tv_nsec += 50 * 1000000;
    if (its.it_value.tv_nsec >= 1000000000) {
        its.it_value.tv_sec++;
        its.it_value.tv_nsec -= 1000000000;
    }
    long t0 = now_ms();
    timerfd_settime(t, TFD_TIMER_ABSTIME, &its, 0);
    struct itimerspec cur;
    timerfd_gettime(t, &cur);
    say("%s: gettime is relative: %d", name, cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 50000000);
    uint64_t v;
    SAY("  read", read(t, &v, 8));
    say("  expirations %llu, waited at least 50 ms: %d", (unsigned long long)v, now_ms() - t0 >= 49);
    /* 1 ns after the clock's epoch: long past on every clock. */
    its.it_value = (struct timespec){0, 1};
    OK("  arm in the past", timerfd_settime(t, TFD_TIMER_ABSTIME, &its, 0));
    SAY("  read, past time", read(t, &v, 8));
    say("  expirations %llu", (unsigned long long)v);
    /* An interval timer armed in the past counts the periods missed:
     * every 100 ms since 1 s before now (when the clock reads past 1 s,
     * as these do after boot). */
    its.it_value = now;
    its.it_value.tv_sec -= 1;
    its.it_interval = (struct timespec){0, 100 * 1000000};
    OK("  arm periodic from 1 s ago", timerfd_settime(t, TFD_TIMER_ABSTIME, &its, 0));
    SAY("  read, periodic from 1 s ago", read(t, &v, 8));
    say("  at least 10: %d", v >= 10);
    close(t);
}

int main(void)
{
    run("MONOTONIC", CLOCK_MONOTONIC);
    run("REALTIME", CLOCK_REALTIME);
    run("BOOTTIME", CLOCK_BOOTTIME);
    return 0;
}
