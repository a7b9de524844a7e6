/* epoll on datagram sockets: EPOLLIN per datagram with level triggering
 * until the queue is empty, EPOLLOUT dropping when the receiver's queue
 * is full and returning when it drains (the sender is woken though it
 * watches only its own socket). */
#include "unixutil.h"
#include <sys/epoll.h>

static int ready(int ep)
{
    struct epoll_event e[2];
    int n = epoll_wait(ep, e, 2, 0);
    return n <= 0 ? n : (int)e[0].events;
}

int main(void)
{
    struct sockaddr_un a;
    socklen_t al = abstract_addr(&a, "epd");
    int r = socket(AF_UNIX, SOCK_DGRAM, 0), w = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    bind(r, (struct sockaddr *)&a, al);
    connect(w, (struct sockaddr *)&a, al);
    int epr = epoll_create1(0), epw = epoll_create1(0);
    struct epoll_event e = { .events = EPOLLIN };
    epoll_ctl(epr, EPOLL_CTL_ADD, r, &e);
    struct epoll_event o = { .events = EPOLLOUT };
    epoll_ctl(epw, EPOLL_CTL_ADD, w, &o);
    SAY("receiver idle", ready(epr));
    SAY("sender writable", ready(epw));
    send(w, "1", 1, 0);
    send(w, "2", 1, 0);
    SAY("receiver ready", ready(epr));
    char b[4];
    recv(r, b, 1, 0);
    SAY("still ready (one left)", ready(epr));
    recv(r, b, 1, 0);
    SAY("empty", ready(epr));
    int n = 0;
    while (send(w, "x", 1, 0) == 1)
        n++;
    say("queued %d", n);
    SAY("sender not writable", ready(epw));
    recv(r, b, 1, 0);
    SAY("sender writable again", ready(epw));
    return 0;
}
