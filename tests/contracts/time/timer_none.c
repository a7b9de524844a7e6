/* SIGEV_NONE: the timer runs and can be read with timer_gettime, but
 * sends nothing. */
#include "contract.h"
#include <signal.h>
#include <time.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_NONE;
    timer_t t;
    OK("timer_create SIGEV_NONE", timer_create(CLOCK_MONOTONIC, &ev, &t));
    struct itimerspec in = {{0, 0}, {0, 500000000}}, cur, later;
    timer_settime(t, 0, &in, NULL);
    timer_gettime(t, &cur);
    struct timespec d = {0, 20000000};
    nanosleep(&d, NULL);
    timer_gettime(t, &later);
    say("counting down: %d", ns(later.it_value) < ns(cur.it_value) && ns(later.it_value) > 0);
    d.tv_nsec = 600000000;
    nanosleep(&d, NULL);
    timer_gettime(t, &cur);
    say("expired one-shot reads 0: %d", ns(cur.it_value) == 0);
    sigset_t p;
    sigpending(&p);
    int any = 0;
    for (int s = 1; s < 65; s++)
        if (sigismember(&p, s) == 1)
            any = 1;
    say("no signal pending: %d", !any);

    struct itimerspec per = {{0, 30000000}, {0, 30000000}};
    timer_settime(t, 0, &per, NULL);
    d.tv_nsec = 100000000;
    nanosleep(&d, NULL);
    timer_gettime(t, &cur);
    say("periodic keeps running: value in (0, 30ms] %d, interval 30ms %d", ns(cur.it_value) > 0 && ns(cur.it_value) <= 30000000, ns(cur.it_interval) == 30000000);
    SAY("overrun of a SIGEV_NONE timer", timer_getoverrun(t));
    OK("timer_delete", timer_delete(t));
    return 0;
}
