/* SIGEV_THREAD_ID aims a timer at one thread: the signal waits in that
 * thread's own queue (another thread's sigpending does not show it), and
 * only that thread takes it. Overruns count there too.
 * contract: glibc */
#include "contract.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif
#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

static volatile long worker_tid;
static volatile int got_sig, got_code, got_overrun_ok;
static int go[2];

static void *worker(void *arg)
{
    (void)arg;
    worker_tid = syscall(SYS_gettid);
    char b;
    read(go[0], &b, 1);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    siginfo_t si;
    got_sig = sigwaitinfo(&s, &si);
    got_code = si.si_code;
    got_overrun_ok = si.si_overrun >= 3;
    return NULL;
}

int main(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL); /* inherited by the worker */
    pipe(go);
    pthread_t th;
    pthread_create(&th, NULL, worker, NULL);
    while (!worker_tid)
        sched_yield();

    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR2;
    ev.sigev_notify_thread_id = worker_tid;
    timer_t t;
    OK("timer_create for the worker", timer_create(CLOCK_MONOTONIC, &ev, &t));
    struct itimerspec in = {{0, 10000000}, {0, 10000000}};
    timer_settime(t, 0, &in, NULL);
    struct timespec d = {0, 100000000};
    nanosleep(&d, NULL);
    sigset_t p;
    sigpending(&p);
    say("main thread sees it pending: %d", sigismember(&p, SIGUSR2));
    write(go[1], "g", 1);
    pthread_join(th, NULL);
    say("worker took SIGUSR2: %d SI_TIMER %d overrun >= 3 %d", got_sig == SIGUSR2, got_code == SI_TIMER, got_overrun_ok);
    timer_delete(t);
    struct timespec zero = {0, 0};
    siginfo_t si;
    say("main thread can take it: %d", sigtimedwait(&s, &si, &zero) == SIGUSR2);
    return 0;
}
