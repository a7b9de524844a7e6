/* Receive edges: zero-length reads on each type, a datagram read with a
 * zero-length buffer (consumed, MSG_TRUNC), MSG_WAITALL stopping at end
 * of file, recvmsg's msg_namelen with a short name buffer, a datagram
 * peeked with a short buffer. */
#include "unixutil.h"

int main(void)
{
    int s[2], d[2], q[2];
    char b[16];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, q);
    write(s[0], "abc", 3);
    SAY("stream recv 0", recv(s[1], b, 0, 0));
    SAY("stream read 0", read(s[1], b, 0));
    SAY("still there", recv(s[1], b, sizeof b, MSG_DONTWAIT));
    send(d[0], "xyz", 3, 0);
    SAY("dgram recv 0", recv(d[1], b, 0, 0));
    SAY("datagram gone", recv(d[1], b, sizeof b, MSG_DONTWAIT));
    send(d[0], "xyz", 3, 0);
    SAY("dgram recv 0 MSG_TRUNC", recv(d[1], b, 0, MSG_TRUNC));
    send(q[0], "rec", 3, 0);
    SAY("seqpacket recv 0", recv(q[1], b, 0, 0));
    SAY("record gone", recv(q[1], b, sizeof b, MSG_DONTWAIT));
    write(s[0], "12", 2);
    shutdown(s[0], SHUT_WR);
    SAY("waitall short at eof", recv(s[1], b, 10, MSG_WAITALL));
    SAY("then 0", recv(s[1], b, 10, MSG_WAITALL));
    struct sockaddr_un a, from;
    socklen_t al = abstract_addr(&a, "recvedge");
    int r = socket(AF_UNIX, SOCK_DGRAM, 0), w = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(r, (struct sockaddr *)&a, al);
    bind(w, (struct sockaddr *)&a, 0);
    struct sockaddr_un wa;
    socklen_t wal = abstract_addr(&wa, "recvedge-w");
    bind(w, (struct sockaddr *)&wa, wal);
    sendto(w, "m", 1, 0, (struct sockaddr *)&a, al);
    struct iovec iov = { b, sizeof b };
    struct msghdr m = { .msg_name = &from, .msg_namelen = 4, .msg_iov = &iov, .msg_iovlen = 1 };
    memset(&from, 0, sizeof from);
    SAY("recvmsg short name", recvmsg(r, &m, 0));
    say("namelen full %d copied family %d path0 %d", m.msg_namelen == wal, from.sun_family, from.sun_path[0]);
    sendto(w, "m", 1, 0, (struct sockaddr *)&a, al);
    m.msg_name = NULL;
    m.msg_namelen = 77;
    SAY("recvmsg no name", recvmsg(r, &m, 0));
    say("namelen untouched %d", m.msg_namelen);
    sendto(w, "peekable", 8, 0, (struct sockaddr *)&a, al);
    SAY("peek short", recv(r, b, 3, MSG_PEEK));
    SAY("peek MSG_TRUNC", recv(r, b, 3, MSG_PEEK | MSG_TRUNC));
    SAY("read whole", recv(r, b, sizeof b, 0));
    SAY("bad buffer", recv(r, (char *)8, 1, MSG_DONTWAIT));
    sendto(w, "x", 1, 0, (struct sockaddr *)&a, al);
    SAY("bad buffer with data", recv(r, (char *)8, 1, MSG_DONTWAIT));
    SAY("was it consumed", recv(r, b, 1, MSG_DONTWAIT));
    return 0;
}
