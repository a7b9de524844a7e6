/* FUTEX_WAKE_OP always wakes up to val waiters of the first futex, and
 * up to val2 of the second only if the comparison of the second word's
 * old value holds: EQ, NE, LT, LE, GT, GE, comparing as signed ints. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>

static uint32_t w1, w2;

static void *wait1(void *arg)
{
    (void)arg;
    while (futex_t(&w1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) != 0)
        ;
    return NULL;
}

static void *wait2(void *arg)
{
    (void)arg;
    for (;;) {
        uint32_t v = __atomic_load_n(&w2, __ATOMIC_SEQ_CST);
        if (futex_t(&w2, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0) == 0)
            return NULL;
    }
}

static const char *cmps[] = {"EQ", "NE", "LT", "LE", "GT", "GE"};

/* The old value of the second word is `old` (kept by SET old). */
static void round_(int cmp, int32_t old, int cmparg)
{
    w2 = (uint32_t)old;
    pthread_t t1, t2;
    pthread_create(&t1, NULL, wait1, NULL);
    pthread_create(&t2, NULL, wait2, NULL);
    await_waiters(&w1, FUTEX_PRIVATE_FLAG, 1);
    await_waiters(&w2, FUTEX_PRIVATE_FLAG, 1);
    long r = futex_n(&w1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &w2, FUTEX_OP(FUTEX_OP_SET, old & 0xfff, cmp, cmparg));
    say("old %d %s %d: woke %ld, second futex still has %ld waiter(s)", old, cmps[cmp], cmparg, r,
        futex_waiters(&w2, FUTEX_PRIVATE_FLAG));
    futex_n(&w2, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
}

int main(void)
{
    for (int cmp = 0; cmp < 6; cmp++)
        for (int arg = 4; arg <= 6; arg++)
            round_(cmp, 5, arg);
    round_(FUTEX_OP_CMP_LT, -2, 0);
    round_(FUTEX_OP_CMP_GT, -2, -3);
    round_(FUTEX_OP_CMP_EQ, -1, -1);
    /* No waiters on the first futex: only the second one's count. */
    w2 = 3;
    pthread_t t2;
    pthread_create(&t2, NULL, wait2, NULL);
    await_waiters(&w2, FUTEX_PRIVATE_FLAG, 1);
    SAY("first futex empty, comparison holds",
        futex_n(&w1, FUTEX_WAKE_OP_PRIVATE, 1, 0, &w2, FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 3)));
    pthread_join(t2, NULL);
    return 0;
}
