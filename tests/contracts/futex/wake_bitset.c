/* FUTEX_WAKE_BITSET wakes only waiters whose FUTEX_WAIT_BITSET bitset
 * shares a bit with its own; plain FUTEX_WAIT and FUTEX_WAKE use a bitset
 * of all ones. A zero bitset is EINVAL on both sides. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>

static uint32_t word;
static const uint32_t bits[] = {0x1, 0x2, 0x4, 0x3, 0xffffffff};
#define N (int)(sizeof bits / sizeof bits[0])
static int woken[N];
static int nwoken;

static void *waiter(void *arg)
{
    long i = (long)arg;
    while (futex_t(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, bits[i]) != 0)
        ;
    woken[i] = 1;
    __atomic_add_fetch(&nwoken, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void show(const char *label, long r, int expect)
{
    SAY(label, r);
    while (__atomic_load_n(&nwoken, __ATOMIC_SEQ_CST) < expect)
        usleep(1000);
    printf("  woken so far:");
    for (int i = 0; i < N; i++)
        printf(" %d", woken[i]);
    printf("\n");
}

int main(void)
{
    SAY("wait with bitset 0", futex_t(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0));
    SAY("wake with bitset 0", futex_n(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, 0, NULL, 0));
    pthread_t t[N];
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, waiter, (void *)i);
    await_waiters(&word, FUTEX_PRIVATE_FLAG, N);
    /* Only the all-ones waiter has bit 3. */
    show("wake bitset 0x8", futex_n(&word, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, 0, NULL, 0x8), 1);
    show("wake bitset 0x4, count 1", futex_n(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, 0, NULL, 0x4), 2);
    show("wake bitset 0x2", futex_n(&word, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, 0, NULL, 0x2), 4);
    show("wake bitset 0x10", futex_n(&word, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, 0, NULL, 0x10), 4);
    say("waiters left: %ld", futex_waiters(&word, FUTEX_PRIVATE_FLAG));
    show("plain wake", futex_n(&word, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0), N);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    return 0;
}
