/* FUTEX_REQUEUE wakes up to val waiters of the first futex and moves up
 * to val2 of the others to the second, returning woken + moved; the
 * moved ones sleep on until the second futex is woken. Negative counts
 * are EINVAL. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>

#define N 5
static uint32_t a, b;
static int done;

static void *waiter(void *arg)
{
    (void)arg;
    while (futex_t(&a, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) != 0)
        ;
    __atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void counts(void)
{
    say("  waiters on a: %ld, on b: %ld", futex_waiters(&a, FUTEX_PRIVATE_FLAG), futex_waiters(&b, FUTEX_PRIVATE_FLAG));
}

int main(void)
{
    pthread_t t[N];
    for (int i = 0; i < N; i++)
        pthread_create(&t[i], NULL, waiter, NULL);
    await_waiters(&a, FUTEX_PRIVATE_FLAG, N);
    SAY("requeue with no waiters on b", futex_n(&b, FUTEX_REQUEUE_PRIVATE, 1, 1, &a, 0));
    SAY("requeue wake 1, move 2", futex_n(&a, FUTEX_REQUEUE_PRIVATE, 1, 2, &b, 0));
    counts();
    SAY("requeue wake 0, move 0", futex_n(&a, FUTEX_REQUEUE_PRIVATE, 0, 0, &b, 0));
    counts();
    SAY("requeue nr_wake -1", futex_n(&a, FUTEX_REQUEUE_PRIVATE, (uint32_t)-1, 1, &b, 0));
    SAY("requeue nr_requeue -1", futex_n(&a, FUTEX_REQUEUE_PRIVATE, 0, (unsigned long)(uint32_t)-1, &b, 0));
    SAY("requeue to a misaligned word", futex_n(&a, FUTEX_REQUEUE_PRIVATE, 0, 1, (void *)((char *)&b + 1), 0));
    counts();
    SAY("requeue b back to a, move all", futex_n(&b, FUTEX_REQUEUE_PRIVATE, 0, INT_MAX, &a, 0));
    counts();
    SAY("wake b", futex_n(&b, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0));
    SAY("wake a", futex_n(&a, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0));
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    say("threads woken: %d", done);
    return 0;
}
