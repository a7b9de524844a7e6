/* clock_getcpuclockid / pthread_getcpuclockid: clock ids for the CPU
 * time of a given process or thread, usable with clock_gettime and
 * clock_getres; a missing process is ESRCH.
 * contract: glibc */
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
    clockid_t c;
    say("self: %s", errname(clock_getcpuclockid(getpid(), &c)));
    volatile long x = 0;
    for (long i = 0; i < 5000000; i++)
        x += i;
    long long v = ns(c);
    say("self clock readable and > 0: %d", v > 0);
    long long pv = ns(CLOCK_PROCESS_CPUTIME_ID);
    say("same as PROCESS_CPUTIME_ID (read after): %d", v <= pv);
    struct timespec r;
    OK("clock_getres on it", clock_getres(c, &r));

    say("pid 0 means self: %s", errname(clock_getcpuclockid(0, &c)));

    pid_t ch = fork();
    if (ch == 0) {
        volatile long y = 0;
        for (long i = 0; i < 20000000; i++)
            y += i;
        for (;;)
            pause();
    }
    clockid_t cc;
    say("child: %s", errname(clock_getcpuclockid(ch, &cc)));
    struct timespec d = {0, 300000000};
    nanosleep(&d, NULL);
    say("child's clock readable: %d", ns(cc) >= 0);
    kill(ch, SIGKILL);
    waitpid(ch, NULL, 0);
    errno = 0;
    long rr = syscall(SYS_clock_gettime, cc, &r);
    say("reaped child's clock: %ld %s", rr, errname(errno));
    say("missing pid: %s", errname(clock_getcpuclockid(0x3fffff00, &c)));

    clockid_t tc;
    say("pthread_getcpuclockid: %s", errname(pthread_getcpuclockid(pthread_self(), &tc)));
    long long tv = ns(tc);
    long long tt = ns(CLOCK_THREAD_CPUTIME_ID);
    say("thread clock readable, <= THREAD_CPUTIME_ID read after: %d", tv > 0 && tv <= tt);
    /* Raw encodings: ~pid << 3 | kind; kind 3 and above are invalid. */
    errno = 0;
    rr = syscall(SYS_clock_gettime, (~0 << 3) | 3, &r);
    say("kind 3 for self: %ld %s", rr, errname(errno));
    errno = 0;
    rr = syscall(SYS_clock_gettime, (~0 << 3) | 0, &r);
    say("PROF kind for self: %ld", rr);
    errno = 0;
    rr = syscall(SYS_clock_gettime, (~0 << 3) | 1, &r);
    say("VIRT kind for self: %ld", rr);
    errno = 0;
    rr = syscall(SYS_clock_gettime, (~0 << 3) | 2, &r);
    say("SCHED kind for self: %ld", rr);
    return 0;
}
