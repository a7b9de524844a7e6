/* FIONREAD/SIOCINQ and SIOCOUTQ: bytes unread on a stream, the next
 * datagram's size, every record of a seqpacket socket; what the sender
 * has in flight; EINVAL on a listener. */
#include "unixutil.h"
#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

static void q(const char *what, int s, unsigned long req)
{
    int v = -7;
    if (ioctl(s, req, &v) < 0)
        say("%s: -1 %s", what, errname(errno));
    else
        say("%s: %d", what, v);
}

int main(void)
{
    int sv[2], d[2];
    char b[64];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    q("stream empty inq", sv[1], SIOCINQ);
    q("stream empty outq", sv[0], SIOCOUTQ);
    write(sv[0], "12345", 5);
    write(sv[0], "678", 3);
    q("stream inq", sv[1], FIONREAD);
    int out;
    ioctl(sv[0], SIOCOUTQ, &out);
    say("sender outq positive %d", out > 0);
    read(sv[1], b, 6);
    q("stream inq after partial read", sv[1], SIOCINQ);
    read(sv[1], b, sizeof b);
    q("stream outq after drain", sv[0], SIOCOUTQ);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    send(d[0], "abcd", 4, 0);
    send(d[0], "ef", 2, 0);
    q("dgram inq (first only)", d[1], SIOCINQ);
    recv(d[1], b, sizeof b, 0);
    q("dgram inq next", d[1], SIOCINQ);
    recv(d[1], b, sizeof b, 0);
    q("dgram empty", d[1], SIOCINQ);
    send(d[0], "", 0, 0);
    q("dgram empty datagram", d[1], SIOCINQ);
    struct sockaddr_un a;
    int l = listener(SOCK_STREAM, "q", &a, 2);
    q("listener inq", l, SIOCINQ);
    q("listener outq", l, SIOCOUTQ);
    q("unknown ioctl", sv[0], 0x5401 /* TCGETS */);
    SAY("bad pointer", ioctl(sv[1], FIONREAD, (int *)8));
    unlink(a.sun_path);
    return 0;
}
