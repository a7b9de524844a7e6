/* Timed PI locks: FUTEX_LOCK_PI's timeout is an absolute CLOCK_REALTIME
 * time; FUTEX_LOCK_PI2's is CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME.
 * A waiter that times out gives up (ETIMEDOUT) and the lock stays with
 * its owner; TRYLOCK_PI ignores the timeout argument. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>

static uint32_t w;
static char out[6][128];

static void record(int i, const char *what, long r, long t0)
{
    snprintf(out[i], sizeof out[i], "%s: %s, waited enough %d", what, r == -1 ? errname(errno) : "0",
             now_ms() - t0 >= 29);
}

static void *waiter(void *arg)
{
    (void)arg;
    struct timespec d = in_ms(CLOCK_REALTIME, 30);
    long t0 = now_ms();
    long r = futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, &d, NULL, 0);
    record(0, "LOCK_PI, realtime +30 ms", r, t0);

    d = in_ms(CLOCK_MONOTONIC, 30);
    t0 = now_ms();
    r = futex_t(&w, FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG, 0, &d, NULL, 0);
    record(1, "LOCK_PI2, monotonic +30 ms", r, t0);

    d = in_ms(CLOCK_REALTIME, 30);
    t0 = now_ms();
    r = futex_t(&w, FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 0, &d, NULL, 0);
    record(2, "LOCK_PI2 | CLOCK_REALTIME, realtime +30 ms", r, t0);

    /* A monotonic reading is long past as a realtime deadline. */
    d = in_ms(CLOCK_MONOTONIC, 5000);
    r = futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, &d, NULL, 0);
    record(3, "LOCK_PI, monotonic time as deadline", r, now_ms() - 100);

    struct timespec bad = {0, 2000000000L};
    r = futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, &bad, NULL, 0);
    record(4, "LOCK_PI, invalid timespec", r, now_ms() - 100);
    r = futex_t(&w, FUTEX_TRYLOCK_PI_PRIVATE, 0, &bad, NULL, 0);
    record(5, "TRYLOCK_PI, invalid timespec", r, now_ms() - 100);
    return NULL;
}

int main(void)
{
    SAY("main locks", futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    pthread_join(t, NULL);
    for (int i = 0; i < 6; i++)
        say("%s", out[i]);
    say("main still owns it: %d", (w & FUTEX_TID_MASK) == (uint32_t)gettid_raw());
    SAY("main unlocks", futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    say("word: %u", w);
    return 0;
}
