/* A signal handler interrupts FUTEX_WAIT: without SA_RESTART the wait
 * fails with EINTR; with SA_RESTART an untimed wait is restarted and goes
 * on until woken, while a timed one still fails with EINTR. */
#include "contract.h"
#include "futex_test.h"
#include <pthread.h>

static uint32_t word;
static volatile int handled;
static volatile pid_t main_tid;
static int wake_after;

static void handler(int sig)
{
    (void)sig;
    handled++;
}

static void *poker(void *arg)
{
    (void)arg;
    await_waiters(&word, FUTEX_PRIVATE_FLAG, 1);
    int before = handled;
    syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
    if (wake_after) {
        /* Once the handler ran, the restarted wait sleeps again. */
        while (handled == before)
            usleep(1000);
        await_waiters(&word, FUTEX_PRIVATE_FLAG, 1);
        futex_n(&word, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
    }
    return NULL;
}

static void run(const char *label, int flags, const struct timespec *ts, int bitset)
{
    struct sigaction sa = {0};
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigaction(SIGUSR1, &sa, NULL);
    wake_after = (flags & SA_RESTART) && !ts;
    pthread_t t;
    pthread_create(&t, NULL, poker, NULL);
    long r = bitset ? futex_t(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, ts, NULL, ~0u)
                    : futex_t(&word, FUTEX_WAIT_PRIVATE, 0, ts, NULL, 0);
    int e = errno;
    pthread_join(t, NULL);
    say("%s: %s, handler ran %d time(s)", label, r == 0 ? "0" : errname(e), handled);
    handled = 0;
}

int main(void)
{
    main_tid = (pid_t)gettid_raw();
    struct timespec rel = {10, 0};
    run("no SA_RESTART, untimed", 0, NULL, 0);
    run("no SA_RESTART, timed", 0, &rel, 0);
    run("SA_RESTART, untimed", SA_RESTART, NULL, 0);
    run("SA_RESTART, timed", SA_RESTART, &rel, 0);
    struct timespec abs = in_ms(CLOCK_MONOTONIC, 10000);
    run("SA_RESTART, bitset with deadline", SA_RESTART, &abs, 1);
    run("SA_RESTART, bitset untimed", SA_RESTART, NULL, 1);
    return 0;
}
