/* contract: glibc
 * A barrier releases its threads together, round after round, and tells
 * exactly one of each round PTHREAD_BARRIER_SERIAL_THREAD. */
#include "contract.h"
#include <pthread.h>

#define THREADS 6
#define ROUNDS 25
static pthread_barrier_t b;
static int serial, arrived[ROUNDS], behind;

static void *run(void *arg)
{
    (void)arg;
    for (int r = 0; r < ROUNDS; r++) {
        __atomic_add_fetch(&arrived[r], 1, __ATOMIC_SEQ_CST);
        int ret = pthread_barrier_wait(&b);
        if (ret == PTHREAD_BARRIER_SERIAL_THREAD)
            __atomic_add_fetch(&serial, 1, __ATOMIC_SEQ_CST);
        else if (ret != 0)
            say("barrier_wait: %s", errname(ret));
        /* Past the barrier, everyone has arrived for this round. */
        if (__atomic_load_n(&arrived[r], __ATOMIC_SEQ_CST) != THREADS)
            __atomic_add_fetch(&behind, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

int main(void)
{
    say("init with count 0: %s", errname(pthread_barrier_init(&b, NULL, 0)));
    say("init: %s", errname(pthread_barrier_init(&b, NULL, THREADS)));
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, run, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    say("rounds %d, serial threads %d, released early %d", ROUNDS, serial, behind);
    say("destroy: %s", errname(pthread_barrier_destroy(&b)));
    return 0;
}
