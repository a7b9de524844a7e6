/* FUTEX_WAIT_BITSET takes an absolute deadline: on CLOCK_MONOTONIC by
 * default, on CLOCK_REALTIME with FUTEX_CLOCK_REALTIME. A deadline in the
 * past expires at once; a future one no sooner than it. Which commands
 * accept FUTEX_CLOCK_REALTIME (the others fail with ENOSYS). */
#include "contract.h"
#include "futex_test.h"

int main(void)
{
    static uint32_t w = 0;
    struct timespec past = {1, 0};
    SAY("monotonic deadline in the past", futex_t(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &past, NULL, ~0u));
    SAY("realtime deadline in the past",
        futex_t(&w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &past, NULL, ~0u));

    struct timespec d = in_ms(CLOCK_MONOTONIC, 30);
    long t0 = now_ms();
    SAY("monotonic deadline +30 ms", futex_t(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &d, NULL, ~0u));
    say("waited at least 29 ms: %d", now_ms() - t0 >= 29);

    d = in_ms(CLOCK_REALTIME, 30);
    t0 = now_ms();
    SAY("realtime deadline +30 ms",
        futex_t(&w, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &d, NULL, 0x10));
    say("waited at least 29 ms: %d", now_ms() - t0 >= 29);

    /* A realtime deadline is not a monotonic one: a monotonic reading
     * (seconds since boot) is far in the realtime past. */
    d = in_ms(CLOCK_MONOTONIC, 10000);
    SAY("monotonic time as realtime deadline",
        futex_t(&w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &d, NULL, ~0u));

    struct timespec rel = {0, 1000000};
    SAY("FUTEX_WAIT | CLOCK_REALTIME", futex_t(&w, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &rel, NULL, 0));
    SAY("FUTEX_WAKE | CLOCK_REALTIME", futex_n(&w, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, 0, NULL, 0));
    SAY("FUTEX_WAKE_BITSET | CLOCK_REALTIME",
        futex_n(&w, FUTEX_WAKE_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, 0, NULL, ~0u));
    SAY("FUTEX_REQUEUE | CLOCK_REALTIME",
        futex_n(&w, FUTEX_REQUEUE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, 0, &w, 0));
    SAY("FUTEX_LOCK_PI | CLOCK_REALTIME", futex_t(&w, FUTEX_LOCK_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
    SAY("word still free", w);
    SAY("FUTEX_LOCK_PI2 | CLOCK_REALTIME", futex_t(&w, FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
    say("word now names the caller: %d", w == (uint32_t)gettid_raw());
    SAY("FUTEX_UNLOCK_PI", futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    SAY("word free again", w);
    return 0;
}
