/* contract: glibc
 * pthread spinlocks exclude each other across threads (a holder may be
 * preempted: the others spin until it runs again) and trylock of a held
 * lock is EBUSY. */
#include "contract.h"
#include <pthread.h>

static pthread_spinlock_t s;
static long counter;

static void *inc(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_spin_lock(&s);
        counter++;
        pthread_spin_unlock(&s);
    }
    return NULL;
}

static void *try(void *arg)
{
    (void)arg;
    int r = pthread_spin_trylock(&s);
    if (!r)
        pthread_spin_unlock(&s);
    return (void *)(long)r;
}

int main(void)
{
    say("init: %s", errname(pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE)));
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, inc, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    say("counter: %ld", counter);
    pthread_spin_lock(&s);
    void *r;
    pthread_t x;
    pthread_create(&x, NULL, try, NULL);
    pthread_join(x, &r);
    say("trylock while held elsewhere: %s", errname((int)(long)r));
    pthread_spin_unlock(&s);
    pthread_create(&x, NULL, try, NULL);
    pthread_join(x, &r);
    say("trylock when free: %s", errname((int)(long)r));
    say("destroy: %s", errname(pthread_spin_destroy(&s)));
    return 0;
}
