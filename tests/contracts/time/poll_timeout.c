/* poll and ppoll timeouts: they wait at least the time given; ppoll
 * writes back the time left; a handled signal interrupts with EINTR even
 * with SA_RESTART; ppoll's temporary mask lets a blocked signal in. */
#include "contract.h"
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static long long mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static volatile int got;
static void h(int sig) { got = sig; }

int main(void)
{
    int p[2];
    pipe(p);
    struct pollfd fd = {p[0], POLLIN, 0};
    long long a = mono();
    SAY("poll 50ms", poll(&fd, 1, 50));
    long long b = mono();
    say("waited at least 50ms: %d", b - a >= 50000000);
    SAY("poll 0", poll(&fd, 1, 0));

    struct timespec ts = {0, 40000000};
    a = mono();
    SAY("ppoll raw 40ms", syscall(SYS_ppoll, &fd, 1, &ts, NULL, 8));
    b = mono();
    say("waited at least 40ms: %d", b - a >= 40000000);
    say("timeout written back as 0: %d", ts.tv_sec == 0 && ts.tv_nsec == 0);
    write(p[1], "x", 1);
    ts.tv_sec = 5;
    ts.tv_nsec = 0;
    SAY("ppoll raw, data ready", syscall(SYS_ppoll, &fd, 1, &ts, NULL, 8));
    say("time left written back, in (4s, 5s]: %d", ts.tv_sec == 4 || (ts.tv_sec == 5 && ts.tv_nsec == 0));
    char c;
    read(p[0], &c, 1);
    ts.tv_nsec = 1000000000;
    SAY("ppoll bad nsec", syscall(SYS_ppoll, &fd, 1, &ts, NULL, 8));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &it, NULL);
    SAY("poll interrupted", poll(&fd, 1, 10000));
    say("handler ran: %d", got == SIGALRM);

    /* SIGALRM blocked, but let in by ppoll's mask. */
    got = 0;
    sigset_t blk, open;
    sigemptyset(&blk);
    sigaddset(&blk, SIGALRM);
    sigprocmask(SIG_BLOCK, &blk, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    sigemptyset(&open);
    SAY("ppoll with an open mask", ppoll(&fd, 1, NULL, &open));
    say("handler ran: %d", got == SIGALRM);
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    say("SIGALRM blocked again: %d", sigismember(&now, SIGALRM));
    return 0;
}
