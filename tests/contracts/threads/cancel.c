/* contract: glibc
 * Deferred cancellation: a thread blocked at a cancellation point
 * (pthread_cond_wait, read, nanosleep, a futex-based sem_wait) is
 * cancelled there, its cleanup handlers run in reverse order, and join
 * returns PTHREAD_CANCELED. With cancellation disabled, the request waits
 * until it is enabled again and a cancellation point is reached. */
#include "contract.h"
#include "../futex/futex_test.h"
#include <pthread.h>
#include <semaphore.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int pipefd[2];
static sem_t sem;
static char order[16];
static int olen;
static volatile int started, proceed;

static void note(void *arg)
{
    order[olen++] = (char)(long)arg;
}

static void unlock_mutex(void *arg)
{
    pthread_mutex_unlock(arg);
    note((void *)'M');
}

static void *in_cond_wait(void *arg)
{
    (void)arg;
    pthread_cleanup_push(note, (void *)'A');
    pthread_cleanup_push(note, (void *)'B');
    pthread_mutex_lock(&m);
    pthread_cleanup_push(unlock_mutex, &m);
    started = 1;
    for (;;)
        pthread_cond_wait(&c, &m);
    pthread_cleanup_pop(1);
    pthread_cleanup_pop(1);
    pthread_cleanup_pop(1);
    return NULL;
}

static void *in_read(void *arg)
{
    (void)arg;
    char ch;
    started = 1;
    read(pipefd[0], &ch, 1);
    return (void *)1L;
}

static void *in_sleep(void *arg)
{
    (void)arg;
    started = 1;
    sleep(100);
    return (void *)1L;
}

static void *in_sem_wait(void *arg)
{
    (void)arg;
    started = 1;
    sem_wait(&sem);
    return (void *)1L;
}

static void *disabled(void *arg)
{
    (void)arg;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    started = 1;
    while (!proceed)
        usleep(1000); /* a cancellation point, but cancellation is off */
    note((void *)'D');
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    pthread_testcancel();
    note((void *)'X'); /* not reached */
    return NULL;
}

static void *no_cancel_point(void *arg)
{
    (void)arg;
    started = 1;
    while (!proceed)
        ; /* no cancellation point: runs on */
    note((void *)'S');
    pthread_testcancel();
    return NULL;
}

static volatile int finished;
static void *quick(void *arg)
{
    (void)arg;
    finished = 1;
    return (void *)5L;
}

static void run(const char *name, void *(*fn)(void *))
{
    started = proceed = 0;
    olen = 0;
    pthread_t t;
    pthread_create(&t, NULL, fn, NULL);
    while (!started)
        usleep(1000);
    usleep(20 * 1000); /* let it block */
    int r = pthread_cancel(t);
    usleep(20 * 1000);
    proceed = 1;
    void *res;
    pthread_join(t, &res);
    order[olen] = 0;
    say("%s: cancel %s, joined %s, cleanup order \"%s\"", name, errname(r), res == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "a value",
        order);
}

int main(void)
{
    pipe(pipefd);
    sem_init(&sem, 0, 0);
    run("pthread_cond_wait", in_cond_wait);
    say("mutex free again: %s", errname(pthread_mutex_trylock(&m)));
    pthread_mutex_unlock(&m);
    run("read", in_read);
    run("sleep", in_sleep);
    run("sem_wait", in_sem_wait);
    run("cancellation disabled", disabled);
    run("no cancellation point", no_cancel_point);
    pthread_t t;
    pthread_create(&t, NULL, quick, NULL);
    while (!finished)
        usleep(1000);
    usleep(20 * 1000);
    say("cancel a thread that has returned: %s", errname(pthread_cancel(t)));
    void *res;
    pthread_join(t, &res);
    say("  joined %s", res == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "its value");
    return 0;
}
