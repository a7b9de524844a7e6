/* epoll_pwait2: the timeout is a timespec (NULL waits forever, zero
 * returns at once, a bad one is EINVAL), with the same mask rules as
 * epoll_pwait. */
#include "contract.h"
#include "events.h"

int main(void)
{
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    ep_add(ep, p[0], EPOLLIN);
    struct epoll_event ev[4];
    struct timespec zero = {0, 0}, t40 = {0, 40 * 1000000}, bad = {0, 1000000000}, neg = {-1, 0};
    SAY("zero timeout", syscall(SYS_epoll_pwait2, ep, ev, 4, &zero, NULL, 8));
    long t0 = now_ms();
    SAY("40 ms", syscall(SYS_epoll_pwait2, ep, ev, 4, &t40, NULL, 8));
    say("waited at least 40 ms: %d", now_ms() - t0 >= 39);
    SAY("nsec 1e9", syscall(SYS_epoll_pwait2, ep, ev, 4, &bad, NULL, 8));
    SAY("negative", syscall(SYS_epoll_pwait2, ep, ev, 4, &neg, NULL, 8));
    SAY("bad timespec address", syscall(SYS_epoll_pwait2, ep, ev, 4, (void *)8, NULL, 8));
    sigset_t none;
    sigemptyset(&none);
    SAY("bad sigsetsize", syscall(SYS_epoll_pwait2, ep, ev, 4, &zero, &none, 16));
    if (fork() == 0) {
        sleep_ms(30);
        write(p[1], "x", 1);
        _exit(0);
    }
    int n = syscall(SYS_epoll_pwait2, ep, ev, 4, NULL, &none, 8);
    say("NULL timeout: %d, data %llu, %s", n, (unsigned long long)ev[0].data.u64, pollname(ev[0].events));
    wait(0);
    SAY("maxevents 0", syscall(SYS_epoll_pwait2, ep, ev, 0, &zero, NULL, 8));
    return 0;
}
