/* epoll and sockets across close: closing the last descriptor of a
 * watched socket removes it from the set; a dup keeps it registered;
 * EPOLLHUP|EPOLLERR arrive without being asked for. */
#include "contract.h"
#include <sys/epoll.h>
#include <sys/socket.h>

static int wait1(int ep)
{
    struct epoll_event e;
    int n = epoll_wait(ep, &e, 1, 0);
    return n <= 0 ? n : (int)e.events;
}

int main(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int ep = epoll_create1(0);
    struct epoll_event e = { .events = EPOLLIN };
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &e);
    close(sv[1]);
    SAY("peer closed: HUP and IN unasked", wait1(ep));
    int t[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, t);
    int d = dup(t[0]);
    struct epoll_event f = { .events = EPOLLIN };
    epoll_ctl(ep, EPOLL_CTL_ADD, t[0], &f);
    close(t[0]);
    write(t[1], "x", 1);
    SAY("closed fd but dup alive: still reported", wait1(ep) != 0);
    SAY("EPOLL_CTL_DEL through the dup number fails", epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL));
    close(d);
    epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], NULL);
    SAY("after last close: nothing", wait1(ep));
    return 0;
}
