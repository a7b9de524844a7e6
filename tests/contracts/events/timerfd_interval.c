/* An interval timer counts every expiration since the last read: after
 * sleeping through several periods one read returns them all (at least
 * as many as whole periods elapsed), and the timer keeps running. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/timerfd.h>

int main(void)
{
    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 10 * 1000000}, {0, 10 * 1000000}};
    timerfd_settime(t, 0, &its, 0);
    sleep_ms(105);
    uint64_t v = 0;
    SAY("read", read(t, &v, 8));
    say("  at least 10 expirations: %d", v >= 10);
    SAY("read again (blocks one period)", read(t, &v, 8));
    say("  at least 1: %d", v >= 1);
    struct itimerspec cur;
    timerfd_gettime(t, &cur);
    say("still armed: %d, interval %ld ns", cur.it_value.tv_nsec > 0 || cur.it_value.tv_sec > 0, cur.it_interval.tv_nsec);
    /* An interval with an immediate first expiry. */
    its.it_value = (struct timespec){0, 1};
    its.it_interval = (struct timespec){0, 20 * 1000000};
    timerfd_settime(t, 0, &its, 0);
    SAY("read (first expiry at once)", read(t, &v, 8));
    say("  at least 1: %d", v >= 1);
    /* Setting a new time resets the count. */
    its.it_value = (struct timespec){0, 5 * 1000000};
    its.it_interval = (struct timespec){0, 5 * 1000000};
    timerfd_settime(t, 0, &its, 0);
    sleep_ms(30);
    its.it_value = (struct timespec){10, 0};
    its.it_interval = (struct timespec){0, 0};
    timerfd_settime(t, 0, &its, 0);
    fcntl(t, F_SETFL, O_NONBLOCK);
    SAY("read after re-arming", read(t, &v, 8));
    return 0;
}
