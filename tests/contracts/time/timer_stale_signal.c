/* A timer signal still queued when its timer is deleted, re-armed or
 * disarmed belongs to an expiry that no longer counts: it shows as
 * pending, but is dropped instead of being delivered (Linux >= 6.13). */
#include "contract.h"
#include <signal.h>
#include <time.h>

static volatile int handled;
static void h(int sig) { (void)sig; handled++; }

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
    const char *how[] = {"deleted", "re-armed", "disarmed", "left alone"};
    for (int mode = 0; mode < 4; mode++) {
        timer_t t;
        timer_create(CLOCK_MONOTONIC, &ev, &t);
        struct itimerspec in = {{0, 0}, {0, 1000000}};
        timer_settime(t, 0, &in, NULL);
        struct timespec d = {0, 30000000};
        nanosleep(&d, NULL);
        if (mode == 0)
            timer_delete(t);
        if (mode == 1) {
            struct itimerspec later = {{0, 0}, {5, 0}};
            timer_settime(t, 0, &later, NULL);
        }
        if (mode == 2) {
            struct itimerspec zero = {{0, 0}, {0, 0}};
            timer_settime(t, 0, &zero, NULL);
        }
        sigset_t p;
        sigpending(&p);
        say("%s: pending %d", how[mode], sigismember(&p, SIGRTMIN));
        struct timespec zero = {0, 0};
        siginfo_t si;
        int r = sigtimedwait(&s, &si, &zero);
        say("%s: taken %d", how[mode], r == SIGRTMIN);
        sigpending(&p);
        say("%s: pending after %d", how[mode], sigismember(&p, SIGRTMIN));
        if (mode)
            timer_delete(t);
    }

    /* The same through a handler: a stale signal never runs it. */
    signal(SIGRTMIN, h);
    timer_t t;
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    struct itimerspec in = {{0, 0}, {0, 1000000}};
    timer_settime(t, 0, &in, NULL);
    struct timespec d = {0, 30000000};
    nanosleep(&d, NULL);
    timer_delete(t);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("handler runs for a deleted timer's signal: %d", handled);
    return 0;
}
