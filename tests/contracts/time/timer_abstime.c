/* timer_settime with TIMER_ABSTIME: expires when the clock reaches the
 * time given; a time already past fires at once; old_value reports the
 * previous setting relative to now. */
#include "contract.h"
#include <signal.h>
#include <time.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR2;
    clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME};
    const char *names[] = {"MONOTONIC", "REALTIME", "BOOTTIME"};
    for (int i = 0; i < 3; i++) {
        timer_t t;
        timer_create(clocks[i], &ev, &t);
        struct timespec now;
        clock_gettime(clocks[i], &now);
        long long target = ns(now) + 200000000;
        struct itimerspec in = {{0, 0}, {target / 1000000000LL, target % 1000000000LL}}, cur;
        timer_settime(t, TIMER_ABSTIME, &in, NULL);
        timer_gettime(t, &cur);
        say("%s: gettime is relative, in (0, 200ms]: %d", names[i], ns(cur.it_value) > 0 && ns(cur.it_value) <= 200000000);
        siginfo_t si;
        sigwaitinfo(&s, &si);
        clock_gettime(clocks[i], &now);
        say("%s: fired at or after the target: %d", names[i], ns(now) >= target);

        struct itimerspec past = {{0, 0}, {1, 0}};
        timer_settime(t, TIMER_ABSTIME, &past, NULL);
        struct timespec zero = {0, 0};
        int r = sigtimedwait(&s, &si, &zero);
        if (r < 0) { /* give the timer interrupt a moment */
            struct timespec w = {1, 0};
            r = sigtimedwait(&s, &si, &w);
        }
        say("%s: past time fires at once: %d", names[i], r == SIGUSR2);

        struct itimerspec far = {{0, 0}, {ns(now) / 1000000000LL + 100, 0}}, old;
        timer_settime(t, TIMER_ABSTIME, &far, NULL);
        struct itimerspec zero_in = {{0, 0}, {0, 0}};
        timer_settime(t, 0, &zero_in, &old);
        say("%s: old value relative, in (98s, 101s]: %d", names[i], old.it_value.tv_sec >= 98 && ns(old.it_value) <= 101000000000LL);
        timer_delete(t);
    }
    return 0;
}
