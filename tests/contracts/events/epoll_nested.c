/* Nested epoll: an epoll fd is itself pollable (IN while it has ready
 * items) and can be watched by another epoll instance, by poll and by
 * select; a blocked outer wait wakes when an inner item becomes ready. */
#include "contract.h"
#include "events.h"
#include <sys/select.h>

int main(void)
{
    int inner = epoll_create1(0), outer = epoll_create1(0);
    int p[2];
    pipe(p);
    ep_add(inner, p[0], EPOLLIN);
    SAY("add inner to outer", ep_add(outer, inner, EPOLLIN));
    say("inner: %s", ready(inner));
    show_wait("outer, nothing ready", outer, 8, 0);
    write(p[1], "x", 1);
    say("inner with a ready item: %s", ready(inner));
    show_wait("outer", outer, 8, 0);
    show_wait("inner", inner, 8, 0);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(inner, &r);
    struct timeval tv = {0, 0};
    SAY("select on inner", select(inner + 1, &r, 0, 0, &tv));
    char c;
    read(p[0], &c, 1);
    say("inner after the read: %s", ready(inner));
    show_wait("outer after the read", outer, 8, 0);

    /* Three levels, blocking at the top. */
    int top = epoll_create1(0);
    ep_add(top, outer, EPOLLIN);
    if (fork() == 0) {
        sleep_ms(30);
        write(p[1], "y", 1);
        _exit(0);
    }
    show_wait("top, blocked", top, 8, -1);
    wait(0);
    /* poll(-1) on an epoll fd. */
    read(p[0], &c, 1);
    if (fork() == 0) {
        sleep_ms(30);
        write(p[1], "z", 1);
        _exit(0);
    }
    struct pollfd pf = {.fd = inner, .events = POLLIN};
    SAY("poll(-1) on inner", poll(&pf, 1, -1));
    say("  %s", pollname(pf.revents));
    wait(0);
    /* Edge-triggered nesting: one report per change. */
    int et = epoll_create1(0);
    ep_add(et, inner, EPOLLIN | EPOLLET);
    show_wait("ET outer, first", et, 8, 0);
    show_wait("ET outer, second", et, 8, 0);
    write(p[1], "w", 1);
    show_wait("ET outer after a write", et, 8, 0);
    return 0;
}
