/* contract: glibc
 * Priority-inheritance mutexes (PTHREAD_PRIO_INHERIT: the kernel's PI
 * futexes): mutual exclusion under contention, trylock of a held one is
 * EBUSY, an error-checking one reports relocking; a robust one whose
 * owner ends gives EOWNERDEAD. */
#include "contract.h"
#include <pthread.h>

static pthread_mutex_t m;
static long counter;

static void *inc(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5000; i++) {
        pthread_mutex_lock(&m);
        long c = counter;
        if (i % 250 == 0)
            sched_yield();
        counter = c + 1;
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static void *trylock(void *arg)
{
    (void)arg;
    return (void *)(long)pthread_mutex_trylock(&m);
}

static void *leave_locked(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    return NULL;
}

static void init(int type, int robust)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    int r = pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    if (r)
        say("setprotocol: %s", errname(r));
    pthread_mutexattr_settype(&a, type);
    if (robust)
        pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&m, &a);
}

int main(void)
{
    init(PTHREAD_MUTEX_NORMAL, 0);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, inc, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    say("counter: %ld", counter);
    pthread_mutex_lock(&m);
    void *r;
    pthread_t x;
    pthread_create(&x, NULL, trylock, NULL);
    pthread_join(x, &r);
    say("trylock from another thread while held: %s", errname((int)(long)r));
    say("unlock: %s", errname(pthread_mutex_unlock(&m)));

    init(PTHREAD_MUTEX_ERRORCHECK, 0);
    int e1 = pthread_mutex_lock(&m);
    int e2 = pthread_mutex_lock(&m);
    int e3 = pthread_mutex_unlock(&m);
    int e4 = pthread_mutex_unlock(&m);
    say("errorcheck: lock %s, lock again %s, unlock %s, unlock again %s", errname(e1), errname(e2), errname(e3), errname(e4));

    init(PTHREAD_MUTEX_NORMAL, 1);
    pthread_create(&x, NULL, leave_locked, NULL);
    pthread_join(x, NULL);
    say("robust: lock after the owner ended: %s", errname(pthread_mutex_lock(&m)));
    e1 = pthread_mutex_consistent(&m);
    e2 = pthread_mutex_unlock(&m);
    e3 = pthread_mutex_lock(&m);
    e4 = pthread_mutex_unlock(&m);
    say("robust: consistent %s, unlock %s, lock %s, unlock %s", errname(e1), errname(e2), errname(e3), errname(e4));
    return 0;
}
