/* alarm returns the seconds left on the previous alarm (rounded to the
 * nearest second, never 0 while one is pending), shares the timer with
 * ITIMER_REAL, and alarm(0) cancels. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>

int main(void)
{
    signal(SIGALRM, SIG_IGN);
    SAY("alarm(10) first", alarm(10));
    SAY("alarm(5) replaces it", alarm(5));
    struct itimerval cur;
    getitimer(ITIMER_REAL, &cur);
    say("ITIMER_REAL shows it: %d, no interval: %d", cur.it_value.tv_sec >= 4 && cur.it_value.tv_sec <= 5, cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 0);
    SAY("alarm(0) cancels", alarm(0));
    SAY("alarm(0) again", alarm(0));

    struct itimerval it = {{0, 0}, {0, 300000}};
    setitimer(ITIMER_REAL, &it, NULL);
    SAY("alarm after a 300ms itimer", alarm(0));
    it.it_value.tv_usec = 700000;
    setitimer(ITIMER_REAL, &it, NULL);
    SAY("alarm after a 700ms itimer", alarm(0));
    it.it_value.tv_sec = 2;
    it.it_value.tv_usec = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    SAY("alarm after a 2s itimer", alarm(0));
    return 0;
}
