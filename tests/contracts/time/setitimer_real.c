/* ITIMER_REAL: one-shot and periodic SIGALRM; getitimer shows the time
 * left (never more than set) and the interval; setitimer returns the old
 * setting; a zero value disarms. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>

static volatile int alarms;
static void h(int sig) { (void)sig; alarms++; }

static long long us(struct timeval t) { return t.tv_sec * 1000000LL + t.tv_usec; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigaction(SIGALRM, &sa, NULL);

    struct itimerval cur, old;
    OK("getitimer initially", getitimer(ITIMER_REAL, &cur));
    say("initially disarmed: %d", us(cur.it_value) == 0 && us(cur.it_interval) == 0);

    struct itimerval one = {{0, 0}, {0, 300000}};
    OK("arm 300ms one-shot", setitimer(ITIMER_REAL, &one, &old));
    say("old was disarmed: %d", us(old.it_value) == 0);
    getitimer(ITIMER_REAL, &cur);
    say("left in (0, 300ms]: %d, interval 0: %d", us(cur.it_value) > 0 && us(cur.it_value) <= 300000, us(cur.it_interval) == 0);
    while (alarms == 0)
        pause();
    say("alarms: %d", alarms);
    getitimer(ITIMER_REAL, &cur);
    say("disarmed after firing: %d", us(cur.it_value) == 0);

    struct itimerval per = {{0, 20000}, {0, 20000}};
    alarms = 0;
    OK("arm 20ms periodic", setitimer(ITIMER_REAL, &per, NULL));
    while (alarms < 3)
        pause();
    getitimer(ITIMER_REAL, &cur);
    say("periodic: interval %lld us, value in (0, 20ms]: %d", us(cur.it_interval), us(cur.it_value) > 0 && us(cur.it_value) <= 20000);
    struct itimerval off = {{0, 0}, {0, 0}};
    OK("disarm", setitimer(ITIMER_REAL, &off, &old));
    say("old: interval %lld us, value in (0, 20ms]: %d", us(old.it_interval), us(old.it_value) > 0 && us(old.it_value) <= 20000);
    int before = alarms;
    struct timespec d = {0, 100000000};
    nanosleep(&d, NULL);
    say("no alarm after disarming: %d", alarms == before);

    /* A value with only an interval does not arm. */
    struct itimerval ivonly = {{0, 10000}, {0, 0}};
    OK("interval only", setitimer(ITIMER_REAL, &ivonly, NULL));
    getitimer(ITIMER_REAL, &cur);
    say("still disarmed: %d interval reported %lld", us(cur.it_value) == 0, us(cur.it_interval));
    return 0;
}
