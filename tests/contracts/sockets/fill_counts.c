/* How much fits before a non-blocking sender must wait, which follows
 * from Linux's per-message accounting against SO_SNDBUF (212992): tiny
 * datagrams on a pair, then with a smaller SO_SNDBUF; POLLOUT comes back
 * once a quarter of the buffer is free. */
#include "unixutil.h"

static int fill(int s, size_t len)
{
    static char buf[4096];
    int n = 0;
    while (send(s, buf, len, MSG_DONTWAIT) >= 0)
        n++;
    return n;
}

int main(void)
{
    int d[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    int n1 = fill(d[0], 1);
    int e1 = errno;
    say("1-byte datagrams: %d then %s", n1, errname(e1));
    char b[8];
    SAY("POLLOUT when full", revents(d[0]) & POLLOUT);
    int got = 0;
    while (recv(d[1], b, sizeof b, MSG_DONTWAIT) >= 0)
        got++;
    say("received %d", got);
    SAY("POLLOUT when drained", revents(d[0]) & POLLOUT);
    int e[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, e);
    int v = 10000;
    setsockopt(e[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v);
    say("with SO_SNDBUF 10000: 1-byte %d", fill(e[0], 1));
    while (recv(e[1], b, sizeof b, MSG_DONTWAIT) >= 0)
        ;
    say("with SO_SNDBUF 10000: 1000-byte %d", fill(e[0], 1000));
    while (recv(e[1], b, sizeof b, MSG_DONTWAIT) >= 0)
        ;
    say("with SO_SNDBUF 10000: 100-byte %d", fill(e[0], 100));
    return 0;
}
