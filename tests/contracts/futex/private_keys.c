/* In private (not MAP_SHARED) memory, a shared futex operation and a
 * FUTEX_PRIVATE_FLAG one at the same address name two different futexes
 * (Linux keys both by address space and address, but marks the shared
 * one): neither wakes the other's waiters. After fork, the copies of a
 * private word are different futexes for both kinds. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>
#include <sys/wait.h>

static uint32_t word;

static void *waiter(void *arg)
{
    int priv = (int)(long)arg;
    while (futex_t(&word, FUTEX_WAIT | priv, 0, NULL, NULL, 0) != 0)
        ;
    return NULL;
}

static void pair(const char *kind, int priv)
{
    int other = priv ^ FUTEX_PRIVATE_FLAG;
    pthread_t t;
    pthread_create(&t, NULL, waiter, (void *)(long)priv);
    await_waiters(&word, priv, 1);
    say("%s waiter:", kind);
    SAY("  waiters seen by the same kind", futex_waiters(&word, priv));
    SAY("  waiters seen by the other kind", futex_waiters(&word, other));
    SAY("  wake by the other kind", futex_n(&word, FUTEX_WAKE | other, 1, 0, NULL, 0));
    SAY("  wake by the same kind", futex_n(&word, FUTEX_WAKE | priv, 1, 0, NULL, 0));
    pthread_join(t, NULL);
}

int main(void)
{
    pair("shared", 0);
    pair("private", FUTEX_PRIVATE_FLAG);

    /* A child waits on its copy of the word: the parent's wakes at the
     * same address do not reach it. */
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 300 * 1000000};
        long r = futex_t(&word, FUTEX_WAIT, 0, &ts, NULL, 0);
        _exit(r == -1 && errno == ETIMEDOUT ? 0 : 1);
    }
    usleep(50 * 1000);
    SAY("parent's shared wake at the same address", futex_n(&word, FUTEX_WAKE, 1, 0, NULL, 0));
    SAY("parent's private wake at the same address", futex_n(&word, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
    int st;
    waitpid(pid, &st, 0);
    say("child timed out: %s", wstatus(st));
    return 0;
}
