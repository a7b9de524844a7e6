/* contract: glibc
 * Read-write locks: readers share, a writer excludes readers and writers
 * (EBUSY for the try forms, ETIMEDOUT for the timed ones), and writers
 * contending with readers lose no update. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>

static pthread_rwlock_t l = PTHREAD_RWLOCK_INITIALIZER;
static long value;

static void *tryrd(void *arg) { (void)arg; int r = pthread_rwlock_tryrdlock(&l); if (!r) pthread_rwlock_unlock(&l); return (void *)(long)r; }
static void *trywr(void *arg) { (void)arg; int r = pthread_rwlock_trywrlock(&l); if (!r) pthread_rwlock_unlock(&l); return (void *)(long)r; }
static void *timedrd(void *arg)
{
    (void)arg;
    struct timespec d = in_ms(CLOCK_REALTIME, 30);
    int r = pthread_rwlock_timedrdlock(&l, &d);
    if (!r)
        pthread_rwlock_unlock(&l);
    return (void *)(long)r;
}
static void *timedwr(void *arg)
{
    (void)arg;
    struct timespec d = in_ms(CLOCK_REALTIME, 30);
    int r = pthread_rwlock_timedwrlock(&l, &d);
    if (!r)
        pthread_rwlock_unlock(&l);
    return (void *)(long)r;
}

static const char *in_thread(void *(*fn)(void *))
{
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, fn, NULL);
    pthread_join(t, &r);
    return errname((int)(long)r);
}

static void *writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5000; i++) {
        pthread_rwlock_wrlock(&l);
        long v = value;
        if (i % 500 == 0)
            sched_yield();
        value = v + 1;
        pthread_rwlock_unlock(&l);
    }
    return NULL;
}

static int torn;
static void *reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5000; i++) {
        pthread_rwlock_rdlock(&l);
        long a = value;
        if (i % 500 == 0)
            sched_yield();
        if (value != a)
            torn++;
        pthread_rwlock_unlock(&l);
    }
    return NULL;
}

int main(void)
{
    say("main rdlock: %s", errname(pthread_rwlock_rdlock(&l)));
    say("  another reader, try: %s", in_thread(tryrd));
    say("  another reader, timed: %s", in_thread(timedrd));
    say("  a writer, try: %s", in_thread(trywr));
    say("  a writer, timed: %s", in_thread(timedwr));
    say("main unlock: %s", errname(pthread_rwlock_unlock(&l)));
    say("main wrlock: %s", errname(pthread_rwlock_wrlock(&l)));
    say("  a reader, try: %s", in_thread(tryrd));
    say("  a reader, timed: %s", in_thread(timedrd));
    say("  a writer, try: %s", in_thread(trywr));
    say("main unlock: %s", errname(pthread_rwlock_unlock(&l)));
    say("  a writer, try, when free: %s", in_thread(trywr));

    pthread_t t[6];
    for (int i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, i < 3 ? writer : reader, NULL);
    for (int i = 0; i < 6; i++)
        pthread_join(t[i], NULL);
    say("writers' updates: %ld, readers saw changes under a read lock: %d", value, torn);
    return 0;
}
