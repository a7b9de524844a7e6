/* A relative one-shot timer: not readable before it expires (EAGAIN),
 * readable after, read returns 1 expiration and disarms; a blocking
 * read waits for it; gettime counts down and reads 0 after expiry. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/timerfd.h>

int main(void)
{
    int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec its = {{0, 0}, {0, 80 * 1000000}}, cur;
    long t0 = now_ms();
    OK("settime 80 ms", timerfd_settime(t, 0, &its, 0));
    timerfd_gettime(t, &cur);
    say("gettime: value in (0, 80 ms]: %d, interval zero: %d",
        cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 80000000,
        cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0);
    uint64_t v = 0;
    SAY("read before expiry", read(t, &v, 8));
    say("before: %s", ready(t));
    struct pollfd pf = {.fd = t, .events = POLLIN};
    SAY("poll(-1)", poll(&pf, 1, -1));
    say("waited at least 80 ms: %d", now_ms() - t0 >= 79);
    say("after: %s", ready(t));
    SAY("read", read(t, &v, 8));
    say("  expirations %llu", (unsigned long long)v);
    SAY("read again", read(t, &v, 8));
    timerfd_gettime(t, &cur);
    say("gettime after expiry: %ld.%09ld", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);

    /* Blocking read. */
    fcntl(t, F_SETFL, 0);
    its.it_value.tv_nsec = 30 * 1000000;
    timerfd_settime(t, 0, &its, 0);
    t0 = now_ms();
    SAY("blocking read", read(t, &v, 8));
    say("  expirations %llu, waited at least 30 ms: %d", (unsigned long long)v, now_ms() - t0 >= 29);

    /* Re-arming replaces the old setting; old_value reports it. */
    its.it_value = (struct timespec){100, 0};
    timerfd_settime(t, 0, &its, 0);
    struct itimerspec old;
    its.it_value = (struct timespec){200, 0};
    its.it_interval = (struct timespec){3, 0};
    timerfd_settime(t, 0, &its, &old);
    say("old value about 100 s: %d, old interval %ld", old.it_value.tv_sec == 99 || old.it_value.tv_sec == 100, (long)old.it_interval.tv_sec);
    timerfd_gettime(t, &cur);
    say("now about 200 s: %d, interval %ld", cur.it_value.tv_sec == 199 || cur.it_value.tv_sec == 200, (long)cur.it_interval.tv_sec);
    /* Disarm: a zero value. */
    its.it_value = (struct timespec){0, 0};
    timerfd_settime(t, 0, &its, &old);
    timerfd_gettime(t, &cur);
    say("disarmed: %ld.%09ld interval %ld", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec, (long)cur.it_interval.tv_sec);
    fcntl(t, F_SETFL, O_NONBLOCK);
    SAY("read disarmed", read(t, &v, 8));
    return 0;
}
