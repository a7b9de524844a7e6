/* setitimer/getitimer argument checks: unknown timers, microseconds out
 * of range, negative seconds, bad pointers; a NULL new value disarms
 * (an old Linux misfeature kept for compatibility). */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>

static long set(int which, long vs, long vus, long is, long ius)
{
    struct itimerval v = {{is, ius}, {vs, vus}};
    return syscall(SYS_setitimer, which, &v, NULL);
}

int main(void)
{
    struct itimerval cur;
    SAY("getitimer 3", syscall(SYS_getitimer, 3, &cur));
    SAY("getitimer -1", syscall(SYS_getitimer, -1, &cur));
    SAY("getitimer bad pointer", syscall(SYS_getitimer, ITIMER_REAL, (void *)16));
    SAY("setitimer 3", set(3, 1, 0, 0, 0));
    SAY("usec 1000000", set(ITIMER_REAL, 0, 1000000, 0, 0));
    SAY("usec -1", set(ITIMER_REAL, 0, -1, 0, 0));
    SAY("sec -1", set(ITIMER_REAL, -1, 0, 0, 0));
    SAY("interval usec 1000000", set(ITIMER_REAL, 1, 0, 0, 1000000));
    SAY("VIRTUAL usec 1000000", set(ITIMER_VIRTUAL, 0, 1000000, 0, 0));
    SAY("PROF sec -1", set(ITIMER_PROF, -1, 0, 0, 0));
    SAY("setitimer bad new pointer", syscall(SYS_setitimer, ITIMER_REAL, (void *)16, NULL));
    struct itimerval v = {{0, 0}, {100, 0}};
    SAY("setitimer bad old pointer", syscall(SYS_setitimer, ITIMER_REAL, &v, (void *)16));
    getitimer(ITIMER_REAL, &cur);
    say("armed anyway: %d", cur.it_value.tv_sec > 0);

    signal(SIGALRM, SIG_IGN);
    SAY("arm 100s", syscall(SYS_setitimer, ITIMER_REAL, &v, NULL));
    struct itimerval old;
    SAY("NULL new value", syscall(SYS_setitimer, ITIMER_REAL, NULL, &old));
    say("old value was armed: %d", old.it_value.tv_sec > 0);
    getitimer(ITIMER_REAL, &cur);
    say("disarmed by NULL: %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
    /* Tiny values are rounded up, not treated as "disarm". */
    SAY("arm 1us", set(ITIMER_REAL, 0, 1, 0, 0));
    return 0;
}
