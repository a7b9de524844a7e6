/* TFD_TIMER_CANCEL_ON_SET: an absolute CLOCK_REALTIME timer armed with
 * it is cancelled when the clock is set: read fails with ECANCELED (once)
 * and poll reports it readable. Without the flag, or on
 * CLOCK_MONOTONIC, setting the clock cancels nothing. Setting the clock
 * needs root; the clock is set to what it reads, so nothing moves. */
#include "contract.h"
#include "events.h"
#include <stdint.h>
#include <sys/timerfd.h>

#ifndef TFD_TIMER_CANCEL_ON_SET
#define TFD_TIMER_CANCEL_ON_SET 2
#endif

static void set_clock_to_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (clock_settime(CLOCK_REALTIME, &now) < 0)
        say("clock_settime: %s", errname(errno));
}

int main(void)
{
    int t = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    int plain = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    int mono = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct itimerspec its = {{0, 0}, {now.tv_sec + 3600, 0}};
    OK("arm with CANCEL_ON_SET", timerfd_settime(t, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, 0));
    OK("arm without", timerfd_settime(plain, TFD_TIMER_ABSTIME, &its, 0));
    struct itimerspec rel = {{0, 0}, {3600, 0}};
    OK("CANCEL_ON_SET without ABSTIME", timerfd_settime(mono, TFD_TIMER_CANCEL_ON_SET, &rel, 0));
    say("before: %s", ready(t));
    set_clock_to_now();
    say("after clock_settime: %s / plain %s / relative %s", ready(t), ready(plain), ready(mono));
    uint64_t v;
    SAY("read", read(t, &v, 8));
    SAY("read again", read(t, &v, 8));
    SAY("plain read", read(plain, &v, 8));
    struct itimerspec cur;
    timerfd_gettime(t, &cur);
    say("still armed after cancel: %d", cur.it_value.tv_sec > 0);
    /* Re-arming clears the cancelled state; setting the clock again
     * cancels again. */
    timerfd_settime(t, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, 0);
    SAY("read after re-arm", read(t, &v, 8));
    set_clock_to_now();
    SAY("read after a second clock_settime", read(t, &v, 8));
    /* An expired one-shot timer is cancelled too, and one disarmed
     * with a zero value but the flags set. */
    struct itimerspec past = {{0, 0}, {1, 0}};
    timerfd_settime(t, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &past, 0);
    SAY("read the expiry", read(t, &v, 8));
    set_clock_to_now();
    SAY("expired timer after clock_settime", read(t, &v, 8));
    struct itimerspec zero = {{0, 0}, {0, 0}};
    timerfd_settime(t, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &zero, 0);
    set_clock_to_now();
    SAY("disarmed timer after clock_settime", read(t, &v, 8));
    /* A blocked reader is woken with ECANCELED. */
    fcntl(t, F_SETFL, 0);
    timerfd_settime(t, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, 0);
    if (fork() == 0) {
        sleep_ms(40);
        set_clock_to_now();
        _exit(0);
    }
    SAY("blocked read", read(t, &v, 8));
    wait(0);
    return 0;
}
