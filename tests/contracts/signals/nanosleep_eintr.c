/* nanosleep interrupted by a handler fails with EINTR (SA_RESTART or
 * not) and reports the time left, which is less than asked. */
#include "contract.h"
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static void h(int sig) { (void)sig; }

static void run(int flags, const char *label)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec req = {20, 0}, rem = {-1, -1};
    SAY(label, nanosleep(&req, &rem));
    long long left = rem.tv_sec * 1000000000LL + rem.tv_nsec;
    say("%s: remaining > 0: %d", label, left > 0);
    say("%s: remaining < requested: %d", label, left < 20000000000LL);
    say("%s: remaining nsec valid: %d", label, rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000L);
}

int main(void)
{
    run(0, "no SA_RESTART");
    run(SA_RESTART, "SA_RESTART");
    return 0;
}
