/* contract: glibc
 * Condition variables: pthread_cond_signal lets exactly one waiter take
 * a token, broadcast wakes them all; timed waits give up with ETIMEDOUT
 * on CLOCK_REALTIME and (condattr) CLOCK_MONOTONIC; a producer/consumer
 * queue moves every item exactly once. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int waiting, tokens, got, generation;

static void *token_taker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    waiting++;
    while (tokens == 0)
        pthread_cond_wait(&c, &m);
    tokens--;
    got++;
    waiting--;
    pthread_mutex_unlock(&m);
    return NULL;
}

static void *gen_waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    int g = generation;
    waiting++;
    while (generation == g)
        pthread_cond_wait(&c, &m);
    waiting--;
    got++;
    pthread_mutex_unlock(&m);
    return NULL;
}

static void wait_for_waiters(int n)
{
    /* A waiter counts itself before it waits, holding the mutex; so once
     * we hold the mutex and see n, all n are inside pthread_cond_wait. */
    for (;;) {
        pthread_mutex_lock(&m);
        int w = waiting;
        pthread_mutex_unlock(&m);
        if (w >= n)
            return;
        usleep(1000);
    }
}

#define ITEMS 2000
static int queue[16], head, tail, count, consumed_sum, consumed_n, done_producing;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&m);
        while (count == 16)
            pthread_cond_wait(&not_full, &m);
        queue[tail] = i;
        tail = (tail + 1) % 16;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    done_producing = 1;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&m);
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&m);
        while (count == 0 && !done_producing)
            pthread_cond_wait(&not_empty, &m);
        if (count == 0) {
            pthread_mutex_unlock(&m);
            return NULL;
        }
        consumed_sum += queue[head];
        consumed_n++;
        head = (head + 1) % 16;
        count--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&m);
    }
}

int main(void)
{
    pthread_t t[4];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, token_taker, NULL);
    wait_for_waiters(3);
    pthread_mutex_lock(&m);
    tokens = 1;
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    /* Only one can take the token; the others must go back to waiting. */
    for (;;) {
        pthread_mutex_lock(&m);
        if (got == 1)
            break;
        pthread_mutex_unlock(&m);
        usleep(1000);
    }
    say("signal, one token: taken %d, still waiting %d", got, waiting);
    tokens = 2;
    pthread_cond_broadcast(&c);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    say("broadcast, two tokens: taken %d, still waiting %d", got, waiting);

    got = 0;
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, gen_waiter, NULL);
    wait_for_waiters(4);
    pthread_mutex_lock(&m);
    generation++;
    pthread_cond_broadcast(&c);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    say("broadcast woke: %d", got);

    pthread_mutex_lock(&m);
    struct timespec d = in_ms(CLOCK_REALTIME, 30);
    long t0 = now_ms();
    int r = pthread_cond_timedwait(&c, &m, &d);
    say("timedwait (realtime): %s, waited enough %d", errname(r), now_ms() - t0 >= 29);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_t mc;
    pthread_cond_init(&mc, &ca);
    d = in_ms(CLOCK_MONOTONIC, 30);
    t0 = now_ms();
    r = pthread_cond_timedwait(&mc, &m, &d);
    say("timedwait (monotonic): %s, waited enough %d", errname(r), now_ms() - t0 >= 29);
    struct timespec past = {0, 0};
    say("timedwait, deadline passed: %s", errname(pthread_cond_timedwait(&c, &m, &past)));
    pthread_mutex_unlock(&m);

    pthread_t p, cons[3];
    pthread_create(&p, NULL, producer, NULL);
    for (int i = 0; i < 3; i++)
        pthread_create(&cons[i], NULL, consumer, NULL);
    pthread_join(p, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(cons[i], NULL);
    say("queue: %d items consumed, sum %d", consumed_n, consumed_sum);
    return 0;
}
