/* A contended PI lock: the waiter sets FUTEX_WAITERS and sleeps; the
 * owner's UNLOCK_PI hands the lock straight to it (its tid in the word,
 * FUTEX_WAITERS kept while the kernel knew the lock). TRYLOCK_PI of a
 * held lock is EAGAIN; FUTEX_WAKE on a PI futex with waiters is EINVAL. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>

static uint32_t w;
static long b_lock, b_owner_ok, b_waiters, b_unlock;
static uint32_t b_tid;

static void *locker(void *arg)
{
    (void)arg;
    b_tid = (uint32_t)gettid_raw();
    b_lock = futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    uint32_t v = w;
    b_owner_ok = (v & FUTEX_TID_MASK) == b_tid;
    b_waiters = (v & FUTEX_WAITERS) != 0;
    b_unlock = futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}

static void *trylocker(void *arg)
{
    (void)arg;
    long r = futex_t(&w, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    return (void *)(r == -1 ? (long)errno : 0L);
}

int main(void)
{
    SAY("main locks", futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    pthread_t t;
    void *res;
    pthread_create(&t, NULL, trylocker, NULL);
    pthread_join(t, &res);
    say("other thread's trylock: %s", errname((int)(long)res));
    say("  WAITERS set by the failed trylock: %d", (w & FUTEX_WAITERS) != 0);

    SAY("main unlocks (no waiters)", futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    say("  word: %u", w);
    SAY("main locks again", futex_t(&w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));

    pthread_create(&t, NULL, locker, NULL);
    /* The waiter sets FUTEX_WAITERS under the kernel's futex lock, in the
     * same step as it queues. */
    while (!(__atomic_load_n(&w, __ATOMIC_SEQ_CST) & FUTEX_WAITERS))
        usleep(1000);
    say("owner still main: %d", (w & FUTEX_TID_MASK) == (uint32_t)gettid_raw());
    SAY("FUTEX_WAKE on the PI futex", futex_n(&w, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
    SAY("main unlocks", futex_t(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    pthread_join(t, NULL);
    say("waiter's lock: %ld, it owned the word: %ld, WAITERS kept: %ld, its unlock: %ld", b_lock, b_owner_ok, b_waiters, b_unlock);
    say("word at the end: %u", w);
    return 0;
}
