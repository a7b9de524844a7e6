/* FUTEX_CMP_REQUEUE requeues only if the first word still holds val3
 * (EAGAIN otherwise, nothing woken or moved); it returns woken + moved.
 * Negative counts are refused before the comparison. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>

#define N 4
static uint32_t a = 7, b;
static int done;

static void *waiter(void *arg)
{
    (void)arg;
    while (futex_t(&a, FUTEX_WAIT_PRIVATE, 7, NULL, NULL, 0) != 0)
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
    SAY("no waiters, value matches", futex_n(&a, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &b, 7));
    SAY("no waiters, value differs", futex_n(&a, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &b, 6));
    pthread_t t[N];
    for (int i = 0; i < N; i++)
        pthread_create(&t[i], NULL, waiter, NULL);
    await_waiters(&a, FUTEX_PRIVATE_FLAG, N);
    SAY("value differs", futex_n(&a, FUTEX_CMP_REQUEUE_PRIVATE, 1, INT_MAX, &b, 8));
    counts();
    SAY("negative nr_wake and value differs", futex_n(&a, FUTEX_CMP_REQUEUE_PRIVATE, (uint32_t)-1, 1, &b, 8));
    SAY("negative nr_requeue", futex_n(&a, FUTEX_CMP_REQUEUE_PRIVATE, 1, (unsigned long)(uint32_t)-5, &b, 7));
    SAY("second word misaligned", futex_n(&a, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, (void *)((char *)&b + 2), 7));
    SAY("shared, second word NULL", futex_n(&a, FUTEX_CMP_REQUEUE, 1, 1, NULL, 7));
    counts();
    SAY("wake 1, move 2", futex_n(&a, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &b, 7));
    counts();
    SAY("wake 0, move all to the same futex", futex_n(&a, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, &a, 7));
    counts();
    SAY("wake 5, move 0", futex_n(&b, FUTEX_CMP_REQUEUE_PRIVATE, 5, 0, &a, 0));
    counts();
    SAY("wake the rest", futex_n(&a, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0));
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    say("threads woken: %d", done);
    return 0;
}
