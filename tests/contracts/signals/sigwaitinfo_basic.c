/* sigwaitinfo/sigtimedwait take a blocked pending signal without running
 * its handler; sigtimedwait gives EAGAIN when the time runs out, EINVAL
 * for a bad timeout; a handled signal outside the set interrupts with
 * EINTR.
 * contract: glibc */
#include "contract.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static volatile int handled;
static void h(int sig) { handled = sig; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);

    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &s, NULL);

    kill(getpid(), SIGUSR1);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    SAY("sigwaitinfo", sigwaitinfo(&s, &si));
    say("signo %d code SI_USER %d pid ok %d handler ran %d", si.si_signo, si.si_code == SI_USER, si.si_pid == getpid(), handled);
    sigset_t pend;
    sigpending(&pend);
    say("still pending: %d", sigismember(&pend, SIGUSR1));

    union sigval v = {.sival_int = 5};
    sigqueue(getpid(), SIGRTMIN, v);
    v.sival_int = 6;
    sigqueue(getpid(), SIGRTMIN, v);
    kill(getpid(), SIGUSR1);
    for (int i = 0; i < 3; i++) {
        memset(&si, 0, sizeof si);
        int r = sigwaitinfo(&s, &si);
        say("take %d: %s value %d", i, r == SIGUSR1 ? "SIGUSR1" : r == SIGRTMIN ? "SIGRTMIN" : "other",
            r == SIGRTMIN ? si.si_value.sival_int : 0);
    }

    struct timespec ts = {0, 0};
    SAY("sigtimedwait zero timeout", sigtimedwait(&s, &si, &ts));
    ts.tv_nsec = 50000000;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    SAY("sigtimedwait 50ms", sigtimedwait(&s, &si, &ts));
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long el = (b.tv_sec - a.tv_sec) * 1000000000LL + b.tv_nsec - a.tv_nsec;
    say("waited at least 50ms: %d", el >= 50000000);
    ts.tv_nsec = 1000000000;
    SAY("sigtimedwait bad nsec", sigtimedwait(&s, &si, &ts));
    ts.tv_sec = -1;
    ts.tv_nsec = 0;
    SAY("sigtimedwait negative", sigtimedwait(&s, &si, &ts));

    /* NULL info is fine. */
    kill(getpid(), SIGUSR1);
    SAY("sigwaitinfo NULL info", sigwaitinfo(&s, NULL));

    /* Interrupted by a handled signal that is not in the set. */
    struct itimerval it = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &it, NULL);
    ts.tv_sec = 30;
    ts.tv_nsec = 0;
    /* Raw: musl's wrapper retries after EINTR. */
    SAY("rt_sigtimedwait interrupted", syscall(SYS_rt_sigtimedwait, &s, &si, &ts, 8));
    say("SIGALRM handler ran: %d", handled == SIGALRM);
    return 0;
}
