/* FUTEX_WAKE wakes exactly as many waiters as asked and returns that
 * number. The count is an int: 0 and negative counts still wake one;
 * INT_MAX wakes all. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>

#define N 6
static uint32_t word;
static int done;

static void *waiter(void *arg)
{
    (void)arg;
    /* The word never changes: only a FUTEX_WAKE ends the wait. */
    while (futex_t(&word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) != 0)
        ;
    __atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void step(const char *label, uint32_t count, long expect_left)
{
    SAY(label, futex_n(&word, FUTEX_WAKE_PRIVATE, count, 0, NULL, 0));
    say("  waiters left: %ld", futex_waiters(&word, FUTEX_PRIVATE_FLAG));
    (void)expect_left;
}

int main(void)
{
    SAY("wake with no waiters", futex_n(&word, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
    pthread_t t[N];
    for (int i = 0; i < N; i++)
        pthread_create(&t[i], NULL, waiter, NULL);
    await_waiters(&word, FUTEX_PRIVATE_FLAG, N);
    say("waiters: %ld", futex_waiters(&word, FUTEX_PRIVATE_FLAG));
    step("wake 1", 1, 5);
    step("wake 0 (wakes one)", 0, 4);
    step("wake 2", 2, 2);
    step("wake -1 (wakes one)", (uint32_t)-1, 1);
    SAY("shared wake of private waiters", futex_n(&word, FUTEX_WAKE, 1, 0, NULL, 0));
    step("wake INT_MAX", INT_MAX, 0);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    say("threads woken: %d", done);
    return 0;
}
