/* ITIMER_VIRTUAL counts user CPU time of the process and sends
 * SIGVTALRM; ITIMER_PROF counts user and system time and sends SIGPROF.
 * Time spent sleeping does not count. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static volatile int vt, prof;
static void h(int sig)
{
    if (sig == SIGVTALRM)
        vt++;
    else
        prof++;
}

static long long us(struct timeval t) { return t.tv_sec * 1000000LL + t.tv_usec; }

static void spin_until(volatile int *flag, int n)
{
    volatile unsigned long x = 0;
    while (*flag < n)
        x++;
}

int main(void)
{
    signal(SIGVTALRM, h);
    signal(SIGPROF, h);
    struct itimerval cur;
    OK("getitimer VIRTUAL", getitimer(ITIMER_VIRTUAL, &cur));
    say("disarmed: %d", us(cur.it_value) == 0);
    OK("getitimer PROF", getitimer(ITIMER_PROF, &cur));
    say("disarmed: %d", us(cur.it_value) == 0);

    struct itimerval v = {{0, 0}, {0, 50000}};
    OK("arm VIRTUAL 50ms", setitimer(ITIMER_VIRTUAL, &v, NULL));
    getitimer(ITIMER_VIRTUAL, &cur);
    /* CPU time is sampled at timer ticks, so the first expiry is put one
     * tick (at most 10 ms) later to never come early. */
    say("VIRTUAL left in (0, 60ms]: %d", us(cur.it_value) > 0 && us(cur.it_value) <= 60000);
    struct timespec d = {0, 200000000};
    nanosleep(&d, NULL);
    say("no SIGVTALRM while sleeping: %d", vt == 0);
    getitimer(ITIMER_VIRTUAL, &cur);
    say("VIRTUAL still armed after sleeping: %d", us(cur.it_value) > 0);
    spin_until(&vt, 1);
    say("SIGVTALRM after spinning: %d", vt);
    getitimer(ITIMER_VIRTUAL, &cur);
    say("VIRTUAL disarmed after firing: %d", us(cur.it_value) == 0);

    struct itimerval p = {{0, 10000}, {0, 10000}};
    OK("arm PROF 10ms periodic", setitimer(ITIMER_PROF, &p, NULL));
    spin_until(&prof, 3);
    say("SIGPROF at least 3 times: %d", prof >= 3);
    struct itimerval off = {{0, 0}, {0, 0}}, old;
    OK("disarm PROF", setitimer(ITIMER_PROF, &off, &old));
    say("old PROF interval: %lld", us(old.it_interval));
    /* The real timer is independent. */
    getitimer(ITIMER_REAL, &cur);
    say("REAL untouched: %d", us(cur.it_value) == 0);
    return 0;
}
