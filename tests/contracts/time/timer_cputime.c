/* Timers on the CPU-time clocks fire once the process (or thread) has
 * used that much CPU; sleeping does not count. */
#include "contract.h"
#include <signal.h>
#include <time.h>

static volatile int fired;
static void h(int sig) { (void)sig; fired++; }

static void run(clockid_t c, const char *name)
{
    fired = 0;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    timer_t t;
    OK(name, timer_create(c, &ev, &t));
    struct itimerspec in = {{0, 0}, {0, 50000000}}, cur;
    timer_settime(t, 0, &in, NULL);
    struct timespec d = {0, 100000000};
    nanosleep(&d, NULL);
    timer_gettime(t, &cur);
    say("%s: not fired while sleeping %d, still armed %d", name, fired == 0, cur.it_value.tv_sec > 0 || cur.it_value.tv_nsec > 0);
    volatile unsigned long x = 0;
    while (!fired)
        x++;
    say("%s: fired after spinning %d", name, fired);
    timer_gettime(t, &cur);
    say("%s: disarmed %d", name, cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
    timer_delete(t);
}

int main(void)
{
    signal(SIGUSR1, h);
    run(CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME");
    run(CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME");
    return 0;
}
