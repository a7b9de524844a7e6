/* contract: glibc
 * POSIX semaphores between threads: posts and waits balance; trywait on
 * zero is EAGAIN; timedwait gives up with ETIMEDOUT; waiters blocked on a
 * semaphore are released one per post. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>
#include <semaphore.h>

static sem_t s, done;

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++)
        sem_wait(&s);
    sem_post(&done);
    return NULL;
}

int main(void)
{
    sem_init(&s, 0, 0);
    sem_init(&done, 0, 0);
    errno = 0;
    int r = sem_trywait(&s);
    say("trywait on 0: %d %s", r, errname(errno));
    struct timespec d = in_ms(CLOCK_REALTIME, 30);
    long t0 = now_ms();
    r = sem_timedwait(&s, &d);
    say("timedwait on 0: %d %s, waited enough %d", r, errname(errno), now_ms() - t0 >= 29);
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, consumer, NULL);
    for (int i = 0; i < 3000; i++)
        sem_post(&s);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    int v = -1;
    sem_getvalue(&s, &v);
    say("all 3000 posts consumed, value now %d", v);
    sem_getvalue(&done, &v);
    say("consumers done: %d", v);
    return 0;
}
