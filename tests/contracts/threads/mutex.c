/* contract: glibc
 * Mutex types: a normal mutex serialises contending threads (no lost
 * updates) and trylock of a held one is EBUSY; a recursive mutex counts
 * its owner's locks; an error-checking one reports relocking (EDEADLK)
 * and unlocking by a non-owner or when unlocked (EPERM); timedlock gives
 * up with ETIMEDOUT. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>

#define THREADS 4
#define ROUNDS 20000
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *inc(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&m);
        long c = counter;
        if (i % 1000 == 0)
            sched_yield(); /* hold the lock across a switch now and then */
        counter = c + 1;
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static pthread_mutex_t *target;
static void *trylock(void *arg)
{
    (void)arg;
    return (void *)(long)pthread_mutex_trylock(target);
}

static void *unlock_other(void *arg)
{
    (void)arg;
    return (void *)(long)pthread_mutex_unlock(target);
}

static void *timedlock(void *arg)
{
    (void)arg;
    struct timespec d = in_ms(CLOCK_REALTIME, 30);
    return (void *)(long)pthread_mutex_timedlock(target, &d);
}

static const char *in_thread(void *(*fn)(void *), pthread_mutex_t *mx)
{
    target = mx;
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, fn, NULL);
    pthread_join(t, &r);
    return errname((int)(long)r);
}

int main(void)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, inc, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    say("normal: counter %ld (expected %d)", counter, THREADS * ROUNDS);
    pthread_mutex_lock(&m);
    say("normal: trylock from another thread while held: %s", in_thread(trylock, &m));
    say("normal: timedlock from another thread while held: %s", in_thread(timedlock, &m));
    pthread_mutex_unlock(&m);
    say("normal: trylock from another thread when free: %s", in_thread(trylock, &m));
    say("normal: unlock from a third thread (not checked): %s", in_thread(unlock_other, &m));

    pthread_mutexattr_t a;
    pthread_mutex_t r;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&r, &a);
    int e1 = pthread_mutex_lock(&r), e2 = pthread_mutex_lock(&r), e3 = pthread_mutex_trylock(&r);
    say("recursive: lock, lock, trylock: %s %s %s", errname(e1), errname(e2), errname(e3));
    say("recursive: trylock from another thread: %s", in_thread(trylock, &r));
    say("recursive: unlock from another thread: %s", in_thread(unlock_other, &r));
    e1 = pthread_mutex_unlock(&r);
    e2 = pthread_mutex_unlock(&r);
    e3 = pthread_mutex_unlock(&r);
    say("recursive: unlock x3: %s %s %s", errname(e1), errname(e2), errname(e3));
    say("recursive: unlock once more: %s", errname(pthread_mutex_unlock(&r)));
    say("recursive: trylock from another thread now: %s", in_thread(trylock, &r));

    pthread_mutex_t e;
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&e, &a);
    say("errorcheck: unlock when unlocked: %s", errname(pthread_mutex_unlock(&e)));
    say("errorcheck: lock: %s", errname(pthread_mutex_lock(&e)));
    say("errorcheck: lock again: %s", errname(pthread_mutex_lock(&e)));
    say("errorcheck: trylock again: %s", errname(pthread_mutex_trylock(&e)));
    say("errorcheck: unlock from another thread: %s", in_thread(unlock_other, &e));
    say("errorcheck: unlock: %s", errname(pthread_mutex_unlock(&e)));
    return 0;
}
