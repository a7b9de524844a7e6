/* A periodic timer whose signal stays blocked queues one signal and
 * counts the further expirations as overruns (si_overrun and
 * timer_getoverrun). Intervals are reported exactly as set. */
#include "contract.h"
#include <signal.h>
#include <time.h>

int main(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN + 1;
    timer_t t;
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    struct itimerspec in = {{0, 10000000}, {0, 10000000}};
    OK("arm 10ms periodic", timer_settime(t, 0, &in, NULL));
    struct itimerspec cur;
    timer_gettime(t, &cur);
    say("interval: %ld.%09ld", (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
    struct timespec d = {0, 200000000};
    nanosleep(&d, NULL);
    siginfo_t si;
    sigwaitinfo(&s, &si);
    say("si_code SI_TIMER: %d", si.si_code == SI_TIMER);
    say("si_overrun >= 5: %d", si.si_overrun >= 5);
    int ov = timer_getoverrun(t);
    say("timer_getoverrun equals si_overrun: %d", ov == si.si_overrun);
    sigset_t p;
    sigpending(&p);
    say("only one signal was queued: %d", !sigismember(&p, SIGRTMIN + 1));

    /* Still running: the next expiry gives a fresh signal. */
    sigwaitinfo(&s, &si);
    say("next signal: SI_TIMER %d", si.si_code == SI_TIMER);
    timer_delete(t);
    return 0;
}
