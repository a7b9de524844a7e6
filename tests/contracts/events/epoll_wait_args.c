/* epoll_wait arguments: maxevents must be positive and at most
 * INT_MAX / sizeof(struct epoll_event); a bad events pointer is EFAULT
 * (checked before anything is reported); timeouts 0, positive, -1;
 * a non-epoll fd is EINVAL, a bad one EBADF; maxevents smaller than
 * the ready count returns the rest later, in turn. */
#include "contract.h"
#include "events.h"
#include <limits.h>

int main(void)
{
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    struct epoll_event ev[8];
    SAY("maxevents 0", epoll_wait(ep, ev, 0, 0));
    SAY("maxevents -1", epoll_wait(ep, ev, -1, 0));
    SAY("maxevents INT_MAX/12 + 1", epoll_wait(ep, ev, INT_MAX / 12 + 1, 0));
    SAY("bad events pointer, nothing ready", epoll_wait(ep, (void *)8, 1, 0));
    SAY("NULL events", epoll_wait(ep, NULL, 1, 0));
    SAY("epfd is a pipe", epoll_wait(p[0], ev, 1, 0));
    SAY("epfd 99", epoll_wait(99, ev, 1, 0));
    SAY("timeout 0", epoll_wait(ep, ev, 8, 0));
    long t0 = now_ms();
    SAY("timeout 50", epoll_wait(ep, ev, 8, 50));
    say("waited at least 50 ms: %d", now_ms() - t0 >= 49);
    SAY("an empty epoll, timeout 20", epoll_wait(ep, ev, 8, 20));
    int fds[5][2];
    for (int i = 0; i < 5; i++) {
        pipe(fds[i]);
        write(fds[i][1], "x", 1);
        ep_add(ep, fds[i][0], EPOLLIN);
    }
    show_wait("maxevents 2", ep, 2, 0);
    show_wait("maxevents 2 again", ep, 2, 0);
    show_wait("maxevents 2 again", ep, 2, 0);
    show_wait("all", ep, 8, 0);
    write(p[1], "y", 1);
    ep_add(ep, p[0], EPOLLIN);
    SAY("bad events pointer with items ready", epoll_wait(ep, (void *)8, 8, 0));
    show_wait("still ready after that", ep, 8, 0);
    return 0;
}
