/* SIGEV_THREAD: libc runs the notification function in a thread (musl
 * and glibc build this on SIGEV_THREAD_ID and a helper thread).
 * contract: glibc */
#include "contract.h"
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>

static sem_t done;
static volatile int value, calls;

static void notify(union sigval v)
{
    value = v.sival_int;
    calls++;
    sem_post(&done);
}

int main(void)
{
    sem_init(&done, 0, 0);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = notify;
    ev.sigev_value.sival_int = 4242;
    timer_t t;
    OK("timer_create SIGEV_THREAD", timer_create(CLOCK_MONOTONIC, &ev, &t));
    struct itimerspec in = {{0, 0}, {0, 30000000}};
    OK("timer_settime", timer_settime(t, 0, &in, NULL));
    while (sem_wait(&done) != 0)
        ;
    say("notified once with value %d", value);

    struct itimerspec per = {{0, 10000000}, {0, 10000000}};
    OK("periodic", timer_settime(t, 0, &per, NULL));
    for (int i = 0; i < 3; i++)
        while (sem_wait(&done) != 0)
            ;
    say("periodic notifications >= 4: %d", calls >= 4);
    OK("timer_delete", timer_delete(t));
    return 0;
}
