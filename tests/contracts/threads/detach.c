/* contract: glibc
 * Detached threads run and end on their own; their resources are
 * reclaimed without a join. A joinable thread can be detached later. */
#include "contract.h"
#include <pthread.h>
#include <semaphore.h>

static sem_t done;
static int ran;

static void *work(void *arg)
{
    __atomic_add_fetch(&ran, (int)(long)arg, __ATOMIC_SEQ_CST);
    sem_post(&done);
    return NULL;
}

int main(void)
{
    sem_init(&done, 0, 0);
    pthread_attr_t a;
    pthread_attr_init(&a);
    int state = -1;
    pthread_attr_getdetachstate(&a, &state);
    say("default joinable: %d", state == PTHREAD_CREATE_JOINABLE);
    say("set detached: %s", errname(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED)));
    for (long i = 1; i <= 20; i++) {
        pthread_t t;
        if (pthread_create(&t, &a, work, (void *)i))
            say("create failed");
    }
    for (int i = 0; i < 20; i++)
        sem_wait(&done);
    say("detached threads ran, total %d", ran);

    pthread_t t;
    pthread_create(&t, NULL, work, (void *)100L);
    sem_wait(&done);
    say("detach a running or finished thread: %s", errname(pthread_detach(t)));
    say("total %d", ran);
    /* Let the detached threads finish exiting before the process ends. */
    usleep(50 * 1000);
    return 0;
}
