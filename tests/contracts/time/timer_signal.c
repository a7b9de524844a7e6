/* timer_create with SIGEV_SIGNAL: the signal arrives with si_code
 * SI_TIMER and the sigev_value; timer_gettime shows the time left;
 * timer_delete removes the timer.
 * contract: glibc */
#include "contract.h"
#include <signal.h>
#include <time.h>

int main(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &s, NULL);

    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN;
    ev.sigev_value.sival_int = 77;
    timer_t t;
    OK("timer_create", timer_create(CLOCK_MONOTONIC, &ev, &t));

    struct itimerspec cur;
    OK("timer_gettime unarmed", timer_gettime(t, &cur));
    say("unarmed: %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

    struct itimerspec in = {{0, 0}, {0, 200000000}}, old;
    OK("timer_settime 200ms", timer_settime(t, 0, &in, &old));
    say("old setting unarmed: %d", old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0);
    timer_gettime(t, &cur);
    say("left in (0, 200ms]: %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 200000000);

    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = sigwaitinfo(&s, &si);
    say("signal SIGRTMIN %d SI_TIMER %d value %d overrun %d", r == SIGRTMIN, si.si_code == SI_TIMER, si.si_value.sival_int, si.si_overrun);
    timer_gettime(t, &cur);
    say("disarmed after expiry: %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
    SAY("timer_getoverrun", timer_getoverrun(t));

    /* Re-arm and disarm before it fires: no signal. */
    in.it_value.tv_nsec = 30000000;
    timer_settime(t, 0, &in, NULL);
    struct itimerspec zero = {{0, 0}, {0, 0}};
    OK("disarm", timer_settime(t, 0, &zero, &old));
    say("old had time left: %d", old.it_value.tv_nsec > 0);
    struct timespec d = {0, 60000000};
    nanosleep(&d, NULL);
    sigset_t p;
    sigpending(&p);
    say("no signal after disarm: %d", !sigismember(&p, SIGRTMIN));

    OK("timer_delete", timer_delete(t));
    return 0;
}
