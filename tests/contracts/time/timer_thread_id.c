/* SIGEV_THREAD_ID sends the timer's signal to one thread (here the main
 * thread) with si_code SI_TIMER; a tid outside the process is EINVAL. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif
#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

int main(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 5;
    ev.sigev_notify_thread_id = syscall(SYS_gettid);
    int id = -1;
    SAY("timer_create THREAD_ID (raw)", syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id));
    say("kernel timer id >= 0: %d", id >= 0);
    struct itimerspec in = {{0, 0}, {0, 20000000}};
    SAY("timer_settime (raw)", syscall(SYS_timer_settime, id, 0, &in, NULL));
    siginfo_t si;
    int r = sigwaitinfo(&s, &si);
    say("signal SIGUSR1 %d SI_TIMER %d value %d timerid matches %d", r == SIGUSR1, si.si_code == SI_TIMER, si.si_value.sival_int, si.si_timerid == id);
    SAY("timer_delete (raw)", syscall(SYS_timer_delete, id));

    ev.sigev_notify_thread_id = 0x3fffff00;
    SAY("missing tid", syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id));
    pid_t c = fork();
    if (c == 0) {
        for (;;)
            pause();
    }
    ev.sigev_notify_thread_id = c;
    SAY("another process's thread", syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id));
    kill(c, SIGKILL);
    ev.sigev_notify_thread_id = syscall(SYS_gettid);
    ev.sigev_notify = SIGEV_SIGNAL | SIGEV_THREAD_ID;
    SAY("SIGEV_SIGNAL|THREAD_ID", syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id));
    return 0;
}
