/* clock_nanosleep on another process's CPU clock returns once that
 * process has used the CPU time asked for; an absolute time already
 * reached returns at once; the caller's own thread clock cannot be slept
 * on. */
#include "contract.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static long long ns(clockid_t c)
{
    struct timespec t;
    if (clock_gettime(c, &t) != 0)
        return -1;
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
    pid_t c = fork();
    if (c == 0) {
        volatile unsigned long x = 0;
        for (;;)
            x++;
    }
    clockid_t cc;
    clock_getcpuclockid(c, &cc);
    struct timespec req = {0, 100000000};
    long long before = ns(cc);
    say("relative 100ms of child CPU: %d", clock_nanosleep(cc, 0, &req, NULL));
    long long after = ns(cc);
    say("child used at least 100ms meanwhile: %d", after - before >= 100000000);

    struct timespec past = {0, 1000};
    say("absolute, already reached: %d", clock_nanosleep(cc, TIMER_ABSTIME, &past, NULL));
    long long target = ns(cc) + 50000000;
    struct timespec t = {target / 1000000000LL, target % 1000000000LL};
    say("absolute, 50ms ahead: %d", clock_nanosleep(cc, TIMER_ABSTIME, &t, NULL));
    say("clock reached the target: %d", ns(cc) >= target);
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);

    clockid_t self;
    pthread_getcpuclockid(pthread_self(), &self);
    errno = 0;
    long r = syscall(SYS_clock_nanosleep, self, 0, &req, NULL);
    say("own thread clock: %ld %s", r, errname(errno));
    return 0;
}
