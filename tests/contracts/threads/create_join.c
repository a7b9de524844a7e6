/* contract: glibc
 * pthread_create runs each function in a new thread; pthread_join waits
 * for it and returns its result (the kernel's CLONE_CHILD_CLEARTID wake-up
 * ends the join); pthread_exit's value too. Joining oneself is EDEADLK. */
#include "contract.h"
#include <pthread.h>

static void *square(void *arg)
{
    long i = (long)arg;
    if (i == 3)
        pthread_exit((void *)(i * i));
    return (void *)(i * i);
}

static void *nested(void *arg)
{
    (void)arg;
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, square, (void *)9L);
    pthread_join(t, &r);
    return r;
}

int main(void)
{
    pthread_t t[8];
    for (long i = 0; i < 8; i++)
        say("create %ld: %s", i, errname(pthread_create(&t[i], NULL, square, (void *)i)));
    long sum = 0;
    for (int i = 0; i < 8; i++) {
        void *r;
        int e = pthread_join(t[i], &r);
        say("join %d: %s, result %ld", i, errname(e), (long)r);
        sum += (long)r;
    }
    say("sum of squares: %ld", sum);
    say("self equals self: %d", pthread_equal(pthread_self(), pthread_self()) != 0);
    pthread_t n;
    void *r;
    pthread_create(&n, NULL, nested, NULL);
    pthread_join(n, &r);
    say("thread created by a thread: %ld", (long)r);
    /* Many short-lived threads in sequence. */
    long total = 0;
    for (long i = 0; i < 200; i++) {
        pthread_create(&n, NULL, square, (void *)(i % 10));
        pthread_join(n, &r);
        total += (long)r;
    }
    say("200 threads in sequence: %ld", total);
    return 0;
}
