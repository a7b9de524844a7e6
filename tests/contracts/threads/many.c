/* contract: glibc
 * 64 threads alive at once: all created, all waiting together at a
 * barrier, then each returns its own result. */
#include "contract.h"
#include <pthread.h>
#include <sys/syscall.h>

#define N 64
static pthread_barrier_t b;
static pid_t tids[N];
static int alive, max_alive;

static void *run(void *arg)
{
    long i = (long)arg;
    tids[i] = (pid_t)syscall(SYS_gettid);
    int now = __atomic_add_fetch(&alive, 1, __ATOMIC_SEQ_CST);
    int m = __atomic_load_n(&max_alive, __ATOMIC_SEQ_CST);
    while (now > m && !__atomic_compare_exchange_n(&max_alive, &m, now, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
    pthread_barrier_wait(&b);
    __atomic_sub_fetch(&alive, 1, __ATOMIC_SEQ_CST);
    return (void *)(i * 3);
}

int main(void)
{
    pthread_barrier_init(&b, NULL, N);
    pthread_t t[N];
    int created = 0;
    for (long i = 0; i < N; i++)
        created += pthread_create(&t[i], NULL, run, (void *)i) == 0;
    long sum = 0;
    for (int i = 0; i < N; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (long)r;
    }
    int distinct = 1;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < i; j++)
            distinct &= tids[i] != tids[j];
    say("created %d, all alive together %d, distinct tids %d, results sum %ld", created, max_alive == N, distinct, sum);
    /* Twice more, to reuse what the first round freed. */
    for (int round = 0; round < 2; round++) {
        max_alive = 0;
        for (long i = 0; i < N; i++)
            pthread_create(&t[i], NULL, run, (void *)i);
        sum = 0;
        for (int i = 0; i < N; i++) {
            void *r;
            pthread_join(t[i], &r);
            sum += (long)r;
        }
        say("round %d: all alive together %d, sum %ld", round + 2, max_alive == N, sum);
    }
    return 0;
}
