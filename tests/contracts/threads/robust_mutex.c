/* contract: glibc
 * A robust mutex whose owner thread ends without unlocking it: the next
 * lock returns EOWNERDEAD (the lock is taken); after
 * pthread_mutex_consistent it works normally; unlocked without it, it
 * becomes unrecoverable (ENOTRECOVERABLE). A waiter blocked at the time
 * of the owner's end gets EOWNERDEAD too. */
#include "contract.h"
#include <pthread.h>

static pthread_mutex_t m;
static volatile int locked;

static void *take_and_leave(void *arg)
{
    pthread_mutex_lock(&m);
    locked = 1;
    if (arg)
        usleep(50 * 1000); /* let the main thread block on it */
    return NULL;           /* ends holding the mutex */
}

static void init(int type)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_settype(&a, type);
    pthread_mutex_init(&m, &a);
}

static void scenario(const char *name, int type, int block)
{
    say("%s:", name);
    init(type);
    locked = 0;
    pthread_t t;
    pthread_create(&t, NULL, take_and_leave, block ? (void *)1L : NULL);
    if (block) {
        while (!locked)
            usleep(1000);
        say("  lock while the owner lives, then ends: %s", errname(pthread_mutex_lock(&m)));
        pthread_join(t, NULL);
    } else {
        pthread_join(t, NULL);
        say("  lock after the owner ended: %s", errname(pthread_mutex_lock(&m)));
    }
    say("  consistent: %s", errname(pthread_mutex_consistent(&m)));
    say("  unlock: %s", errname(pthread_mutex_unlock(&m)));
    say("  lock: %s", errname(pthread_mutex_lock(&m)));
    say("  unlock: %s", errname(pthread_mutex_unlock(&m)));
    pthread_create(&t, NULL, take_and_leave, NULL);
    pthread_join(t, NULL);
    say("  owner ended again, trylock: %s", errname(pthread_mutex_trylock(&m)));
    say("  unlock without consistent: %s", errname(pthread_mutex_unlock(&m)));
    say("  lock: %s", errname(pthread_mutex_lock(&m)));
}

int main(void)
{
    scenario("normal robust mutex", PTHREAD_MUTEX_NORMAL, 0);
    scenario("normal robust mutex, waiter blocked", PTHREAD_MUTEX_NORMAL, 1);
    scenario("error-checking robust mutex", PTHREAD_MUTEX_ERRORCHECK, 0);
    scenario("recursive robust mutex, waiter blocked", PTHREAD_MUTEX_RECURSIVE, 1);
    return 0;
}
