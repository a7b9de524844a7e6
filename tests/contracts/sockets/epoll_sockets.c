/* epoll on sockets: level and edge triggering on data, EPOLLRDHUP on a
 * peer's shutdown, EPOLLHUP on close, a listener's EPOLLIN for each
 * connection, EPOLLOUT coming back once a full socket drains. */
#include "unixutil.h"
#include <sys/epoll.h>

static int wait_ev(int ep)
{
    struct epoll_event e[4];
    int n = epoll_wait(ep, e, 4, 0);
    int bits = 0;
    for (int i = 0; i < n; i++)
        bits |= e[i].events;
    return n < 0 ? -1 : (n << 16) | bits;
}

int main(void)
{
    int sv[2];
    char b[64];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    int ep = epoll_create1(0);
    struct epoll_event e = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.fd = sv[1] };
    OK("add edge", epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &e));
    SAY("nothing yet", wait_ev(ep));
    write(sv[0], "a", 1);
    SAY("edge on data", wait_ev(ep));
    SAY("no second report", wait_ev(ep));
    write(sv[0], "b", 1);
    SAY("new edge on more data", wait_ev(ep));
    read(sv[1], b, sizeof b);
    shutdown(sv[0], SHUT_WR);
    SAY("rdhup edge", wait_ev(ep));
    int ep2 = epoll_create1(0);
    struct epoll_event lt = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.fd = sv[1] };
    epoll_ctl(ep2, EPOLL_CTL_ADD, sv[1], &lt);
    SAY("level: rdhup in out", wait_ev(ep2));
    close(sv[0]);
    SAY("level after close", wait_ev(ep2));
    /* listener */
    struct sockaddr_un a;
    int l = listener(SOCK_STREAM, "ep", &a, 8);
    int ep3 = epoll_create1(0);
    struct epoll_event le = { .events = EPOLLIN | EPOLLET, .data.fd = l };
    epoll_ctl(ep3, EPOLL_CTL_ADD, l, &le);
    SAY("listener idle", wait_ev(ep3));
    int c1 = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c1, (struct sockaddr *)&a, sizeof a);
    SAY("listener one connection", wait_ev(ep3));
    int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c2, (struct sockaddr *)&a, sizeof a);
    SAY("listener second connection edge", wait_ev(ep3));
    accept(l, NULL, NULL);
    accept(l, NULL, NULL);
    SAY("listener drained", wait_ev(ep3));
    /* EPOLLOUT returns once a full sender drains */
    int d[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, d);
    static char chunk[4096];
    long total = 0;
    ssize_t n;
    while ((n = write(d[0], chunk, sizeof chunk)) > 0)
        total += n;
    say("filled: last %s, some written %d", errname(errno), total > 0);
    int ep4 = epoll_create1(0);
    struct epoll_event oe = { .events = EPOLLOUT | EPOLLET, .data.fd = d[0] };
    epoll_ctl(ep4, EPOLL_CTL_ADD, d[0], &oe);
    SAY("full: no EPOLLOUT", wait_ev(ep4));
    long drained = 0;
    while ((n = read(d[1], b, sizeof b)) > 0)
        drained += n;
    say("drained all %d", drained == total);
    SAY("EPOLLOUT after drain", wait_ev(ep4));
    unlink(a.sun_path);
    return 0;
}
