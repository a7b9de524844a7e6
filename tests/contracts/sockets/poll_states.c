/* poll(2) bits of AF_UNIX sockets in each state, as Linux computes them
 * (unix_poll for streams, unix_dgram_poll for the others). */
#include "unixutil.h"

int main(void)
{
    struct sockaddr_un a;
    int sv[2];
    SAY("fresh stream", revents(socket(AF_UNIX, SOCK_STREAM, 0)));
    SAY("fresh dgram", revents(socket(AF_UNIX, SOCK_DGRAM, 0)));
    SAY("fresh seqpacket", revents(socket(AF_UNIX, SOCK_SEQPACKET, 0)));
    int l = listener(SOCK_STREAM, "poll", &a, 4);
    SAY("listening", revents(l));
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    SAY("listening with pending", revents(l));
    SAY("client connected", revents(c));
    int s = accept(l, NULL, NULL);
    SAY("listening drained", revents(l));
    SAY("accepted", revents(s));
    write(c, "x", 1);
    SAY("accepted with data", revents(s));
    close(c);
    SAY("accepted, peer closed", revents(s));
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    SAY("dgram pair", revents(sv[0]));
    send(sv[1], "x", 1, 0);
    SAY("dgram pair with data", revents(sv[0]));
    close(sv[1]);
    SAY("dgram pair, peer closed", revents(sv[0]));
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    SAY("seqpacket pair", revents(sv[0]));
    close(sv[1]);
    SAY("seqpacket pair, peer closed", revents(sv[0]));
    /* select agrees */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    fd_set r, w;
    FD_ZERO(&r); FD_ZERO(&w);
    FD_SET(sv[0], &r); FD_SET(sv[0], &w);
    struct timeval tv = { 0, 0 };
    SAY("select", select(sv[0] + 1, &r, &w, NULL, &tv));
    say("readable %d writable %d", FD_ISSET(sv[0], &r), FD_ISSET(sv[0], &w));
    write(sv[1], "x", 1);
    FD_ZERO(&r); FD_SET(sv[0], &r);
    SAY("select data", select(sv[0] + 1, &r, NULL, NULL, &tv));
    unlink(a.sun_path);
    return 0;
}
