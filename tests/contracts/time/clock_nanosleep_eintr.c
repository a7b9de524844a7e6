/* clock_nanosleep interrupted by a handler returns EINTR; a relative
 * sleep reports the time left, an absolute one leaves rem alone. */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static void h(int sig) { (void)sig; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 200000}};

    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec req = {10, 0}, rem = {-1, -1}, a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    say("relative: %s", errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem)));
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long left = rem.tv_sec * 1000000000LL + rem.tv_nsec;
    long long passed = (b.tv_sec - a.tv_sec) * 1000000000LL + b.tv_nsec - a.tv_nsec;
    say("relative: 0 < rem < 10s: %d", left > 0 && left < 10000000000LL);
    say("relative: rem >= 10s - time passed: %d", left >= 10000000000LL - passed);

    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += 10;
    rem.tv_sec = -1;
    rem.tv_nsec = -1;
    say("absolute: %s", errname(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, &rem)));
    say("absolute: rem untouched %d", rem.tv_sec == -1 && rem.tv_nsec == -1);

    setitimer(ITIMER_REAL, &it, NULL);
    req.tv_sec = 10;
    req.tv_nsec = 0;
    errno = 0;
    long r = syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &req, &rem);
    say("raw syscall: %ld %s", r, errname(errno));
    return 0;
}
