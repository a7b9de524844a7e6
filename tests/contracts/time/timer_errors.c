/* POSIX timer argument checks: unknown clocks, notify kinds and signals
 * are EINVAL, so are unknown timer ids and bad times; a NULL sigevent
 * means SIGEV_SIGNAL with SIGALRM and the timer id as the value. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

static long create(clockid_t c, struct sigevent *ev, int *id)
{
    return syscall(SYS_timer_create, c, ev, id);
}

int main(void)
{
    int id = -1;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    SAY("clock 99", create(99, &ev, &id));
    SAY("clock 10", create(10, &ev, &id));
    SAY("clock MONOTONIC_RAW", create(CLOCK_MONOTONIC_RAW, &ev, &id));
    SAY("clock MONOTONIC_COARSE", create(CLOCK_MONOTONIC_COARSE, &ev, &id));
    SAY("clock REALTIME_ALARM", create(CLOCK_REALTIME_ALARM, &ev, &id));
    ev.sigev_notify = 77;
    SAY("notify 77", create(CLOCK_MONOTONIC, &ev, &id));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    SAY("signal 0", create(CLOCK_MONOTONIC, &ev, &id));
    ev.sigev_signo = 65;
    SAY("signal 65", create(CLOCK_MONOTONIC, &ev, &id));
    ev.sigev_notify = SIGEV_NONE;
    ev.sigev_signo = 0;
    SAY("SIGEV_NONE ignores the signal number", create(CLOCK_MONOTONIC, &ev, &id));
    syscall(SYS_timer_delete, id);
    SAY("bad sigevent pointer", create(CLOCK_MONOTONIC, (void *)16, &id));
    SAY("bad id pointer", create(CLOCK_MONOTONIC, NULL, (void *)16));

    SAY("NULL sigevent", create(CLOCK_REALTIME, NULL, &id));
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct itimerspec in = {{0, 0}, {0, 1000000}};
    SAY("arm it", syscall(SYS_timer_settime, id, 0, &in, NULL));
    siginfo_t si;
    sigwaitinfo(&s, &si);
    say("default: SIGALRM %d SI_TIMER %d value is the id %d", si.si_signo == SIGALRM, si.si_code == SI_TIMER, si.si_value.sival_int == id);

    in.it_value.tv_nsec = 1000000000;
    SAY("settime nsec 1e9", syscall(SYS_timer_settime, id, 0, &in, NULL));
    in.it_value.tv_nsec = 0;
    in.it_value.tv_sec = -1;
    SAY("settime sec -1", syscall(SYS_timer_settime, id, 0, &in, NULL));
    in.it_value.tv_sec = 1;
    in.it_interval.tv_nsec = -5;
    SAY("settime interval nsec -5", syscall(SYS_timer_settime, id, 0, &in, NULL));
    SAY("settime bad pointer", syscall(SYS_timer_settime, id, 0, (void *)16, NULL));
    SAY("settime NULL value", syscall(SYS_timer_settime, id, 0, NULL, NULL));
    struct itimerspec cur;
    SAY("gettime bad pointer", syscall(SYS_timer_gettime, id, (void *)16));
    SAY("delete", syscall(SYS_timer_delete, id));
    SAY("delete again", syscall(SYS_timer_delete, id));
    SAY("gettime deleted", syscall(SYS_timer_gettime, id, &cur));
    SAY("settime deleted", syscall(SYS_timer_settime, id, 0, &in, NULL));
    SAY("getoverrun deleted", syscall(SYS_timer_getoverrun, id));
    SAY("gettime id -1", syscall(SYS_timer_gettime, -1, &cur));
    SAY("gettime id 123456", syscall(SYS_timer_gettime, 123456, &cur));
    return 0;
}
