/* select's timeout: it waits at least that long, then the kernel writes
 * back the time left (0 after a timeout); pselect6 does not write back;
 * an interruption reports EINTR. */
#include "contract.h"
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static long long mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void h(int sig) { (void)sig; }

int main(void)
{
    int p[2];
    pipe(p);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {0, 50000};
    long long a = mono();
    SAY("select raw, 50ms on an empty pipe", syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv));
    long long b = mono();
    say("waited at least 50ms: %d", b - a >= 50000000);
    say("timeout written back as 0: %d", tv.tv_sec == 0 && tv.tv_usec == 0);
    say("read set cleared: %d", !FD_ISSET(p[0], &r));

    write(p[1], "x", 1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    SAY("select raw, data ready", syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv));
    say("time left written back, in (4s, 5s]: %d", tv.tv_sec == 4 || (tv.tv_sec == 5 && tv.tv_usec == 0));

    struct timespec ts = {0, 30000000};
    char c;
    read(p[0], &c, 1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    SAY("pselect6 raw, 30ms", syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, NULL));
    say("pselect6 timeout written back: %d", ts.tv_sec == 0 && ts.tv_nsec == 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &it, NULL);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv.tv_sec = 10;
    tv.tv_usec = 0;
    SAY("select interrupted (SA_RESTART does not apply)", syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv));
    say("time left < 10s: %d", tv.tv_sec < 10);
    tv.tv_sec = 0;
    tv.tv_usec = 1000000;
    SAY("usec 1000000", syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv));
    tv.tv_sec = -1;
    tv.tv_usec = 0;
    SAY("sec -1", syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv));
    return 0;
}
